//! Response models: Payment, Customer and Schedule.
//!
//! Lenient by design: PortOne adds fields over time, so every field received is
//! kept (`fields`, in order) and serialised back out; the typed fields are read
//! leniently (a wrong type is `None`), and unknown status strings are kept as
//! `Unknown(..)`. A `card_number` that arrives unmasked is masked on the way in.

#[allow(unused_imports)]
use crate::prelude::*;
use serde::{Serialize, Serializer};

use super::value::Value;
use crate::card::number::mask_card_number;

/// A payment's `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentStatus {
    /// Created, not yet paid (poll it).
    Ready,
    /// Paid.
    Paid,
    /// Declined or failed.
    Failed,
    /// Cancelled after payment.
    Cancelled,
    /// A status this version does not know.
    Unknown(String),
}

impl PaymentStatus {
    /// Iamport's string.
    pub fn as_str(&self) -> &str {
        match self {
            PaymentStatus::Ready => "ready",
            PaymentStatus::Paid => "paid",
            PaymentStatus::Failed => "failed",
            PaymentStatus::Cancelled => "cancelled",
            PaymentStatus::Unknown(s) => s,
        }
    }

    /// Parses Iamport's string.
    pub fn parse(s: &str) -> PaymentStatus {
        match s {
            "ready" => PaymentStatus::Ready,
            "paid" => PaymentStatus::Paid,
            "failed" => PaymentStatus::Failed,
            "cancelled" => PaymentStatus::Cancelled,
            other => PaymentStatus::Unknown(other.to_owned()),
        }
    }
}

/// A schedule's `schedule_status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleStatus {
    /// Waiting for its time.
    Scheduled,
    /// Charged (see `payment_status`).
    Executed,
    /// Revoked.
    Revoked,
    /// A status this version does not know.
    Unknown(String),
}

impl ScheduleStatus {
    /// Parses Iamport's string.
    pub fn parse(s: &str) -> ScheduleStatus {
        match s {
            "scheduled" => ScheduleStatus::Scheduled,
            "executed" => ScheduleStatus::Executed,
            "revoked" => ScheduleStatus::Revoked,
            other => ScheduleStatus::Unknown(other.to_owned()),
        }
    }
}

fn text(fields: &[(String, Value)], key: &str) -> Option<String> {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.as_str())
        .map(str::to_owned)
}

fn number(fields: &[(String, Value)], key: &str) -> Option<f64> {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.as_f64())
}

fn integer(fields: &[(String, Value)], key: &str) -> Option<i64> {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.as_i64())
}

/// The object's fields with any unmasked `card_number` masked.
fn safe_fields(fields: &[(String, Value)]) -> Vec<(String, Value)> {
    fields
        .iter()
        .map(|(k, v)| match (k.as_str(), v) {
            // (A byte loop, not `str::contains`: its searcher is memchr, 400 B of wasm.)
            ("card_number", Value::String(s)) if !s.bytes().any(|b| b == b'*') => {
                let masked = mask_card_number(s).unwrap_or_else(|| s.clone());
                (k.clone(), Value::String(masked))
            }
            _ => (k.clone(), v.clone()),
        })
        .collect()
}

fn serialize_fields<S: Serializer>(fields: &[(String, Value)], s: S) -> Result<S::Ok, S::Error> {
    // Serialise exactly as received (after masking), including unknown fields.
    Value::Object(fields.to_vec()).serialize(s)
}

/// A payment (`GET /payments/find`, `onetime`, `again`).
#[derive(Debug, Clone, PartialEq)]
pub struct Payment {
    /// Iamport's id.
    pub imp_uid: Option<String>,
    /// The merchant's order id.
    pub merchant_uid: Option<String>,
    /// The amount charged.
    pub amount: Option<f64>,
    /// The part of it refunded so far.
    pub cancel_amount: Option<f64>,
    /// The status (`Unknown` when absent or new).
    pub status: PaymentStatus,
    /// Why it failed.
    pub fail_reason: Option<String>,
    /// The billing key used or issued.
    pub customer_uid: Option<String>,
    /// The masked card number.
    pub card_number: Option<String>,
    /// UNIX seconds; 0 when not paid.
    pub paid_at: Option<i64>,
    /// Whether Iamport marked it as a test payment.
    pub sandbox: Option<bool>,
    /// Every field as received (card number masked), unknown ones included.
    pub fields: Vec<(String, Value)>,
}

impl Payment {
    /// Reads a payment from a response object; `None` if it is not an object.
    pub fn from_value(v: &Value) -> Option<Payment> {
        let fields = safe_fields(v.as_object()?);
        Some(Payment {
            imp_uid: text(&fields, "imp_uid"),
            merchant_uid: text(&fields, "merchant_uid"),
            amount: number(&fields, "amount"),
            cancel_amount: number(&fields, "cancel_amount"),
            status: text(&fields, "status").map_or(PaymentStatus::Unknown(String::new()), |s| {
                PaymentStatus::parse(&s)
            }),
            fail_reason: text(&fields, "fail_reason").filter(|s| !s.is_empty()),
            customer_uid: text(&fields, "customer_uid"),
            card_number: text(&fields, "card_number"),
            paid_at: integer(&fields, "paid_at"),
            sandbox: fields
                .iter()
                .find(|(k, _)| k == "sandbox")
                .and_then(|(_, v)| match v {
                    Value::Bool(b) => Some(*b),
                    _ => None,
                }),
            fields,
        })
    }
}

impl Payment {
    /// What is left to refund: `amount − cancel_amount` (`None` if either is
    /// missing or they make no sense).
    pub fn refundable(&self) -> Option<u64> {
        let amount = self
            .amount
            .filter(|a| crate::num::is_whole(*a) && *a >= 0.0)?;
        let cancelled = self.cancel_amount.unwrap_or(0.0);
        (crate::num::is_whole(cancelled) && cancelled >= 0.0 && cancelled <= amount)
            .then_some((amount - cancelled) as u64)
    }
}

impl Serialize for Payment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_fields(&self.fields, s)
    }
}

/// A stored billing key (`/subscribe/customers/{customer_uid}`).
#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    /// The billing key's id.
    pub customer_uid: Option<String>,
    /// The card's name (e.g. "신한카드").
    pub card_name: Option<String>,
    /// The masked card number.
    pub card_number: Option<String>,
    /// `kcp`, …
    pub pg_provider: Option<String>,
    /// UNIX seconds.
    pub inserted: Option<i64>,
    /// Every field as received (card number masked), unknown ones included.
    pub fields: Vec<(String, Value)>,
}

impl Customer {
    /// Reads a customer from a response object; `None` if it is not an object.
    pub fn from_value(v: &Value) -> Option<Customer> {
        let fields = safe_fields(v.as_object()?);
        Some(Customer {
            customer_uid: text(&fields, "customer_uid"),
            card_name: text(&fields, "card_name"),
            card_number: text(&fields, "card_number"),
            pg_provider: text(&fields, "pg_provider"),
            inserted: integer(&fields, "inserted"),
            fields,
        })
    }
}

impl Serialize for Customer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_fields(&self.fields, s)
    }
}

/// A scheduled charge.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// The billing key's id.
    pub customer_uid: Option<String>,
    /// The charge's order id.
    pub merchant_uid: Option<String>,
    /// Iamport's payment id once executed.
    pub imp_uid: Option<String>,
    /// UNIX seconds.
    pub schedule_at: Option<i64>,
    /// The amount.
    pub amount: Option<f64>,
    /// `scheduled`, `executed`, `revoked`, or unknown.
    pub schedule_status: ScheduleStatus,
    /// The payment's status once executed.
    pub payment_status: Option<PaymentStatus>,
    /// Why the executed charge failed.
    pub fail_reason: Option<String>,
    /// Every field as received, unknown ones included.
    pub fields: Vec<(String, Value)>,
}

impl Schedule {
    /// Reads a schedule from a response object; `None` if it is not an object.
    pub fn from_value(v: &Value) -> Option<Schedule> {
        let fields = safe_fields(v.as_object()?);
        Some(Schedule {
            customer_uid: text(&fields, "customer_uid"),
            merchant_uid: text(&fields, "merchant_uid"),
            imp_uid: text(&fields, "imp_uid"),
            schedule_at: integer(&fields, "schedule_at"),
            amount: number(&fields, "amount"),
            schedule_status: text(&fields, "schedule_status")
                .map_or(ScheduleStatus::Unknown(String::new()), |s| {
                    ScheduleStatus::parse(&s)
                }),
            payment_status: text(&fields, "payment_status").map(|s| PaymentStatus::parse(&s)),
            fail_reason: text(&fields, "fail_reason").filter(|s| !s.is_empty()),
            fields,
        })
    }
}

impl Serialize for Schedule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_fields(&self.fields, s)
    }
}
