//! The builders of the look-ups, the billing-key deletion and `unschedule`:
//! uids in paths and queries, no card data. (The charging builders are in
//! `build.rs`, whose helpers these share.)

use super::body::{Body, Unschedule};
use super::build::{
    finish, indexed, int_string, path_with, Built, BILLING_KEYS_MAX, CUSTOMER_UID_MAX, LIST_MAX,
    MAX_INT, MERCHANT_UID_MAX, SCHEDULE_WINDOW_MAX,
};
use super::read::{uid_arg, Ctx, Reader};
use super::request::{BuildOptions, Method, Query, Request};
use super::value::Value;
use crate::error::ErrorCode;
#[allow(unused_imports)]
use crate::prelude::*;

fn get_request(path: String) -> Request {
    Request {
        method: Method::Get,
        path,
        query: Query::default(),
        body: None,
    }
}

/// `GET /subscribe/customers/{customer_uid}`: the stored billing key (masked).
///
/// # Errors
/// An error for a uid that is missing or unsafe in a path.
pub fn build_get_billing_key(customer_uid: &Value, opts: &BuildOptions) -> Built {
    let mut ctx = Ctx::new(opts.locale);
    let uid = uid_arg(&mut ctx, "customer_uid", customer_uid, CUSTOMER_UID_MAX);
    let request = uid.map(|u| get_request(path_with("/subscribe/customers/", &u)));
    finish(ctx, request)
}

/// `DELETE /subscribe/customers/{customer_uid}[?reason=…]`: deletes the billing key.
///
/// # Errors
/// An error for a bad uid or a non-string reason.
pub fn build_delete_billing_key(
    customer_uid: &Value,
    reason: &Value,
    opts: &BuildOptions,
) -> Built {
    let mut ctx = Ctx::new(opts.locale);
    let uid = uid_arg(&mut ctx, "customer_uid", customer_uid, CUSTOMER_UID_MAX);
    let reason = match reason {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) if super::read::char_count(s) > 200 => {
            ctx.too_long("reason", 200);
            None
        }
        Value::String(s) => Some(s.clone()),
        _ => {
            ctx.err("reason", ErrorCode::InvalidType);
            None
        }
    };
    let request = uid.map(|u| Request {
        method: Method::Delete,
        path: path_with("/subscribe/customers/", &u),
        query: Query(
            reason
                .map(|r| vec![("reason".to_owned(), r)])
                .unwrap_or_default(),
        ),
        body: None,
    });
    finish(ctx, request)
}

/// Reads a list of uids (`customer_uid[]`, `merchant_uid[]`), each checked and unique.
fn uid_list(
    ctx: &mut Ctx,
    field: &str,
    v: &Value,
    max: usize,
    limit: usize,
) -> Option<Vec<String>> {
    let Some(items) = v.as_array() else {
        ctx.err(
            field,
            if v.is_null() {
                ErrorCode::Required
            } else {
                ErrorCode::InvalidType
            },
        );
        return None;
    };
    if items.is_empty() {
        ctx.err(field, ErrorCode::EmptyList);
        return None;
    }
    if items.len() > limit {
        ctx.too_long(field, limit);
        return None;
    }
    let before = ctx.errors.len();
    let mut uids: Vec<String> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = indexed(field, i);
        if let Some(u) = uid_arg(ctx, &path, item, max) {
            if uids.contains(&u) {
                ctx.err(path, ErrorCode::DuplicateUid);
            } else {
                uids.push(u);
            }
        }
    }
    (ctx.errors.len() == before).then_some(uids)
}

/// `GET /subscribe/customers?customer_uid[]=…`: several billing keys at once
/// (Iamport answers 207 when some are missing). At most 100 uids.
///
/// # Errors
/// Errors for a missing or empty list and for each bad or repeated uid.
pub fn build_get_billing_keys(customer_uids: &Value, opts: &BuildOptions) -> Built {
    let mut ctx = Ctx::new(opts.locale);
    let uids = uid_list(
        &mut ctx,
        "customer_uid",
        customer_uids,
        CUSTOMER_UID_MAX,
        BILLING_KEYS_MAX,
    );
    let request = uids.map(|uids| Request {
        method: Method::Get,
        path: "/subscribe/customers".into(),
        query: Query(
            uids.into_iter()
                .map(|u| ("customer_uid[]".to_owned(), u))
                .collect(),
        ),
        body: None,
    });
    finish(ctx, request)
}

/// `POST /subscribe/payments/unschedule`: revokes schedules by customer, by
/// `merchant_uid` (a string or a list), or both; at least one is needed.
///
/// # Errors
/// Every field error, at once.
pub fn build_unschedule(input: &Value, opts: &BuildOptions) -> Built {
    let mut ctx = Ctx::new(opts.locale);
    let Some(mut r) = Reader::new(&mut ctx, input, "") else {
        return Err(ctx.errors);
    };
    let customer_uid = r.uid(&mut ctx, "customer_uid", CUSTOMER_UID_MAX, false);
    let merchant_uid = match r.take("merchant_uid") {
        None => None,
        Some(Value::String(s)) => uid_arg(
            &mut ctx,
            "merchant_uid",
            &Value::String(s.clone()),
            MERCHANT_UID_MAX,
        )
        .map(|u| vec![u]),
        Some(list) => uid_list(&mut ctx, "merchant_uid", list, MERCHANT_UID_MAX, LIST_MAX),
    };
    let absent = |v: Option<&Value>| v.is_none_or(Value::is_null);
    if absent(input.get("customer_uid")) && absent(input.get("merchant_uid")) {
        ctx.err("customer_uid", ErrorCode::TargetRequired);
    }
    r.finish(&mut ctx);
    let request = Some(Request {
        method: Method::Post,
        path: "/subscribe/payments/unschedule".into(),
        query: Query::default(),
        body: Some(Body::Unschedule(Unschedule {
            customer_uid,
            merchant_uid,
        })),
    });
    finish(ctx, request)
}

/// `GET /subscribe/payments/schedule/{merchant_uid}`: one schedule.
///
/// # Errors
/// An error for a bad uid.
pub fn build_get_schedule(merchant_uid: &Value, opts: &BuildOptions) -> Built {
    let mut ctx = Ctx::new(opts.locale);
    let uid = uid_arg(&mut ctx, "merchant_uid", merchant_uid, MERCHANT_UID_MAX);
    let request = uid.map(|u| get_request(path_with("/subscribe/payments/schedule/", &u)));
    finish(ctx, request)
}

/// `GET /subscribe/payments/schedule/customers/{customer_uid}?from=&to=&schedule-status=&page=`.
/// `from` < `to`, at most 92 days apart; `status` is `scheduled`, `executed` or `revoked`.
///
/// # Errors
/// Every field error, at once.
pub fn build_get_schedules_by_customer(
    customer_uid: &Value,
    params: &Value,
    opts: &BuildOptions,
) -> Built {
    let mut ctx = Ctx::new(opts.locale);
    let uid = uid_arg(&mut ctx, "customer_uid", customer_uid, CUSTOMER_UID_MAX);
    let Some(mut r) = Reader::new(&mut ctx, params, "params") else {
        return Err(ctx.errors);
    };
    let from = r.integer(&mut ctx, "from", 0, MAX_INT, true);
    let to = r.integer(&mut ctx, "to", 0, MAX_INT, true);
    if let (Some(f), Some(t)) = (from, to) {
        if f >= t {
            ctx.err(r.path("to"), ErrorCode::InvalidRange);
        } else if t - f > SCHEDULE_WINDOW_MAX {
            ctx.err(r.path("to"), ErrorCode::RangeTooLong);
        }
    }
    let status = r.choice(&mut ctx, "status", &["scheduled", "executed", "revoked"]);
    let page = r.integer(&mut ctx, "page", 1, MAX_INT, false);
    r.finish(&mut ctx);
    let request = match (uid, from, to) {
        (Some(uid), Some(from), Some(to)) => {
            let mut q = vec![
                ("from".to_owned(), int_string(from)),
                ("to".to_owned(), int_string(to)),
            ];
            if let Some(s) = status {
                q.push(("schedule-status".to_owned(), s));
            }
            if let Some(p) = page {
                q.push(("page".to_owned(), int_string(p)));
            }
            Some(Request {
                method: Method::Get,
                path: path_with("/subscribe/payments/schedule/customers/", &uid),
                query: Query(q),
                body: None,
            })
        }
        _ => None,
    };
    finish(ctx, request)
}

/// `GET /payments/find/{merchant_uid}[/{status}]`: the newest payment with
/// this `merchant_uid`, the look-up that resolves an unknown charge outcome.
///
/// # Errors
/// An error for a bad uid or status.
pub fn build_find_payment(merchant_uid: &Value, status: &Value, opts: &BuildOptions) -> Built {
    let mut ctx = Ctx::new(opts.locale);
    let uid = uid_arg(&mut ctx, "merchant_uid", merchant_uid, MERCHANT_UID_MAX);
    let status = match status {
        Value::Null => None,
        Value::String(s) if ["ready", "paid", "failed", "cancelled"].contains(&s.as_str()) => {
            Some(s.as_str())
        }
        Value::String(_) => {
            ctx.err("status", ErrorCode::InvalidValue);
            None
        }
        _ => {
            ctx.err("status", ErrorCode::InvalidType);
            None
        }
    };
    let request = uid.map(|u| {
        let mut path = path_with("/payments/find/", &u);
        if let Some(s) = status {
            path.push('/');
            path.push_str(s);
        }
        get_request(path)
    });
    finish(ctx, request)
}
