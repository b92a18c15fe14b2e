//! The Iamport V1 API: request builders, wire bodies, response models and the
//! outcome decoder. Pure Rust; nothing here sends anything.

pub mod body;
pub mod build;
pub mod json;
mod lookup;
pub mod model;
pub mod operation;
pub mod outcome;
pub mod plan;
pub mod read;
pub mod refund;
pub mod request;
mod to_json;
pub mod value;
pub mod webhook;

pub use build::*;
pub use json::{parse_json, parse_json_bytes, JsonError};
pub use model::{Customer, Payment, PaymentStatus, Schedule, ScheduleStatus};
pub use outcome::{
    decode_customer, decode_customers, decode_outcome, decode_schedules, ApiError, Outcome,
    OutcomeStatus, SchedulePage,
};
pub use plan::{build_monthly_schedules, BuiltPlan};
pub use refund::{build_cancel_payment, build_get_payment};
pub use request::{BuildOptions, Method, PgProfile, Query, Request};
pub use value::Value;

#[cfg(test)]
mod tests;
