//! The refund builder (`POST /payments/cancel`) and the look-up by Iamport's
//! own id (`GET /payments/{imp_uid}`): the server half's operations.
//!
//! A refund moves money back, so it follows the charges' rule: one whose answer
//! is lost is looked up, never re-sent. That is why a partial refund needs
//! `checksum` (the refundable balance before it): with it, a look-up tells
//! whether this refund was applied (the balance dropped by `amount`), and
//! Iamport itself refuses a second refund made against a stale balance.

use super::body::{Body, CancelPayment};
use super::build::{finish, path_with, read_part_of_amount, Built, MAX_INT, MERCHANT_UID_MAX};
use super::read::{uid_arg, Ctx, Reader};
use super::request::{BuildOptions, Method, PgProfile, Query, Request};
use super::value::Value;
use crate::error::ErrorCode;
#[allow(unused_imports)]
use crate::prelude::*;

/// `imp_uid`'s length limit (Iamport's ids are `imp_` and 12 digits).
pub const IMP_UID_MAX: usize = 40;
/// `reason`'s length limit. The V1 schema gives none; KCP keeps a short
/// cancellation memo, and 200 characters matches `deleteBillingKey`'s reason.
pub const CANCEL_REASON_MAX: usize = 200;

/// `GET /payments/{imp_uid}`: one payment by Iamport's id (a webhook's, say).
///
/// # Errors
/// An error for a uid that is missing or unsafe in a path.
pub fn build_get_payment(imp_uid: &Value, opts: &BuildOptions) -> Built {
    let mut ctx = Ctx::new(opts.locale);
    let uid = uid_arg(&mut ctx, "imp_uid", imp_uid, IMP_UID_MAX);
    let request = uid.map(|u| Request {
        method: Method::Get,
        path: path_with("/payments/", &u),
        query: Query::default(),
        body: None,
    });
    finish(ctx, request)
}

/// `POST /payments/cancel`: a full or partial refund.
///
/// - `imp_uid` or `merchant_uid` is required; Iamport uses `imp_uid` when both
///   are given.
/// - No `amount` is a full refund. `amount` must be a positive whole number: a
///   `0`, which Iamport reads as "refund everything", is refused, so that a
///   computed refund of nothing never becomes a full one.
/// - A partial refund needs `checksum`, the refundable balance before it, and
///   `amount` may not exceed it.
/// - `tax_free` goes from 0 up to `amount` (or the balance, for a full refund).
/// - `reason` is required (≤ [`CANCEL_REASON_MAX`] characters).
/// - `vat_amount` only with `pgProfile: "any"` (KCP takes no VAT split).
///
/// # Errors
/// Every field error, at once.
pub fn build_cancel_payment(input: &Value, opts: &BuildOptions) -> Built {
    let mut ctx = Ctx::new(opts.locale);
    let Some(mut r) = Reader::new(&mut ctx, input, "") else {
        return Err(ctx.errors);
    };
    let imp_uid = r.uid(&mut ctx, "imp_uid", IMP_UID_MAX, false);
    let merchant_uid = r.uid(&mut ctx, "merchant_uid", MERCHANT_UID_MAX, false);
    let absent = |v: Option<&Value>| v.is_none_or(Value::is_null);
    if absent(input.get("imp_uid")) && absent(input.get("merchant_uid")) {
        ctx.err("imp_uid", ErrorCode::PaymentIdRequired);
    }
    let amount = r.amount(&mut ctx, "amount", false);
    let checksum = r
        .integer(&mut ctx, "checksum", 0, MAX_INT, false)
        .map(|c| c as u64);
    let partial = !absent(input.get("amount"));
    if partial && absent(input.get("checksum")) {
        ctx.err("checksum", ErrorCode::ChecksumRequired);
    }
    if let (Some(a), Some(c)) = (amount, checksum) {
        if a > c {
            ctx.err("amount", ErrorCode::RefundExceedsBalance);
        }
    }
    let tax_free = read_part_of_amount(&mut r, &mut ctx, "tax_free", amount.or(checksum));
    let vat_amount = match opts.pg_profile {
        PgProfile::Kcp => {
            r.forbid(&mut ctx, "vat_amount", ErrorCode::UnsupportedByPg);
            None
        }
        PgProfile::Any => read_part_of_amount(&mut r, &mut ctx, "vat_amount", amount.or(checksum)),
    };
    let reason = r.string(&mut ctx, "reason", Some(CANCEL_REASON_MAX), true);
    r.finish(&mut ctx);
    let request = reason.map(|reason| Request {
        method: Method::Post,
        path: "/payments/cancel".into(),
        query: Query::default(),
        body: Some(Body::CancelPayment(CancelPayment {
            imp_uid,
            merchant_uid,
            amount,
            tax_free,
            vat_amount,
            checksum,
            reason,
        })),
    });
    finish(ctx, request)
}

/// The operation table's builder for `cancelPayment`. The browser build (wasm
/// without the `proxy` feature) carries no refund code: there it refuses.
#[cfg(any(not(target_arch = "wasm32"), feature = "proxy"))]
pub(crate) fn build_cancel_row(input: &Value, opts: &BuildOptions) -> Built {
    build_cancel_payment(input, opts)
}

/// The operation table's builder for `cancelPayment` in the browser build: refunds
/// are server-only, so it refuses without reading anything.
#[cfg(all(target_arch = "wasm32", not(feature = "proxy")))]
pub(crate) fn build_cancel_row(_input: &Value, _opts: &BuildOptions) -> Built {
    Err(Vec::new())
}
