//! What the merchant allows, decided fail-closed: which operations are
//! served, what the hooks' answers mean, which amounts must be priced, and the
//! fields the server owns.
//!
//! The threat: anyone can reach the proxy (no `Origin`, no cookie: `curl`).
//! It holds the secret's power, so every request needs the merchant's yes
//! (`authorize` answering exactly `true`) and every amount that may move money
//! needs the merchant's own price (`resolveAmount`).

#[allow(unused_imports)]
use crate::prelude::*;
use serde::Serialize;

use super::code::{ProxyCode, ProxyError};
use super::prepare::OperationInfo;
use crate::api::body::Body;
use crate::api::build::is_kcp_pg;
use crate::api::operation::{OpName, OPERATIONS};
use crate::api::read::is_http_url;
use crate::api::value::MAX_SAFE_INTEGER;
use crate::api::Request;

/// Fields the browser could otherwise choose, set by the proxy's options:
/// when an option is set, it is what goes upstream, and a browser value that
/// differs is refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerFields {
    /// `pg` (`kcp` or `kcp.{site}`): a test-mode channel would show "paid" with no money moved.
    pub pg: Option<String>,
    /// `channel_key`.
    pub channel_key: Option<String>,
    /// `notice_url`: the webhook Iamport calls (an attacker's, or an internal address, otherwise).
    pub notice_url: Option<String>,
}

/// The options the decisions need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// The operations served; `None`: every operation.
    pub operations: Option<Vec<OpName>>,
    /// `authorize` was given.
    pub has_authorize: bool,
    /// `resolveAmount` was given.
    pub has_resolve_amount: bool,
    /// The fields the server owns.
    pub server_fields: ServerFields,
}

impl Policy {
    /// Fails closed at `createProxy`: the message of the `TypeError` to throw.
    ///
    /// # Errors
    /// No `authorize`; a priced operation served without `resolveAmount`; a bad
    /// server-owned field.
    pub fn check(&self) -> Result<(), String> {
        if !self.has_authorize {
            return Err("createProxy: authorize is required: (request, operation) => true only for a caller allowed to run that operation; without it the proxy would run any operation for anyone".into());
        }
        if !self.has_resolve_amount {
            let priced: Vec<&str> = OPERATIONS
                .iter()
                .filter(|o| o.is_priced() && self.serves(o.name))
                .map(|o| o.client)
                .collect();
            if !priced.is_empty() {
                return Err(format!(
                    "createProxy: resolveAmount is required to serve {} (the server's price for every amount charged); or leave them out of operations",
                    priced.join(", ")
                ));
            }
        }
        let f = &self.server_fields;
        if f.pg.as_deref().is_some_and(|p| !is_kcp_pg(p)) {
            return Err("createProxy: pg must be \"kcp\" or \"kcp.{site code}\"".into());
        }
        if f.notice_url.as_deref().is_some_and(|u| !is_http_url(u)) {
            return Err("createProxy: noticeUrl must be an absolute http(s) URL".into());
        }
        if f.channel_key
            .as_deref()
            .is_some_and(|k| k.is_empty() || k.len() > 55)
        {
            return Err("createProxy: channelKey must be 1 to 55 characters".into());
        }
        Ok(())
    }

    /// Whether `op` is served (anything else is 404).
    /// A server-only operation (a refund) is never served.
    pub fn serves(&self, op: OpName) -> bool {
        !op.server_only() && self.operations.as_ref().is_none_or(|ops| ops.contains(&op))
    }
}

/// Reads the `operations` option: client method names.
///
/// # Errors
/// The `TypeError` message for a name that is no operation.
pub fn parse_operations(names: &[String]) -> Result<Vec<OpName>, String> {
    names
        .iter()
        .map(|n| match OpName::from_client(n) {
            Some(op) if op.server_only() => Err(format!(
                "createProxy: operations: {n} is server-only: it moves money back, so it never \
                 runs from a browser; call it from your server with createServerClient"
            )),
            Some(op) => Ok(op),
            None => {
                let known: Vec<&str> = OPERATIONS
                    .iter()
                    .filter(|o| !o.name.server_only())
                    .map(|o| o.client)
                    .collect();
                Err(format!(
                    "createProxy: operations: {:?} is not an operation (one of {})",
                    crate::api::read::printable_key(n),
                    known.join(", ")
                ))
            }
        })
        .collect()
}

/// Puts the server-owned fields on the request. A browser value that differs
/// is refused (it is never silently replaced: the page is wrong, or hostile).
///
/// # Errors
/// `INVALID_INPUT` (400) naming the field, code `SERVER_OWNED`.
pub fn apply_server_fields(req: &mut Request, f: &ServerFields) -> Result<(), ProxyError> {
    fn own(
        slot: &mut Option<String>,
        server: &Option<String>,
        field: &str,
        wrong: &mut Vec<String>,
    ) {
        if let Some(v) = server {
            if slot.as_ref().is_some_and(|b| b != v) {
                wrong.push(field.to_owned());
            }
            *slot = Some(v.clone());
        }
    }
    let mut wrong = Vec::new();
    match &mut req.body {
        Some(Body::OnetimePayment(b)) => {
            own(&mut b.pg, &f.pg, "pg", &mut wrong);
            own(
                &mut b.extras.notice_url,
                &f.notice_url,
                "notice_url",
                &mut wrong,
            );
        }
        Some(Body::AgainPayment(b)) => {
            own(
                &mut b.channel_key,
                &f.channel_key,
                "channel_key",
                &mut wrong,
            );
            own(
                &mut b.extras.notice_url,
                &f.notice_url,
                "notice_url",
                &mut wrong,
            );
        }
        Some(Body::BillingKey(b)) => {
            own(&mut b.pg, &f.pg, "pg", &mut wrong);
            own(
                &mut b.channel_key,
                &f.channel_key,
                "channel_key",
                &mut wrong,
            );
        }
        Some(Body::SchedulePayments(b)) => {
            own(&mut b.pg, &f.pg, "pg", &mut wrong);
            for (i, s) in b.schedules.iter_mut().enumerate() {
                let field = format!("schedules[{i}].notice_url");
                own(&mut s.extras.notice_url, &f.notice_url, &field, &mut wrong);
            }
        }
        Some(Body::Unschedule(_) | Body::CancelPayment(_)) | None => {}
    }
    if wrong.is_empty() {
        return Ok(());
    }
    let mut e = ProxyError::new(
        ProxyCode::ServerOwnedField,
        "a field the server sets was sent with another value",
    );
    e.fields = wrong
        .into_iter()
        .take(super::code::MAX_FIELD_ERRORS)
        .map(|field| {
            crate::error::FieldError::new(
                field,
                crate::error::ErrorCode::ServerOwned,
                crate::error::Locale::En,
            )
        })
        .collect();
    Err(e)
}

/// What one `resolveAmount` call prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Pricing {
    /// A charge now (`payOnetime`, `payAgain`).
    Charge,
    /// One scheduled charge (one call per entry).
    ScheduledCharge,
    /// A schedule's `checking_amount`: a test charge now, cancelled at once.
    CheckingAmount,
}

/// One amount to price: the operation as `resolveAmount` sees it, with
/// `pricing` set and `merchantUid` / `amount` (and `scheduleAt`) being the
/// priced item's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PriceRequest {
    /// The whole operation.
    #[serde(flatten)]
    pub operation: OperationInfo,
    /// What is priced.
    pub pricing: Pricing,
    /// A scheduled charge's time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule_at: Option<i64>,
}

/// Every amount an operation asks to charge, each to be priced on its own:
/// a charge's amount; each schedule entry; a schedule's `checking_amount`.
pub fn price_requests(op: &OperationInfo) -> Vec<PriceRequest> {
    let item = |merchant_uid: Option<String>, amount, pricing, schedule_at| {
        let mut operation = op.clone();
        operation.merchant_uid = merchant_uid;
        operation.amount = Some(amount);
        PriceRequest {
            operation,
            pricing,
            schedule_at,
        }
    };
    if op.name.charges_now() {
        return op
            .amount
            .map(|a| item(op.merchant_uid.clone(), a, Pricing::Charge, None))
            .into_iter()
            .collect();
    }
    let mut out: Vec<PriceRequest> = op
        .schedules
        .iter()
        .map(|s| {
            item(
                Some(s.merchant_uid.clone()),
                s.amount,
                Pricing::ScheduledCharge,
                Some(s.schedule_at),
            )
        })
        .collect();
    if let Some(c) = op.checking_amount {
        out.push(item(None, c, Pricing::CheckingAmount, None));
    }
    out
}

/// What `resolveAmount` answered, as the adapter read it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PriceAnswer {
    /// A JS number.
    Number(f64),
    /// Anything else: `null`, `undefined`, a string, a bigint, an object.
    Other,
}

/// Checks one priced amount against the merchant's answer: it must be a whole
/// positive number of KRW (a string, even `"9900"`, is no price) and equal.
///
/// # Errors
/// `AMOUNT_UNRESOLVED` (409) for no usable price, `AMOUNT_MISMATCH` (409).
pub fn check_price(amount: u64, answer: PriceAnswer) -> Result<(), ProxyError> {
    let price = match answer {
        PriceAnswer::Number(n)
            if crate::num::is_whole(n) && (1.0..=MAX_SAFE_INTEGER).contains(&n) =>
        {
            n as u64
        }
        _ => {
            return Err(ProxyError::new(
                ProxyCode::AmountUnresolved,
                "no server-side price for this amount",
            ))
        }
    };
    if price == amount {
        Ok(())
    } else {
        Err(ProxyError::new(
            ProxyCode::AmountMismatch,
            "the amount differs from the server-side price",
        ))
    }
}
