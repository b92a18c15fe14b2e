//! A refund (`POST /payments/cancel`): send once; when the answer cannot be
//! trusted, look the payment up and judge from its refundable balance whether
//! this refund was applied. Never re-sent.

// The browser build (wasm without `proxy`) never runs a refund (`run` refuses it there).
#![cfg_attr(all(target_arch = "wasm32", not(feature = "proxy")), allow(dead_code))]
#[allow(unused_imports)]
use crate::prelude::*;

use serde::Serialize;

use super::charge::{answer_error, answered_payment, proxy_code, ClientError, Transport};
use super::{UnknownReason, READY_BACKOFF_MS};
use crate::api::body::{Body, CancelPayment};
use crate::api::{self, BuildOptions, Payment, PaymentStatus, Request, Value};
use crate::proxy::ProxyCode;

/// Whether the refund happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RefundStatus {
    /// Iamport applied it (its answer said so, or the look-up shows it).
    Refunded,
    /// No trustworthy answer, and the look-up could not show it applied:
    /// see `unknownReason`. Never re-sent on its own.
    Unknown,
}

impl RefundStatus {
    /// The name JS uses: `"refunded"` or `"unknown"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RefundStatus::Refunded => "refunded",
            RefundStatus::Unknown => "unknown",
        }
    }
}

/// A refund's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundOutcome {
    /// Refunded or unknown (a refusal rejects instead).
    pub status: RefundStatus,
    /// The payment after the refund (`cancel_amount`, `cancel_history`, `status`),
    /// or as the last look-up saw it.
    pub payment: Option<Payment>,
    /// What is left to refund, from `payment`.
    pub remaining: Option<u64>,
    /// The result came from a look-up after a lost answer.
    pub resolved_by_lookup: bool,
    /// Why `status` is `unknown`.
    pub unknown_reason: Option<&'static str>,
    /// What to do next, when `unknown`.
    pub message: Option<&'static str>,
}

impl RefundOutcome {
    fn refunded(payment: Payment, by_lookup: bool) -> Self {
        RefundOutcome {
            status: RefundStatus::Refunded,
            remaining: payment.refundable(),
            payment: Some(payment),
            resolved_by_lookup: by_lookup,
            unknown_reason: None,
            message: None,
        }
    }

    fn unknown(reason: UnknownReason, payment: Option<Payment>) -> Self {
        RefundOutcome {
            status: RefundStatus::Unknown,
            remaining: payment.as_ref().and_then(Payment::refundable),
            payment,
            resolved_by_lookup: true,
            unknown_reason: Some(reason.as_str()),
            message: Some(reason.refund_advice()),
        }
    }
}

/// What a look-up shows about one refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The balance moved exactly as this refund would move it.
    Yes,
    /// The balance is what it was before: not applied (yet).
    NotYet,
    /// The balance is neither: something else refunded meanwhile.
    Changed,
}

/// Judges a refund from the payment a look-up returned. With `checksum` (the
/// balance before), applied means the balance is now `checksum − amount` (0
/// for a full refund); without (a full refund only), that the payment is
/// cancelled with nothing left.
pub fn refund_applied(payment: &Payment, req: &CancelPayment) -> Applied {
    let Some(left) = payment.refundable() else {
        return Applied::Changed;
    };
    match req.checksum {
        Some(before) => {
            let after = before.saturating_sub(req.amount.unwrap_or(before));
            if left == after {
                Applied::Yes
            } else if left == before {
                Applied::NotYet
            } else {
                Applied::Changed
            }
        }
        None if left == 0 || payment.status == PaymentStatus::Cancelled => Applied::Yes,
        None => Applied::NotYet,
    }
}

/// Sends a built refund; see the module docs.
pub(super) async fn refund<T: Transport>(
    t: &T,
    req: &Request,
    opts: &BuildOptions,
) -> Result<RefundOutcome, ClientError> {
    let Some(Body::CancelPayment(cancel)) = &req.body else {
        return Err(ClientError::InvalidInput(Vec::new()));
    };
    // Anything but a clear answer (a refusal, or the payment after the refund)
    // falls through to the look-up.
    if let Ok((status, body)) = t.send(req).await {
        match proxy_code(body.as_ref()) {
            Some(code) if ProxyCode::wire_may_have_charged(code) => {}
            Some(_) => return Err(answer_error(status, body.as_ref())),
            None if (400..500).contains(&status) => {
                return Err(answer_error(status, body.as_ref()))
            }
            None if status == 200 => {
                let code = body.as_ref().and_then(|b| b.get("code"));
                let payment = body
                    .as_ref()
                    .and_then(|b| b.get("response"))
                    .and_then(Payment::from_value);
                match (code.and_then(Value::as_i64), payment) {
                    (Some(0), Some(p)) => return Ok(RefundOutcome::refunded(p, false)),
                    // Iamport refused it (balance mismatch, over-refund, already
                    // cancelled, no such payment): nothing was refunded.
                    (Some(c), _) if c != 0 => return Err(answer_error(status, body.as_ref())),
                    _ => {}
                }
            }
            None => {}
        }
    }
    Ok(resolve(t, cancel, opts).await)
}

async fn lookup<T: Transport>(
    t: &T,
    cancel: &CancelPayment,
    opts: &BuildOptions,
) -> Result<Option<Payment>, ()> {
    let built = match (&cancel.imp_uid, &cancel.merchant_uid) {
        (Some(imp), _) => api::build_get_payment(&Value::String(imp.clone()), opts),
        (None, Some(m)) => api::build_find_payment(&Value::String(m.clone()), &Value::Null, opts),
        (None, None) => return Err(()),
    };
    let req = built.map_err(|_| ())?;
    let (status, body) = t.send(&req).await.map_err(|_| ())?;
    if status == 404 && proxy_code(body.as_ref()).is_none() {
        return Ok(None);
    }
    answered_payment(status, body.as_ref()).map(Some).ok_or(())
}

/// Looks the payment up with the charges' bounded back-off until it shows the
/// refund applied, or something else changed its balance.
async fn resolve<T: Transport>(
    t: &T,
    cancel: &CancelPayment,
    opts: &BuildOptions,
) -> RefundOutcome {
    let delays = core::iter::once(0).chain(READY_BACKOFF_MS.iter().copied());
    let mut last = UnknownReason::LookupFailed;
    let mut seen = None;
    for delay in delays {
        if delay > 0 {
            t.sleep(delay).await;
        }
        match lookup(t, cancel, opts).await {
            Ok(Some(p)) => match refund_applied(&p, cancel) {
                Applied::Yes => return RefundOutcome::refunded(p, true),
                Applied::Changed => {
                    return RefundOutcome::unknown(UnknownReason::BalanceChanged, Some(p))
                }
                Applied::NotYet => {
                    last = UnknownReason::NotApplied;
                    seen = Some(p);
                }
            },
            Ok(None) => return RefundOutcome::unknown(UnknownReason::NotFound, None),
            Err(()) => last = UnknownReason::LookupFailed,
        }
    }
    RefundOutcome::unknown(last, seen)
}

impl crate::json::ToJson for RefundOutcome {
    fn write_json(&self, out: &mut String) {
        crate::json::Object::new(out)
            .member("status", &self.status.as_str())
            .member("payment", &self.payment)
            .member("remaining", &self.remaining)
            .member("resolvedByLookup", &self.resolved_by_lookup)
            .member("unknownReason", &self.unknown_reason)
            .member("message", &self.message)
            .end();
    }
}
