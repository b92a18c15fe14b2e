//! The request builders (exact Iamport V1 requests from loose merchant input),
//! their TypeScript next to them.

#[allow(unused_imports)]
use crate::prelude::*;
use wasm_bindgen::prelude::*;

use super::convert::{to_js, to_value, Answer};
use super::options::build_options;
use crate::api::{self, BuildOptions, Built};

#[wasm_bindgen(typescript_custom_section)]
const TS_BUILDERS: &'static str = r#"
/** The last, optional argument of every builder. */
export interface BuildOptions {
  /** UNIX seconds that expiry and schedule checks use; defaults to the clock. */
  now?: number;
  locale?: Locale;
  /** `"kcp"` (default) applies KCP's rules; `"any"` only the API's own. */
  pgProfile?: "kcp" | "any";
}
/** An exact Iamport V1 request. */
export interface IamportRequest {
  method: "GET" | "POST" | "DELETE";
  /** The path under the API base, uids percent-encoded. */
  path: string;
  /** Query parameters; repeated keys (`customer_uid[]`) hold arrays. */
  query?: Record<string, string | string[]>;
  body: Record<string, unknown> | null;
}
export type Built = { ok: true; request: IamportRequest } | { ok: false; errors: FieldError[] };
/** Loose merchant input: Iamport's own field names with loose values. */
export type IamportInput = Record<string, unknown>;
export interface ScheduleLookup { from: number; to: number; status?: "scheduled" | "executed" | "revoked"; page?: number }
export type PaymentStatus = "ready" | "paid" | "failed" | "cancelled";

export function buildOnetimePayment(input: IamportInput, options?: BuildOptions): Built;
export function buildBillingKey(customerUid: string, input: IamportInput, options?: BuildOptions): Built;
export function buildGetBillingKey(customerUid: string, options?: BuildOptions): Built;
export function buildDeleteBillingKey(customerUid: string, reason?: string | null, options?: BuildOptions): Built;
export function buildGetBillingKeys(customerUids: string[], options?: BuildOptions): Built;
export function buildAgainPayment(input: IamportInput, options?: BuildOptions): Built;
export function buildSchedule(input: IamportInput, options?: BuildOptions): Built;
export function buildUnschedule(input: IamportInput, options?: BuildOptions): Built;
export function buildGetSchedule(merchantUid: string, options?: BuildOptions): Built;
export function buildGetSchedulesByCustomer(customerUid: string, params: ScheduleLookup, options?: BuildOptions): Built;
export function buildFindPayment(merchantUid: string, status?: PaymentStatus | null, options?: BuildOptions): Built;
export function buildGetPayment(impUid: string, options?: BuildOptions): Built;
/**
 * A refund. Give `imp_uid` or `merchant_uid` (Iamport uses `imp_uid` when both
 * are given). No `amount`: a full refund. A partial refund needs `checksum`, the
 * refundable balance before it. `reason` is required.
 */
export interface CancelInput {
  imp_uid?: string;
  merchant_uid?: string;
  amount?: number;
  checksum?: number;
  tax_free?: number;
  reason: string;
}
export function buildCancelPayment(input: CancelInput, options?: BuildOptions): Built;
/** One charge of `buildSchedule`'s `schedules` (other charge fields, e.g. `notice_url`, may be added). */
export interface ScheduleEntry {
  merchant_uid: string;
  /** UNIX seconds (not milliseconds: `Math.floor(Date.now() / 1000)`), after `now` and at most 5 years ahead. */
  schedule_at: number;
  amount: number;
  name?: string;
}
/** A monthly plan for `buildMonthlySchedules`. */
export interface MonthlyPlan {
  customer_uid: string;
  amount: number;
  name: string;
  /** The day of the month, 1–31; a shorter month charges on its last day. */
  day: number;
  /** UNIX seconds: the first charge is the first occurrence strictly after it. */
  from: number;
  /** How many months, 1–100; the last charge at most 5 years after `now`. */
  count: number;
  /** Each `merchant_uid` is `{merchantUidPrefix}_{YYYYMM}` (the month in Korea): at most 33 characters. */
  merchantUidPrefix: string;
  /** The hour in Korea (UTC+9), 0–23; default 9 (00:00 UTC). */
  hour?: number;
}
/** Lays out `count` monthly charges as `buildSchedule`'s (and `KeyinClient.schedule`'s) input. */
export function buildMonthlySchedules(plan: MonthlyPlan, options?: BuildOptions): { ok: true; input: { customer_uid: string; schedules: ScheduleEntry[] } } | { ok: false; errors: FieldError[] };
"#;

fn built_js(r: &Built) -> JsValue {
    to_js(&Answer {
        keys: ("request", "errors"),
        result: r.as_ref().map_err(Vec::as_slice),
    })
}

/// Runs a builder after reading its options; a bad option is reported as an error.
fn run_builder(options: Option<JsValue>, build: impl FnOnce(&BuildOptions) -> Built) -> JsValue {
    match build_options(&options.unwrap_or_default()) {
        Ok(opts) => built_js(&build(&opts)),
        Err(e) => built_js(&Err(vec![e])),
    }
}

/// `POST /subscribe/payments/onetime`: a key-in payment (and billing key with `customer_uid`).
pub fn build_onetime_payment(input: JsValue, options: Option<JsValue>) -> JsValue {
    run_builder(options, |o| {
        api::build_onetime_payment(&to_value(&input), o)
    })
}

/// `POST /subscribe/customers/{customer_uid}`: store a billing key.
pub fn build_billing_key(
    customer_uid: JsValue,
    input: JsValue,
    options: Option<JsValue>,
) -> JsValue {
    run_builder(options, |o| {
        api::build_billing_key(&to_value(&customer_uid), &to_value(&input), o)
    })
}

/// `GET /subscribe/customers/{customer_uid}`.
pub fn build_get_billing_key(customer_uid: JsValue, options: Option<JsValue>) -> JsValue {
    run_builder(options, |o| {
        api::build_get_billing_key(&to_value(&customer_uid), o)
    })
}

/// `DELETE /subscribe/customers/{customer_uid}`.
pub fn build_delete_billing_key(
    customer_uid: JsValue,
    reason: JsValue,
    options: Option<JsValue>,
) -> JsValue {
    run_builder(options, |o| {
        api::build_delete_billing_key(&to_value(&customer_uid), &to_value(&reason), o)
    })
}

/// `GET /subscribe/customers?customer_uid[]=…`.
pub fn build_get_billing_keys(customer_uids: JsValue, options: Option<JsValue>) -> JsValue {
    run_builder(options, |o| {
        api::build_get_billing_keys(&to_value(&customer_uids), o)
    })
}

/// `POST /subscribe/payments/again`: charge a billing key.
pub fn build_again_payment(input: JsValue, options: Option<JsValue>) -> JsValue {
    run_builder(options, |o| api::build_again_payment(&to_value(&input), o))
}

/// `POST /subscribe/payments/schedule`.
pub fn build_schedule(input: JsValue, options: Option<JsValue>) -> JsValue {
    run_builder(options, |o| api::build_schedule(&to_value(&input), o))
}

/// `POST /subscribe/payments/unschedule`.
pub fn build_unschedule(input: JsValue, options: Option<JsValue>) -> JsValue {
    run_builder(options, |o| api::build_unschedule(&to_value(&input), o))
}

/// `GET /subscribe/payments/schedule/{merchant_uid}`.
pub fn build_get_schedule(merchant_uid: JsValue, options: Option<JsValue>) -> JsValue {
    run_builder(options, |o| {
        api::build_get_schedule(&to_value(&merchant_uid), o)
    })
}

/// `GET /subscribe/payments/schedule/customers/{customer_uid}?from=&to=…`.
pub fn build_get_schedules_by_customer(
    customer_uid: JsValue,
    params: JsValue,
    options: Option<JsValue>,
) -> JsValue {
    run_builder(options, |o| {
        api::build_get_schedules_by_customer(&to_value(&customer_uid), &to_value(&params), o)
    })
}

/// `GET /payments/find/{merchant_uid}[/{status}]`.
pub fn build_find_payment(
    merchant_uid: JsValue,
    status: JsValue,
    options: Option<JsValue>,
) -> JsValue {
    run_builder(options, |o| {
        api::build_find_payment(&to_value(&merchant_uid), &to_value(&status), o)
    })
}

/// `GET /payments/{imp_uid}`.
pub fn build_get_payment(imp_uid: JsValue, options: Option<JsValue>) -> JsValue {
    run_builder(options, |o| api::build_get_payment(&to_value(&imp_uid), o))
}

/// `POST /payments/cancel`: a full or partial refund.
/// Server builds only (the browser entry's stub throws): refunds never run in a page.
#[cfg(feature = "proxy")]
pub fn build_cancel_payment(input: JsValue, options: Option<JsValue>) -> JsValue {
    run_builder(options, |o| api::build_cancel_payment(&to_value(&input), o))
}

/// A monthly plan laid out as `buildSchedule`'s input: `{ ok: true, input }`
/// or `{ ok: false, errors }`.
/// Server builds only (the browser entry's stub throws): plans are booked by the server.
#[cfg(feature = "proxy")]
pub fn build_monthly_schedules(input: JsValue, options: Option<JsValue>) -> JsValue {
    let built = match build_options(&options.unwrap_or_default()) {
        Ok(opts) => api::build_monthly_schedules(&to_value(&input), &opts),
        Err(e) => Err(vec![e]),
    };
    to_js(&Answer {
        keys: ("input", "errors"),
        result: built.as_ref().map_err(Vec::as_slice),
    })
}

/// The builders' and decoders' one export: `n` is the JS name's position in `BUILDERS`
/// (`pkg-template/clients.js`: `buildOnetimePayment` is 0, …; a test reads the two
/// lists side by side), `a`, `b`, `c` its arguments in order, the options last.
/// `undefined` for one this build does not have (the server-only builders in the
/// browser build), which the JS entry turns into its "server-side only" error. One
/// export instead of eighteen: each export cost a ~600 B wasm shim and a glue
/// function, about 2 KB gzip in all; and a number, not the name, as the checks'
/// `__check` takes theirs (the names and their comparisons cost the wasm 200 B gzip).
#[wasm_bindgen(js_name = __build, skip_typescript)]
pub fn build(n: u32, a: JsValue, b: JsValue, c: JsValue) -> JsValue {
    use super::decoders;
    match n {
        0 => build_onetime_payment(a, Some(b)),
        1 => build_billing_key(a, b, Some(c)),
        2 => build_get_billing_key(a, Some(b)),
        3 => build_delete_billing_key(a, b, Some(c)),
        4 => build_get_billing_keys(a, Some(b)),
        5 => build_again_payment(a, Some(b)),
        6 => build_schedule(a, Some(b)),
        7 => build_unschedule(a, Some(b)),
        8 => build_get_schedule(a, Some(b)),
        9 => build_get_schedules_by_customer(a, b, Some(c)),
        10 => build_find_payment(a, b, Some(c)),
        11 => build_get_payment(a, Some(b)),
        #[cfg(feature = "proxy")]
        12 => build_cancel_payment(a, Some(b)),
        13 => decoders::decode_outcome(a, b, Some(c)),
        14 => decoders::decode_customer(a, b),
        15 => decoders::decode_customers(a, b),
        16 => decoders::decode_schedules(a, b),
        #[cfg(feature = "proxy")]
        17 => build_monthly_schedules(a, Some(b)),
        _ => JsValue::UNDEFINED,
    }
}
