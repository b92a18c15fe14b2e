//! The shared JS-surface suite, run under Node (`wasm-pack test --node`).
#![cfg(target_arch = "wasm32")]

mod common;
