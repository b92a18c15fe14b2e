//! The Iamport V1 API: request builders, wire bodies, response models and the
//! outcome decoder. Pure Rust; nothing here sends anything.

pub mod body;
pub mod build;
pub mod json;
mod lookup;
pub mod model;
pub mod operation;
pub mod outcome;
pub mod read;
pub mod request;
pub mod value;

pub use build::*;
pub use json::{parse_json, parse_json_bytes, JsonError};
pub use model::{Customer, Payment, PaymentStatus, Schedule, ScheduleStatus};
pub use outcome::{
    decode_customer, decode_customers, decode_outcome, decode_schedules, ApiError, Outcome,
    OutcomeStatus, SchedulePage,
};
pub use request::{BuildOptions, Method, PgProfile, Query, Request};
pub use value::Value;

#[cfg(test)]
mod tests;
