//! The response decoders (Iamport's answers into outcomes), their TypeScript
//! next to them.

#[allow(unused_imports)]
use crate::prelude::*;
use wasm_bindgen::prelude::*;

use super::convert::{get, json_text_to_value, to_js, to_value, Answer};
use crate::api::{self, value::MAX_SAFE_INTEGER, Value};
use crate::json::ToJson;

#[wasm_bindgen(typescript_custom_section)]
const TS_DECODERS: &'static str = r#"
/** A payment as Iamport returned it (every field kept; `card_number` masked). */
export interface Payment {
  imp_uid?: string; merchant_uid?: string; amount?: number; status?: string; fail_reason?: string | null;
  customer_uid?: string | null; card_number?: string | null; paid_at?: number; sandbox?: boolean;
  [field: string]: unknown;
}
export interface Customer { customer_uid?: string; card_name?: string; card_number?: string; [field: string]: unknown }
export interface Schedule {
  customer_uid?: string; merchant_uid?: string; imp_uid?: string | null; schedule_at?: number; amount?: number;
  schedule_status?: string; payment_status?: string | null; fail_reason?: string | null;
  [field: string]: unknown;
}
export type OutcomeStatus = "paid" | "failed" | "ready" | "cancelled" | "rejected" | "unknown";
export interface Outcome {
  /** `"paid"` only for HTTP 200 + code 0 + status paid. `"unknown"`: look the merchant_uid up. */
  status: OutcomeStatus;
  httpStatus: number;
  payment: Payment | null;
  failReason: string | null;
  iamportCode: number | null;
  message: string | null;
  /** The merchant proxy's error code when it refused the request. */
  errorCode: string | null;
  /** The payment's amount differs from `expectedAmount`: treat as not OK. */
  amountMismatch: boolean;
}
export interface ApiError { httpStatus: number; iamportCode: number | null; message: string | null; errorCode: string | null }
export interface SchedulePage { list: Schedule[]; total: number | null; previous: number | null; next: number | null }

/** Decodes the answer to a charge or a payment look-up. `body`: parsed JSON, or the raw text. */
export function decodeOutcome(httpStatus: number, body: unknown, options?: { expectedAmount?: number }): Outcome;
export function decodeCustomer(httpStatus: number, body: unknown): { ok: true; customer: Customer } | { ok: false; error: ApiError };
export function decodeCustomers(httpStatus: number, body: unknown): { ok: true; customers: Customer[] } | { ok: false; error: ApiError };
export function decodeSchedules(httpStatus: number, body: unknown): { ok: true; page: SchedulePage } | { ok: false; error: ApiError };
"#;

/// An HTTP status from JS: a whole number 0–999, else 0 ("no answer").
fn http_status(v: &JsValue) -> u16 {
    match v.as_f64() {
        Some(n) if crate::num::is_whole(n) && (0.0..1000.0).contains(&n) => n as u16,
        _ => 0,
    }
}

/// A response body from JS: parsed JSON as is, or raw text parsed here; empty
/// or non-JSON text is `None`.
fn body_value(body: &JsValue) -> Option<Value> {
    if let Some(text) = body.as_string() {
        if crate::card::unicode::trim_bytes(text.as_bytes()).is_empty() {
            return None;
        }
        return json_text_to_value(&text);
    }
    if body.is_undefined() || body.is_null() {
        return None;
    }
    Some(to_value(body))
}

/// Decodes the answer to a charge or a payment look-up into an `Outcome`.
pub fn decode_outcome(status: JsValue, body: JsValue, options: Option<JsValue>) -> JsValue {
    let expected = options
        .as_ref()
        .and_then(|o| get(o, "expectedAmount").ok())
        .and_then(|v| v.as_f64())
        .filter(|n| crate::num::is_whole(*n) && *n >= 1.0 && *n <= MAX_SAFE_INTEGER)
        .map(|n| n as u64);
    let body = body_value(&body);
    to_js(&api::decode_outcome(
        http_status(&status),
        body.as_ref(),
        expected,
    ))
}

/// `{ ok: true, <key>: value }` or `{ ok: false, error }`.
fn decoded<T: ToJson>(key: &'static str, r: &Result<T, api::ApiError>) -> JsValue {
    to_js(&Answer {
        keys: (key, "error"),
        result: r.as_ref(),
    })
}

/// Decodes a billing-key answer.
pub fn decode_customer(status: JsValue, body: JsValue) -> JsValue {
    let body = body_value(&body);
    decoded(
        "customer",
        &api::decode_customer(http_status(&status), body.as_ref()),
    )
}

/// Decodes a multi-billing-key answer (HTTP 207 included).
pub fn decode_customers(status: JsValue, body: JsValue) -> JsValue {
    let body = body_value(&body);
    decoded(
        "customers",
        &api::decode_customers(http_status(&status), body.as_ref()),
    )
}

/// Decodes a schedule answer: one schedule, an array or a page.
pub fn decode_schedules(status: JsValue, body: JsValue) -> JsValue {
    let body = body_value(&body);
    decoded(
        "page",
        &api::decode_schedules(http_status(&status), body.as_ref()),
    )
}
