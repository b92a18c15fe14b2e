//! # iamport-keyin
//!
//! Key-in card payments and billing keys for Iamport (PortOne V1) with the KCP
//! PG, as one crate that compiles to WebAssembly for browsers, Node and edge
//! workers.
//!
//! The pure-Rust core lives in [`card`] (field checks) and [`error`] (field
//! errors with stable codes and Korean/English messages). It is tested
//! natively. The `#[wasm_bindgen]` layer (`js`, wasm32 only) only converts
//! values to and from JS.
//!
//! Card data is toxic: no message, `Debug` output or panic in this crate
//! contains a card number, PIN digits or a birth value. Card numbers are shown
//! masked, with at most the first 6 and last 4 digits.
#![deny(missing_docs, missing_debug_implementations)]
#![forbid(unsafe_code)]
// The browser and checks-only wasm (no `std` feature) link no std: without std's panic
// machinery (its hook formats every panic) and thread-locals they are several KB
// smaller. Their panics trap at once (`on_panic` below), as `panic = "abort"` does in
// every build.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std"), not(test)), no_std)]

extern crate alloc;

/// What std's prelude adds to core's, for the modules the no-std checks build shares.
#[allow(unused_imports)]
mod prelude {
    pub(crate) use alloc::borrow::ToOwned;
    pub(crate) use alloc::boxed::Box;
    pub(crate) use alloc::string::{String, ToString};
    pub(crate) use alloc::vec::Vec;
    pub(crate) use alloc::{format, vec};
}

// (The checks-only build uses neither helper; native builds use `is_whole` only.)
#[cfg_attr(
    any(not(feature = "full"), not(target_arch = "wasm32")),
    allow(dead_code)
)]
mod num;

#[cfg(any(feature = "full", not(target_arch = "wasm32")))]
pub mod api;
pub mod card;
#[cfg(any(feature = "full", not(target_arch = "wasm32")))]
pub mod client;
pub mod error;
// What the wasm builds hand to JS (native builds test it against serde's text).
#[cfg_attr(
    any(not(feature = "full"), not(target_arch = "wasm32")),
    allow(dead_code)
)]
mod json;
// serde's JSON writer: the proxy's (server build) and the tests'.
#[cfg(any(feature = "std", test, not(target_arch = "wasm32")))]
mod json_out;
#[cfg(any(feature = "full", not(target_arch = "wasm32")))]
pub mod proxy;

#[cfg(target_arch = "wasm32")]
// The checks-only build (no `full`) leaves the builders' and the client's helpers unused.
#[cfg_attr(not(feature = "full"), allow(dead_code, unused_imports))]
pub mod js;
#[cfg(target_arch = "wasm32")]
mod recover;

pub use error::{ErrorCode, FieldError, Locale};

/// The wasm allocators. An allocation one cannot serve is still Rust's allocation
/// failure: the instance traps, and the JS entries replace it (`recover.rs`; tested by
/// the recovery suite's "allocation failure" kind).
///
/// The server build (std): Talc, several KB smaller than the default dlmalloc, and
/// fast under a proxy's load.
#[cfg(all(target_arch = "wasm32", feature = "std"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The browser and checks-only builds: lol_alloc's free list (sorted, merged on free;
/// O(its length) per call), about 1.2 KB of wasm smaller than Talc. Their allocations
/// are few and short-lived (a check's answer, a request's body); the page's memory
/// stays flat over 100k allocating calls (`tests/js/load.test.mjs`), and the checks
/// and builders ran as fast in Node as with Talc.
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

/// The panic handler of the package's wasm builds without std (browser, checks-only;
/// feature `panic-handler`): trap,
/// printing nothing. The JS entry catches the trap (or, for a client's callback, its
/// operation's rejection) and replaces the instance (`recover.rs`), as for any other
/// trap. The browser build first schedules the fresh instance, so that no call runs in
/// the dead one before the JS entry hears of a trap in async work; the checks-only
/// build has none.
#[cfg(all(
    target_arch = "wasm32",
    feature = "panic-handler",
    not(feature = "std"),
    not(test)
))]
#[panic_handler]
fn on_panic(_: &core::panic::PanicInfo) -> ! {
    #[cfg(feature = "full")]
    wasm_bindgen::handler::schedule_reinit();
    core::arch::wasm32::unreachable()
}
