//! Turning any Iamport answer into the right verdict.
//!
//! A payment succeeded **only** if HTTP 200, `code == 0` and
//! `response.status == "paid"`. `code == 0` alone means "processed", not
//! "charged": a decline comes back either as `code 0` + `status "failed"` or as
//! `code -1` + a message. When the answer cannot tell (5xx, an empty or
//! malformed body, a gateway timeout), the outcome is `Unknown` and must be
//! resolved by looking the payment up by `merchant_uid`, never by re-sending.

#[allow(unused_imports)]
use crate::prelude::*;
use serde::Serialize;

use super::model::{Customer, Payment, PaymentStatus, Schedule};
use super::value::Value;

/// The verdict on a charge (or on a payment look-up).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutcomeStatus {
    /// Charged: HTTP 200, code 0, status `paid`. Check `amount_mismatch` too.
    Paid,
    /// Not charged: declined (`code 0` + `failed`, or `code != 0` with HTTP 200).
    Failed,
    /// Created but not settled yet: poll the look-up.
    Ready,
    /// Paid, then cancelled.
    Cancelled,
    /// Refused before any charge (HTTP 4xx: bad input, auth, not found, proxy rules).
    Rejected,
    /// Cannot tell (5xx, timeout, empty or malformed answer, a new status):
    /// look the payment up by `merchant_uid`; never re-send blindly.
    Unknown,
}

impl OutcomeStatus {
    /// The name JS uses (`"paid"`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            OutcomeStatus::Paid => "paid",
            OutcomeStatus::Failed => "failed",
            OutcomeStatus::Ready => "ready",
            OutcomeStatus::Cancelled => "cancelled",
            OutcomeStatus::Rejected => "rejected",
            OutcomeStatus::Unknown => "unknown",
        }
    }
}

/// The decoded answer to a charge.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// The verdict.
    pub status: OutcomeStatus,
    /// The HTTP status the answer came with (0 when there was no answer).
    pub http_status: u16,
    /// The payment, when the answer held one.
    pub payment: Option<Payment>,
    /// Why it failed (`fail_reason`, or the message of a `code != 0` answer).
    pub fail_reason: Option<String>,
    /// Iamport's envelope `code`, when there was an envelope.
    pub iamport_code: Option<i64>,
    /// Iamport's (or the proxy's) message.
    pub message: Option<String>,
    /// The merchant proxy's error code (`{"error": {"code"}}`), if it refused.
    pub error_code: Option<String>,
    /// The payment's amount differs from `expected_amount`: treat as not OK.
    pub amount_mismatch: bool,
}

/// An answer that is not a success, for the non-charge decoders.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    /// The HTTP status.
    pub http_status: u16,
    /// Iamport's envelope `code`.
    pub iamport_code: Option<i64>,
    /// Iamport's (or the proxy's) message.
    pub message: Option<String>,
    /// The merchant proxy's error code, if it refused.
    pub error_code: Option<String>,
}

/// The parts of an answer every decoder reads.
struct Envelope<'a> {
    code: Option<i64>,
    message: Option<String>,
    response: Option<&'a Value>,
    error_code: Option<String>,
}

fn envelope(body: Option<&Value>) -> Option<Envelope<'_>> {
    let body = body?;
    body.as_object()?;
    // The merchant proxy's own refusals: {"error": {"code", "message", "fields"?}}.
    if let Some(err) = body.get("error").filter(|e| e.as_object().is_some()) {
        return Some(Envelope {
            code: None,
            message: err
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_owned),
            response: None,
            error_code: err.get("code").and_then(Value::as_str).map(str::to_owned),
        });
    }
    Some(Envelope {
        code: body.get("code").and_then(Value::as_i64),
        message: body
            .get("message")
            .and_then(Value::as_str)
            .filter(|m| !m.is_empty())
            .map(str::to_owned),
        response: body.get("response").filter(|r| !r.is_null()),
        error_code: None,
    })
}

/// Decodes the answer to a charge (`onetime`, `again`) or a payment look-up.
///
/// `body` is the parsed JSON (`None` for an empty or non-JSON body). With
/// `expected_amount`, a payment whose amount differs sets `amount_mismatch`.
pub fn decode_outcome(
    http_status: u16,
    body: Option<&Value>,
    expected_amount: Option<u64>,
) -> Outcome {
    let env = envelope(body);
    let mut out = Outcome {
        status: OutcomeStatus::Unknown,
        http_status,
        payment: None,
        fail_reason: None,
        iamport_code: env.as_ref().and_then(|e| e.code),
        message: env.as_ref().and_then(|e| e.message.clone()),
        error_code: env.as_ref().and_then(|e| e.error_code.clone()),
        amount_mismatch: false,
    };
    out.status = match (http_status, env) {
        (400..=499, _) => OutcomeStatus::Rejected,
        (
            200,
            Some(Envelope {
                code: Some(0),
                response: Some(r),
                ..
            }),
        ) => match Payment::from_value(r) {
            Some(p) => {
                out.amount_mismatch = match (expected_amount, p.amount) {
                    (Some(want), Some(got)) => got != want as f64,
                    (Some(_), None) => true,
                    _ => false,
                };
                let status = match &p.status {
                    PaymentStatus::Paid => OutcomeStatus::Paid,
                    PaymentStatus::Failed => OutcomeStatus::Failed,
                    PaymentStatus::Ready => OutcomeStatus::Ready,
                    PaymentStatus::Cancelled => OutcomeStatus::Cancelled,
                    PaymentStatus::Unknown(_) => OutcomeStatus::Unknown,
                };
                if status == OutcomeStatus::Failed {
                    out.fail_reason = p.fail_reason.clone().or_else(|| out.message.clone());
                }
                out.payment = Some(p);
                status
            }
            None => OutcomeStatus::Unknown,
        },
        // Processed, and refused: nothing was charged.
        (
            200,
            Some(Envelope {
                code: Some(code), ..
            }),
        ) if code != 0 => {
            out.fail_reason = out.message.clone();
            OutcomeStatus::Failed
        }
        // 5xx, 2xx without a usable envelope, no answer at all: cannot tell.
        _ => OutcomeStatus::Unknown,
    };
    out
}

fn error_of(http_status: u16, env: Option<Envelope<'_>>) -> ApiError {
    ApiError {
        http_status,
        iamport_code: env.as_ref().and_then(|e| e.code),
        message: env.as_ref().and_then(|e| e.message.clone()),
        error_code: env.and_then(|e| e.error_code),
    }
}

/// The `response` of a successful (HTTP 2xx, `code 0`) answer.
fn success(http_status: u16, body: Option<&Value>) -> Result<&Value, ApiError> {
    match envelope(body) {
        Some(Envelope {
            code: Some(0),
            response: Some(r),
            ..
        }) if (200..300).contains(&http_status) => Ok(r),
        env => Err(error_of(http_status, env)),
    }
}

/// Decodes `GET`/`DELETE`/`POST /subscribe/customers/{customer_uid}`.
///
/// # Errors
/// Any answer that is not HTTP 2xx with `code 0` and a customer object.
pub fn decode_customer(http_status: u16, body: Option<&Value>) -> Result<Customer, ApiError> {
    let r = success(http_status, body)?;
    Customer::from_value(r).ok_or_else(|| error_of(http_status, envelope(body)))
}

/// Decodes `GET /subscribe/customers?customer_uid[]=…`: HTTP 207 (some ids
/// missing) still yields the customers that were found.
///
/// # Errors
/// Any answer without a customer list.
pub fn decode_customers(http_status: u16, body: Option<&Value>) -> Result<Vec<Customer>, ApiError> {
    let list = match envelope(body) {
        Some(Envelope {
            response: Some(Value::Array(items)),
            ..
        }) if matches!(http_status, 200 | 207) => items,
        env => return Err(error_of(http_status, env)),
    };
    Ok(list.iter().filter_map(Customer::from_value).collect())
}

/// A page of schedules. Iamport's schema says an array; clients see a page
/// object `{total, previous, next, list}`: both are accepted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchedulePage {
    /// The schedules.
    pub list: Vec<Schedule>,
    /// The total count, when the answer was a page.
    pub total: Option<i64>,
    /// The previous page number, when there is one.
    pub previous: Option<i64>,
    /// The next page number, when there is one.
    pub next: Option<i64>,
}

/// Decodes schedule answers: one schedule, an array, or a page object.
///
/// # Errors
/// Any answer that is not HTTP 2xx with `code 0` and schedules.
pub fn decode_schedules(http_status: u16, body: Option<&Value>) -> Result<SchedulePage, ApiError> {
    let r = success(http_status, body)?;
    let page_num = |k: &str| r.get(k).and_then(Value::as_i64).filter(|n| *n > 0);
    let (items, total, previous, next): (Vec<&Value>, _, _, _) = match r {
        Value::Array(items) => (items.iter().collect(), None, None, None),
        Value::Object(_) => match r.get("list").and_then(Value::as_array) {
            Some(items) => (
                items.iter().collect(),
                r.get("total").and_then(Value::as_i64),
                page_num("previous"),
                page_num("next"),
            ),
            // A single schedule (GET /subscribe/payments/schedule/{merchant_uid}).
            None => (vec![r], None, None, None),
        },
        _ => return Err(error_of(http_status, envelope(body))),
    };
    Ok(SchedulePage {
        list: items.into_iter().filter_map(Schedule::from_value).collect(),
        total,
        previous,
        next,
    })
}

#[cfg(test)]
mod tests;
