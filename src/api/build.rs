//! One builder per operation: loose merchant input in, the exact Iamport V1
//! request out, or every field error at once.
//!
//! Lengths are counted in characters (Unicode scalar values), not bytes.
//! Unknown input fields are errors: nothing is forwarded that was not checked.

use super::body::{
    AgainPayment, BillingKey, Body, Buyer, CardWire, ChargeExtras, DirectExtras, OnetimePayment,
    ScheduleEntry, SchedulePayments,
};
use super::read::{uid_arg, Ctx, Reader};
use super::request::{
    percent_encode_into, BuildOptions, Method, PgProfile, Query, Request, Secret,
};
use super::value::{Value, MAX_SAFE_INTEGER};
use crate::card::{parse_card, CardFields, CardRules};
use crate::error::{push_int, ErrorCode, FieldError};
#[allow(unused_imports)]
use crate::prelude::*;

/// `merchant_uid`'s maxLength.
pub const MERCHANT_UID_MAX: usize = 40;
/// `customer_uid`'s maxLength.
pub const CUSTOMER_UID_MAX: usize = 80;
/// The longest look-up window of `buildGetSchedulesByCustomer`, in seconds (92 days).
pub const SCHEDULE_WINDOW_MAX: i64 = 92 * 86_400;
/// The most uids one `buildGetBillingKeys` call takes.
pub const BILLING_KEYS_MAX: usize = 100;
/// The most schedules one `schedule` request carries, and the most uids one
/// `unschedule` names: longer lists are refused before any entry is read.
pub const LIST_MAX: usize = 100;
/// The smallest amount installments (`card_quota` ≥ 2) are allowed for.
pub const CARD_QUOTA_MIN_AMOUNT: u64 = 50_000;
/// How far after `now` a `schedule_at` may be, in seconds: 5 years of 366 days.
/// A millisecond timestamp (`Date.now()`, read as seconds around the year
/// 58,900) is far beyond it: the known way a merchant's schedules silently vanish.
pub const SCHEDULE_AT_MAX_AHEAD: i64 = 5 * 366 * 86_400;

pub use super::lookup::{
    build_delete_billing_key, build_find_payment, build_get_billing_key, build_get_billing_keys,
    build_get_schedule, build_get_schedules_by_customer, build_unschedule,
};

/// The result of a builder.
pub type Built = Result<Request, Vec<FieldError>>;

pub(super) const MAX_INT: i64 = MAX_SAFE_INTEGER as i64;

pub(super) fn finish(ctx: Ctx, request: Option<Request>) -> Built {
    match request {
        Some(r) if ctx.errors.is_empty() => Ok(r),
        _ => Err(ctx.errors),
    }
}

pub(super) fn path_with(prefix: &str, uid: &str) -> String {
    let mut p = String::with_capacity(prefix.len() + uid.len());
    p.push_str(prefix);
    percent_encode_into(&mut p, uid);
    p
}

pub(super) fn int_string(v: i64) -> String {
    let mut s = String::new();
    if v < 0 {
        s.push('-');
    }
    push_int(&mut s, v.unsigned_abs());
    s
}

fn card_rules(opts: &BuildOptions) -> CardRules {
    match opts.pg_profile {
        PgProfile::Kcp => CardRules::KCP,
        PgProfile::Any => CardRules::ANY,
    }
}

/// Reads and checks the four card fields into wire form.
fn read_card(r: &mut Reader<'_>, ctx: &mut Ctx, opts: &BuildOptions) -> Option<CardWire> {
    let fields = CardFields {
        card_number: r.card("card_number"),
        expiry: r.card("expiry"),
        birth: r.card("birth"),
        pwd_2digit: r.card("pwd_2digit"),
    };
    match parse_card(&fields, card_rules(opts), opts.today(), ctx.locale) {
        Ok(card) => Some(CardWire {
            card_number: Secret(card.card_number),
            expiry: card.expiry,
            birth: card.birth.map(|b| Secret(b.wire_string())),
            pwd_2digit: card
                .pwd_2digit
                .map(|p| Secret(crate::card::unicode::ascii_string(&p))),
        }),
        Err(errors) => {
            ctx.errors.extend(errors);
            None
        }
    }
}

/// `kcp` or `kcp.{site code}`.
pub(crate) fn is_kcp_pg(pg: &str) -> bool {
    pg == "kcp" || pg.strip_prefix("kcp.").is_some_and(|site| !site.is_empty())
}

/// `pg`: with the KCP profile it must be `kcp` or `kcp.{site code}`, because a
/// wrong value silently falls back to the merchant's default PG.
fn read_pg(r: &mut Reader<'_>, ctx: &mut Ctx, opts: &BuildOptions) -> Option<String> {
    let pg = r.string(ctx, "pg", Some(80), false)?;
    let ok = match opts.pg_profile {
        PgProfile::Any => true,
        PgProfile::Kcp => is_kcp_pg(&pg),
    };
    if ok {
        Some(pg)
    } else {
        ctx.err(r.path("pg"), ErrorCode::InvalidPg);
        None
    }
}

fn read_buyer(r: &mut Reader<'_>, ctx: &mut Ctx) -> Buyer {
    Buyer {
        buyer_name: r.string(ctx, "buyer_name", Some(16), false),
        buyer_email: r.string(ctx, "buyer_email", Some(64), false),
        buyer_tel: r.string(ctx, "buyer_tel", Some(16), false),
        buyer_addr: r.string(ctx, "buyer_addr", Some(128), false),
        buyer_postcode: r.string(ctx, "buyer_postcode", Some(8), false),
    }
}

/// `tax_free` (or `vat_amount`): 0 to `amount`.
pub(super) fn read_part_of_amount(
    r: &mut Reader<'_>,
    ctx: &mut Ctx,
    key: &str,
    amount: Option<u64>,
) -> Option<u64> {
    let v = r.integer(ctx, key, 0, MAX_INT, false)? as u64;
    if amount.is_some_and(|a| v > a) {
        ctx.err(r.path(key), ErrorCode::TaxFreeExceedsAmount);
        return None;
    }
    Some(v)
}

fn read_charge_extras(
    r: &mut Reader<'_>,
    ctx: &mut Ctx,
    amount: Option<u64>,
    name_required: bool,
) -> ChargeExtras {
    let name = r.string(ctx, "name", Some(40), name_required);
    let tax_free = read_part_of_amount(r, ctx, "tax_free", amount);
    let buyer = read_buyer(r, ctx);
    let card_quota = r
        .integer(ctx, "card_quota", 0, MAX_INT, false)
        .and_then(|q| {
            if q != 0 && !(2..=36).contains(&q) {
                ctx.err(r.path("card_quota"), ErrorCode::CardQuotaInvalid);
                None
            } else if q >= 2 && amount.is_some_and(|a| a < CARD_QUOTA_MIN_AMOUNT) {
                ctx.err(r.path("card_quota"), ErrorCode::CardQuotaMinAmount);
                None
            } else {
                Some(q as u32)
            }
        });
    ChargeExtras {
        name,
        tax_free,
        buyer,
        card_quota,
        custom_data: r.string(ctx, "custom_data", None, false),
        notice_url: r.url(ctx, "notice_url"),
    }
}

fn read_direct_extras(
    r: &mut Reader<'_>,
    ctx: &mut Ctx,
    amount: Option<u64>,
    opts: &BuildOptions,
) -> DirectExtras {
    let browser_ip = r.ip(ctx, "browser_ip");
    let product_type = r.choice(ctx, "product_type", &["real", "digital"]);
    let (vat_amount, interest_free_by_merchant, use_card_point) = match opts.pg_profile {
        PgProfile::Kcp => {
            for key in ["vat_amount", "interest_free_by_merchant", "use_card_point"] {
                r.forbid(ctx, key, ErrorCode::UnsupportedByPg);
            }
            (None, None, None)
        }
        PgProfile::Any => (
            read_part_of_amount(r, ctx, "vat_amount", amount),
            r.boolean(ctx, "interest_free_by_merchant"),
            r.boolean(ctx, "use_card_point"),
        ),
    };
    DirectExtras {
        browser_ip,
        product_type,
        vat_amount,
        interest_free_by_merchant,
        use_card_point,
    }
}

/// `POST /subscribe/payments/onetime`: a key-in payment; with `customer_uid`
/// the billing key is also stored (only if the payment succeeds).
///
/// # Errors
/// Every field error, at once.
pub fn build_onetime_payment(input: &Value, opts: &BuildOptions) -> Built {
    let mut ctx = Ctx::new(opts.locale);
    let Some(mut r) = Reader::new(&mut ctx, input, "") else {
        return Err(ctx.errors);
    };
    let card = read_card(&mut r, &mut ctx, opts);
    let merchant_uid = r.uid(&mut ctx, "merchant_uid", MERCHANT_UID_MAX, true);
    let amount = r.amount(&mut ctx, "amount", true);
    let customer_uid = r.uid(&mut ctx, "customer_uid", CUSTOMER_UID_MAX, false);
    let pg = read_pg(&mut r, &mut ctx, opts);
    let extras = read_charge_extras(&mut r, &mut ctx, amount, false);
    let direct = read_direct_extras(&mut r, &mut ctx, amount, opts);
    r.finish(&mut ctx);
    let request = match (card, merchant_uid, amount) {
        (Some(card), Some(merchant_uid), Some(amount)) => Some(Request {
            method: Method::Post,
            path: "/subscribe/payments/onetime".into(),
            query: Query::default(),
            body: Some(Body::OnetimePayment(OnetimePayment {
                card,
                merchant_uid,
                amount,
                customer_uid,
                pg,
                extras,
                direct,
            })),
        }),
        _ => None,
    };
    finish(ctx, request)
}

/// `POST /subscribe/customers/{customer_uid}`: stores a billing key, no charge.
///
/// # Errors
/// Every field error, at once.
pub fn build_billing_key(customer_uid: &Value, input: &Value, opts: &BuildOptions) -> Built {
    let mut ctx = Ctx::new(opts.locale);
    let uid = uid_arg(&mut ctx, "customer_uid", customer_uid, CUSTOMER_UID_MAX);
    let Some(mut r) = Reader::new(&mut ctx, input, "") else {
        return Err(ctx.errors);
    };
    let card = read_card(&mut r, &mut ctx, opts);
    let pg = read_pg(&mut r, &mut ctx, opts);
    let channel_key = r.string(&mut ctx, "channel_key", Some(55), false);
    let customer_name = r.string(&mut ctx, "customer_name", Some(20), false);
    let customer_tel = r.string(&mut ctx, "customer_tel", Some(20), false);
    let customer_email = r.string(&mut ctx, "customer_email", Some(200), false);
    let customer_addr = r.string(&mut ctx, "customer_addr", Some(200), false);
    let customer_postcode = r.string(&mut ctx, "customer_postcode", Some(8), false);
    let customer_id = r.string(&mut ctx, "customer_id", None, false);
    r.finish(&mut ctx);
    let request = match (uid, card) {
        (Some(uid), Some(card)) => Some(Request {
            method: Method::Post,
            path: path_with("/subscribe/customers/", &uid),
            query: Query::default(),
            body: Some(Body::BillingKey(BillingKey {
                card,
                pg,
                channel_key,
                customer_name,
                customer_tel,
                customer_email,
                customer_addr,
                customer_postcode,
                customer_id,
            })),
        }),
        _ => None,
    };
    finish(ctx, request)
}

/// `POST /subscribe/payments/again`: charges a stored billing key. `name` is required.
///
/// # Errors
/// Every field error, at once.
pub fn build_again_payment(input: &Value, opts: &BuildOptions) -> Built {
    let mut ctx = Ctx::new(opts.locale);
    let Some(mut r) = Reader::new(&mut ctx, input, "") else {
        return Err(ctx.errors);
    };
    let customer_uid = r.uid(&mut ctx, "customer_uid", CUSTOMER_UID_MAX, true);
    let merchant_uid = r.uid(&mut ctx, "merchant_uid", MERCHANT_UID_MAX, true);
    let amount = r.amount(&mut ctx, "amount", true);
    let extras = read_charge_extras(&mut r, &mut ctx, amount, true);
    let direct = read_direct_extras(&mut r, &mut ctx, amount, opts);
    let channel_key = r.string(&mut ctx, "channel_key", Some(55), false);
    r.finish(&mut ctx);
    let request = match (customer_uid, merchant_uid, amount) {
        (Some(customer_uid), Some(merchant_uid), Some(amount)) => Some(Request {
            method: Method::Post,
            path: "/subscribe/payments/again".into(),
            query: Query::default(),
            body: Some(Body::AgainPayment(AgainPayment {
                customer_uid,
                merchant_uid,
                amount,
                extras,
                direct,
                channel_key,
            })),
        }),
        _ => None,
    };
    finish(ctx, request)
}

/// `POST /subscribe/payments/schedule`: schedules future charges. The card
/// fields are needed only when the customer has no billing key yet; if any is
/// given, the card is checked whole.
///
/// # Errors
/// Every field error, at once, with paths such as `schedules[1].amount`.
pub fn build_schedule(input: &Value, opts: &BuildOptions) -> Built {
    let mut ctx = Ctx::new(opts.locale);
    let Some(mut r) = Reader::new(&mut ctx, input, "") else {
        return Err(ctx.errors);
    };
    let customer_uid = r.uid(&mut ctx, "customer_uid", CUSTOMER_UID_MAX, true);
    let card_given = ["card_number", "expiry", "birth", "pwd_2digit"]
        .iter()
        .any(|k| input.get(k).is_some_and(|v| !v.is_null()));
    let card = if card_given {
        read_card(&mut r, &mut ctx, opts)
    } else {
        None
    };
    let pg = read_pg(&mut r, &mut ctx, opts);
    let checking_amount = r
        .integer(&mut ctx, "checking_amount", 0, MAX_INT, false)
        .map(|v| v as u64);
    let schedules = match r.take("schedules") {
        None => {
            ctx.err("schedules", ErrorCode::Required);
            None
        }
        Some(v) => read_schedules(&mut ctx, v, opts),
    };
    r.finish(&mut ctx);
    let card_ok = card.is_some() || !card_given;
    let request = match (customer_uid, schedules) {
        (Some(customer_uid), Some(schedules)) if card_ok => Some(Request {
            method: Method::Post,
            path: "/subscribe/payments/schedule".into(),
            query: Query::default(),
            body: Some(Body::SchedulePayments(SchedulePayments {
                customer_uid,
                card,
                pg,
                checking_amount,
                schedules,
            })),
        }),
        _ => None,
    };
    finish(ctx, request)
}

fn read_schedules(ctx: &mut Ctx, v: &Value, opts: &BuildOptions) -> Option<Vec<ScheduleEntry>> {
    let Some(items) = v.as_array() else {
        ctx.err("schedules", ErrorCode::InvalidType);
        return None;
    };
    if items.is_empty() {
        ctx.err("schedules", ErrorCode::EmptyList);
        return None;
    }
    if items.len() > LIST_MAX {
        ctx.too_long("schedules", LIST_MAX);
        return None;
    }
    let before = ctx.errors.len();
    let mut entries: Vec<ScheduleEntry> = Vec::with_capacity(items.len());
    let mut seen: Vec<String> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = indexed("schedules", i);
        let Some(mut r) = Reader::new(ctx, item, &path) else {
            continue;
        };
        let merchant_uid = r.uid(ctx, "merchant_uid", MERCHANT_UID_MAX, true);
        if let Some(uid) = &merchant_uid {
            // Compared with every earlier entry, valid or not.
            if seen.contains(uid) {
                ctx.err(r.path("merchant_uid"), ErrorCode::DuplicateUid);
            } else {
                seen.push(uid.clone());
            }
        }
        let schedule_at = r
            .integer(ctx, "schedule_at", 0, MAX_INT, true)
            .and_then(|at| match schedule_at_error(at, opts.now) {
                None => Some(at),
                Some(code) => {
                    ctx.err(r.path("schedule_at"), code);
                    None
                }
            });
        let amount = r.amount(ctx, "amount", true);
        let currency = r.choice(ctx, "currency", &["KRW"]);
        let extras = read_charge_extras(&mut r, ctx, amount, false);
        r.finish(ctx);
        if let (Some(merchant_uid), Some(schedule_at), Some(amount)) =
            (merchant_uid, schedule_at, amount)
        {
            entries.push(ScheduleEntry {
                merchant_uid,
                schedule_at,
                amount,
                currency,
                extras,
            });
        }
    }
    (ctx.errors.len() == before).then_some(entries)
}

/// Why `schedule_at` cannot be scheduled at `now`, if it cannot: not after
/// `now`, or more than [`SCHEDULE_AT_MAX_AHEAD`] after it (milliseconds).
pub(super) fn schedule_at_error(at: i64, now: i64) -> Option<ErrorCode> {
    if at <= now {
        Some(ErrorCode::ScheduleNotInFuture)
    } else if at > now.saturating_add(SCHEDULE_AT_MAX_AHEAD) {
        Some(ErrorCode::ScheduleTooFar)
    } else {
        None
    }
}

/// `field[i]`.
pub(super) fn indexed(field: &str, i: usize) -> String {
    let mut s = String::with_capacity(field.len() + 4);
    s.push_str(field);
    s.push('[');
    push_int(&mut s, i as u64);
    s.push(']');
    s
}
