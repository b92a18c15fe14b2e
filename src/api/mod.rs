//! The Iamport V1 API: request builders, wire bodies, response models and the
//! outcome decoder. Pure Rust; nothing here sends anything.

pub mod body;
pub mod build;
pub mod read;
pub mod request;
pub mod value;

pub use build::*;
pub use request::{BuildOptions, Method, PgProfile, Query, Request};
pub use value::Value;

#[cfg(test)]
mod tests;
