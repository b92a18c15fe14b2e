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
// The checks-only wasm (no `full`) links no std: without std's panic machinery (its
// hook formats every panic) and thread-locals it is several KB smaller. Its panics
// trap at once (`on_panic` below), as `panic = "abort"` does in every build.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "full")), no_std)]

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
#[cfg(any(feature = "full", not(target_arch = "wasm32")))]
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

/// The wasm allocator: Talc instead of the default dlmalloc, several KB smaller (and
/// faster). An allocation it cannot serve is still Rust's allocation failure: the
/// instance traps, and the JS entries replace it (`recover.rs`; tested by the
/// recovery suite's "allocation failure" kind).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The checks-only wasm's panic handler: trap, printing nothing. The JS entry catches
/// the trap and replaces the instance (`recover.rs`), as for any other trap.
#[cfg(all(target_arch = "wasm32", not(feature = "full"), not(test)))]
#[panic_handler]
fn on_panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
