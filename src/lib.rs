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

pub mod api;
pub mod card;
pub mod client;
pub mod error;
mod json_out;
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
