//! The `#[wasm_bindgen]` layer: converts JS values to the core's types and
//! back, and nothing else.
//!
//! Every export is total: it returns a value for any JS input and never
//! throws or panics. Non-string inputs are never coerced; they are invalid.

use std::cell::Cell;
use std::sync::atomic::{AtomicU8, Ordering};

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::api::{self, value::MAX_SAFE_INTEGER, BuildOptions, Built, PgProfile, Request, Value};
use crate::card::{
    self,
    birth::{self, BirthKind},
    date::Date,
    expiry, number, pwd, CardFields, Field,
};
use crate::error::{ErrorCode, FieldError, Locale};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Message language: Korean (the default) or English. */
export type Locale = "ko" | "en";
/** One problem with one input field. `message` never contains the field's value. */
export interface FieldError {
  /** Iamport's field name, or a path such as `schedules[1].amount`. */
  field: string;
  /** A stable SCREAMING_SNAKE code, e.g. `CARD_NUMBER_LUHN`. */
  code: string;
  /** The localised message. */
  message: string;
}
/** The verdict on one field. Show `error` only when `isPotentiallyValid` is false. */
export interface Check {
  isValid: boolean;
  /** Valid, or could still become valid by typing more. */
  isPotentiallyValid: boolean;
  error: FieldError | null;
}
export type Brand = "visa" | "mastercard" | "amex" | "jcb" | "unionpay" | "diners" | "discover" | "domestic";
export interface CardNumberCheck extends Check {
  /** The digits read, separators removed (at most 19). */
  digits: string;
  /** Iamport's dash grouping: `dddd-dddd-dddd-dddd`, amex 4-6-5, 14-digit 4-6-4. */
  formatted: string;
  /** The grouped form with at most the first 6 and last 4 digits shown. */
  masked: string;
  /** The brand once only one is possible. */
  brand: Brand | null;
  /** Every brand the digits so far could still be. */
  possibleBrands: Brand[];
}
export interface ExpiryCheck extends Check {
  /** `YYYY-MM` when valid. */
  value: string | null;
}
export interface BirthCheck extends Check {
  kind: "personal" | "business" | null;
  /** 6 or 10 digits when valid. */
  value: string | null;
}
export interface Pwd2DigitCheck extends Check {
  value: string | null;
}
export interface CardCheck {
  isValid: boolean;
  errors: FieldError[];
}
export interface CheckOptions {
  /** Message language for this call; defaults to `setLocale`'s. */
  locale?: Locale;
  /** The date to judge against, `YYYY-MM-DD`; defaults to today in Korea (UTC+9). */
  today?: string;
}
export interface BirthOptions extends CheckOptions {
  /** Accept only one kind: `"personal"` (YYMMDD) or `"business"` (10 digits). */
  kind?: "personal" | "business";
}
export interface CardFieldsInput {
  card_number?: string;
  expiry?: string;
  birth?: string;
  pwd_2digit?: string;
}
export interface FormattedInput {
  value: string;
  caret: number;
}

/** Checks a card number as typed or pasted. Never throws; a non-string is invalid. */
export function checkCardNumber(input: string, options?: CheckOptions): CardNumberCheck;
/** Whether a card number is valid: the lean, boolean form of `checkCardNumber`. */
export function isValidCardNumber(input: string): boolean;
/** Checks an expiry (`MM/YY`, `MMYY`, `YYYY-MM`, …); `value` is `YYYY-MM`. Never throws. */
export function checkExpiry(input: string, options?: CheckOptions): ExpiryCheck;
/** Checks a birth date (`YYMMDD`) or a 10-digit business registration number. Never throws. */
export function checkBirth(input: string, options?: BirthOptions): BirthCheck;
/** Checks the first two PIN digits. Never throws. */
export function checkPwd2Digit(input: string, options?: CheckOptions): Pwd2DigitCheck;
/** Checks the card fields together; `pwd_2digit` is optional for corporate cards. Never throws. */
export function checkCard(fields: CardFieldsInput, options?: BirthOptions): CardCheck;
/**
 * Reformats a card-number field as the user types, keeping the caret beside the same digit.
 * `caret` is `selectionStart` (UTF-16 units); missing or NaN means the end. Never throws.
 */
export function formatCardNumberInput(value: string, caret?: number): FormattedInput;
/** The masked number (at most the first 6 and last 4 digits), or null when there are no digits. */
export function maskCardNumber(input: string): string | null;
/** Sets the default message language. Returns false, changing nothing, for other values. */
export function setLocale(locale: Locale): boolean;
/** The default message language. */
export function getLocale(): Locale;
"#;

thread_local! {
    static LOCALE: Cell<Locale> = const { Cell::new(Locale::Ko) };
}

/// Options common to the checks, read leniently from a JS value.
struct Opts {
    locale: Locale,
    today: Date,
    kind: Option<BirthKind>,
}

/// `o[key]` for an object, else `undefined`; never throws (a throwing getter reads as `undefined`).
pub(crate) fn prop(o: &JsValue, key: &str) -> JsValue {
    if o.is_object() {
        js_sys::Reflect::get(o, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

fn get(obj: &JsValue, key: &str) -> Result<JsValue, ()> {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).map_err(|_| ())
}

/// `undefined`/`null` → `None`; a string → `Some`; anything else → `Err`.
fn opt_string(v: &JsValue) -> Result<Option<String>, ()> {
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else {
        v.as_string().map(Some).ok_or(())
    }
}

fn today_kst() -> Date {
    let secs = (js_sys::Date::now() / 1000.0) as i64;
    Date::kst_from_unix(secs)
}

fn default_locale() -> Locale {
    LOCALE.with(Cell::get)
}

/// The default locale (`setLocale`), for other modules.
pub(crate) fn current_locale() -> Locale {
    default_locale()
}

/// Reads `{ locale?, today?, kind? }`. On a malformed option, the error names it.
fn read_opts(options: &JsValue) -> Result<Opts, FieldError> {
    let mut opts = Opts {
        locale: default_locale(),
        today: Date::from_unix(0, 0),
        kind: None,
    };
    let bad = |field: &str, locale| FieldError::new(field, ErrorCode::InvalidOption, locale);
    if options.is_undefined() || options.is_null() {
        opts.today = today_kst();
        return Ok(opts);
    }
    if !options.is_object() {
        return Err(bad("options", opts.locale));
    }
    let locale = get(options, "locale").and_then(|v| opt_string(&v));
    match locale {
        Ok(None) => {}
        Ok(Some(tag)) => match Locale::parse(&tag) {
            Some(l) => opts.locale = l,
            None => return Err(bad("options.locale", opts.locale)),
        },
        Err(()) => return Err(bad("options.locale", opts.locale)),
    }
    match get(options, "today").and_then(|v| opt_string(&v)) {
        Ok(None) => opts.today = today_kst(),
        Ok(Some(s)) => match Date::parse_iso(&s) {
            Some(d) => opts.today = d,
            None => return Err(bad("options.today", opts.locale)),
        },
        Err(()) => return Err(bad("options.today", opts.locale)),
    }
    match get(options, "kind").and_then(|v| opt_string(&v)) {
        Ok(None) => {}
        Ok(Some(s)) => match BirthKind::parse(&s) {
            Some(k) => opts.kind = Some(k),
            None => return Err(bad("options.kind", opts.locale)),
        },
        Err(()) => return Err(bad("options.kind", opts.locale)),
    }
    Ok(opts)
}

/// Serialises a result; `null` only if serialisation itself failed (it does not
/// for these plain structs, but no `unwrap` is reachable from JS).
pub(crate) fn to_js<T: Serialize>(v: &T) -> JsValue {
    // One JSON string across the boundary, parsed by the engine's JSON.parse:
    // smaller code than building objects property by property.
    crate::json_out::to_string(v)
        .ok()
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .unwrap_or(JsValue::NULL)
}

/// Runs a field check: reads options and the input string, or returns `rejected`.
fn field_check<T: Serialize>(
    field: &str,
    input: &JsValue,
    options: &JsValue,
    rejected: fn(FieldError) -> T,
    check: impl FnOnce(&str, &Opts) -> T,
) -> JsValue {
    let result = match read_opts(options) {
        Err(e) => rejected(e),
        Ok(opts) => match input.as_string() {
            Some(s) => check(&s, &opts),
            // Not even null or undefined is read as "": a non-string is invalid.
            None => rejected(FieldError::new(field, ErrorCode::InvalidType, opts.locale)),
        },
    };
    to_js(&result)
}

/// Checks a card number as typed or pasted. Never throws.
#[wasm_bindgen(js_name = checkCardNumber, skip_typescript)]
pub fn check_card_number(input: JsValue, options: Option<JsValue>) -> JsValue {
    field_check(
        "card_number",
        &input,
        &options.unwrap_or_default(),
        number::CardNumberCheck::rejected,
        |s, o| number::check_card_number(s, o.locale),
    )
}

/// Whether a card number is valid: the lean, boolean form of `checkCardNumber`.
#[wasm_bindgen(js_name = isValidCardNumber, skip_typescript)]
pub fn is_valid_card_number(input: JsValue) -> bool {
    input
        .as_string()
        .is_some_and(|s| number::is_valid_card_number(&s))
}

// The fast path of the two checks made on every keystroke. The JS entry calls these
// with a string it has type-checked, and builds the result object from the packed
// verdict (layouts: `number::check_card_number_packed`, `expiry::check_expiry_packed`).
// Handing over one number instead of a JSON string is what makes the call cheap.

/// How many bytes of input the scratch buffer takes; longer input takes the full path.
const SCRATCH_IN: usize = 64;

/// The fast path's input and output: the JS entry writes an ASCII string at offset 0
/// and calls an `…At(len)` function; `checkCardNumber`'s digits, when they differ from
/// the input, come back at offset `SCRATCH_IN`. No allocation, one call per check.
/// Atomics, so that every read sees what JS wrote (there is one thread).
static SCRATCH: [AtomicU8; SCRATCH_IN + number::MAX_DIGITS] =
    [const { AtomicU8::new(0) }; SCRATCH_IN + number::MAX_DIGITS];

/// The scratch buffer's address in linear memory. For the JS entry only.
#[wasm_bindgen(js_name = __scratch, skip_typescript)]
pub fn scratch() -> u32 {
    SCRATCH.as_ptr() as u32
}

/// This instance's `WebAssembly.Memory`. For the JS entry only.
#[wasm_bindgen(js_name = __memory, skip_typescript)]
pub fn memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Runs `f` on the `len` bytes of input in the scratch buffer; `None` when they are
/// not UTF-8 (the JS entry writes ASCII only) or `len` is too long.
fn with_scratch<T>(len: u32, f: impl FnOnce(&str) -> T) -> Option<T> {
    let len = len as usize;
    if len > SCRATCH_IN {
        return None;
    }
    let mut buf = [0u8; SCRATCH_IN];
    for (b, cell) in buf.iter_mut().zip(&SCRATCH[..len]) {
        *b = cell.load(Ordering::Relaxed);
    }
    core::str::from_utf8(&buf[..len]).ok().map(f)
}

/// The packed verdict of `checkCardNumber` on the scratch input (0 if unreadable,
/// which reads as "not valid, not potentially valid": the entry then takes the full
/// path). When the digits differ from the input, they are written back at offset
/// `SCRATCH_IN`. For the JS entry only.
#[wasm_bindgen(js_name = __cardNumberAt, skip_typescript)]
pub fn card_number_at(len: u32) -> u32 {
    with_scratch(len, |input| {
        let packed = number::check_card_number_packed(input);
        if packed & (1 << 26) == 0 {
            let digits = number::card_digits(input);
            for (cell, &b) in SCRATCH[SCRATCH_IN..].iter().zip(digits.as_bytes()) {
                cell.store(b, Ordering::Relaxed);
            }
        }
        packed
    })
    .unwrap_or(0)
}

/// The packed verdict of `checkExpiry` on the scratch input; `today` packed as
/// YYYYMMDD (0: today in Korea). For the JS entry only.
#[wasm_bindgen(js_name = __expiryAt, skip_typescript)]
pub fn expiry_at(len: u32, today: u32) -> u32 {
    let today = if today == 0 {
        today_kst()
    } else {
        Date::new(
            (today / 10_000) as i32,
            (today / 100 % 100) as u8,
            (today % 100) as u8,
        )
        .unwrap_or_else(today_kst)
    };
    with_scratch(len, |input| expiry::check_expiry_packed(input, today)).unwrap_or(0)
}

/// A `today` option packed as YYYYMMDD, or 0 when it is not a `YYYY-MM-DD` date
/// (the JS entry then takes the full path, which reports the bad option).
#[wasm_bindgen(js_name = __date, skip_typescript)]
pub fn date_packed(s: &str) -> u32 {
    Date::parse_iso(s)
        .filter(|d| (1..=9999).contains(&d.year))
        .map_or(0, |d| {
            d.year as u32 * 10_000 + u32::from(d.month) * 100 + u32::from(d.day)
        })
}

/// The tables the packed verdicts index: error codes and brands, comma-separated.
#[wasm_bindgen(js_name = __tables, skip_typescript)]
pub fn tables() -> Vec<String> {
    let mut codes = String::new();
    for (i, c) in ErrorCode::ALL.iter().enumerate() {
        if i > 0 {
            codes.push(',');
        }
        codes.push_str(c.as_str());
    }
    let mut brands = String::new();
    for (i, b) in number::Brand::ALL.iter().enumerate() {
        if i > 0 {
            brands.push(',');
        }
        brands.push_str(b.as_str());
    }
    vec![codes, brands]
}

/// The message of the error code at `index` in `ErrorCode::ALL`, in `locale`
/// (0 ko, anything else en). For the JS entry only.
#[wasm_bindgen(js_name = __message, skip_typescript)]
pub fn message(index: u32, locale: u32) -> String {
    let locale = if locale == 0 { Locale::Ko } else { Locale::En };
    ErrorCode::ALL
        .get(index as usize)
        .map_or("", |c| c.message(locale))
        .to_owned()
}

/// Checks an expiry (`MM/YY`, `YYYY-MM`, …) and gives `YYYY-MM`. Never throws.
#[wasm_bindgen(js_name = checkExpiry, skip_typescript)]
pub fn check_expiry(input: JsValue, options: Option<JsValue>) -> JsValue {
    field_check(
        "expiry",
        &input,
        &options.unwrap_or_default(),
        expiry::ExpiryCheck::rejected,
        |s, o| expiry::check_expiry(s, o.today, o.locale),
    )
}

/// Checks a birth date (`YYMMDD`) or business registration number. Never throws.
#[wasm_bindgen(js_name = checkBirth, skip_typescript)]
pub fn check_birth(input: JsValue, options: Option<JsValue>) -> JsValue {
    field_check(
        "birth",
        &input,
        &options.unwrap_or_default(),
        birth::BirthCheck::rejected,
        |s, o| birth::check_birth(s, o.kind, o.today, o.locale),
    )
}

/// Checks the first two PIN digits. Never throws.
#[wasm_bindgen(js_name = checkPwd2Digit, skip_typescript)]
pub fn check_pwd_2digit(input: JsValue, options: Option<JsValue>) -> JsValue {
    field_check(
        "pwd_2digit",
        &input,
        &options.unwrap_or_default(),
        pwd::Pwd2DigitCheck::rejected,
        |s, o| pwd::check_pwd_2digit(s, o.locale),
    )
}

/// Checks all card fields together; `pwd_2digit` is optional for corporate
/// cards (a business number in `birth`). Never throws.
#[wasm_bindgen(js_name = checkCard, skip_typescript)]
pub fn check_card(fields: JsValue, options: Option<JsValue>) -> JsValue {
    let opts = match read_opts(&options.unwrap_or_default()) {
        Ok(o) => o,
        Err(e) => {
            return to_js(&card::CardCheck {
                is_valid: false,
                errors: vec![e],
            })
        }
    };
    if !fields.is_object() {
        let e = FieldError::new("fields", ErrorCode::InvalidType, opts.locale);
        return to_js(&card::CardCheck {
            is_valid: false,
            errors: vec![e],
        });
    }
    let read = |key: &str| -> Result<Option<String>, ()> {
        get(&fields, key).and_then(|v| opt_string(&v))
    };
    let values = [
        read("card_number"),
        read("expiry"),
        read("birth"),
        read("pwd_2digit"),
    ];
    let fields = CardFields {
        card_number: field(&values[0]),
        expiry: field(&values[1]),
        birth: field(&values[2]),
        pwd_2digit: field(&values[3]),
    };
    to_js(&card::check_card(
        &fields,
        opts.kind,
        opts.today,
        opts.locale,
    ))
}

fn field(v: &Result<Option<String>, ()>) -> Field<'_> {
    match v {
        Ok(Some(s)) => Field::Text(s),
        Ok(None) => Field::Missing,
        Err(()) => Field::WrongType,
    }
}

/// Reformats a card-number field as the user types and keeps the caret beside
/// the same digit. `caret` is `selectionStart`. Never throws.
#[wasm_bindgen(js_name = formatCardNumberInput, skip_typescript)]
pub fn format_card_number_input(value: JsValue, caret: JsValue) -> JsValue {
    let value = value.as_string().unwrap_or_default();
    let end = value.encode_utf16().count();
    let caret = match caret.as_f64() {
        // (max/min, not f64::clamp: clamp's panic message formats floats, ~20 KB of wasm)
        Some(c) if c.is_finite() => c.max(0.0).min(end as f64) as usize,
        _ => end,
    };
    to_js(&number::format_card_number_input(&value, caret))
}

/// The masked form of a card number (first 6 and last 4 digits at most), or
/// `null` when the input holds no digits or is not a string.
#[wasm_bindgen(js_name = maskCardNumber, skip_typescript)]
pub fn mask_card_number(input: JsValue) -> JsValue {
    match input.as_string().and_then(|s| number::mask_card_number(&s)) {
        Some(m) => JsValue::from_str(&m),
        None => JsValue::NULL,
    }
}

/// Sets the default message language (`"ko"` or `"en"`). Returns false, and
/// changes nothing, for any other value.
#[wasm_bindgen(js_name = setLocale, skip_typescript)]
pub fn set_locale(locale: JsValue) -> bool {
    match locale.as_string().as_deref().and_then(Locale::parse) {
        Some(l) => {
            LOCALE.with(|c| c.set(l));
            true
        }
        None => false,
    }
}

/// The default message language.
#[wasm_bindgen(js_name = getLocale, skip_typescript)]
pub fn get_locale() -> String {
    match default_locale() {
        Locale::Ko => "ko".into(),
        Locale::En => "en".into(),
    }
}

// ---------------------------------------------------------------------------
// Request builders and response decoders.
// ---------------------------------------------------------------------------

#[wasm_bindgen(typescript_custom_section)]
const TS_API: &'static str = r#"
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
/** Decodes the answer to a charge or a payment look-up. `body`: parsed JSON, or the raw text. */
export function decodeOutcome(httpStatus: number, body: unknown, options?: { expectedAmount?: number }): Outcome;
export function decodeCustomer(httpStatus: number, body: unknown): { ok: true; customer: Customer } | { ok: false; error: ApiError };
export function decodeCustomers(httpStatus: number, body: unknown): { ok: true; customers: Customer[] } | { ok: false; error: ApiError };
export function decodeSchedules(httpStatus: number, body: unknown): { ok: true; page: SchedulePage } | { ok: false; error: ApiError };

export type KeyinErrorCode =
  | "INVALID_INPUT" | "INVALID_CONFIG" | "NETWORK_ERROR" | "TIMEOUT" | "MALFORMED_RESPONSE" | "NOT_FOUND"
  | "IAMPORT_REFUSED" | "IAMPORT_ERROR"
  | "MALFORMED_JSON" | "ORIGIN_NOT_ALLOWED" | "FORBIDDEN" | "METHOD_NOT_ALLOWED" | "AMOUNT_MISMATCH"
  | "BODY_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "HOOK_FAILED" | "MISCONFIGURED" | "TOKEN_FAILED"
  | "UPSTREAM_UNREACHABLE" | "UPSTREAM_TIMEOUT" | "OUTCOME_UNKNOWN";
/** What the client rejects with: `name` is "KeyinError". */
export interface KeyinError extends Error {
  name: "KeyinError";
  code: KeyinErrorCode;
  httpStatus: number | null;
  /** INVALID_INPUT: every field error (also from the proxy's 400). */
  errors?: FieldError[];
  fields?: FieldError[];
  /** Iamport's envelope code for IAMPORT_* errors. */
  iamportCode?: number | null;
}
export interface ClientOutcome extends Outcome {
  /** The outcome came from a look-up by merchant_uid after a timeout, a dropped connection or a 5xx. */
  resolvedByLookup: boolean;
  /** Why `status` is "unknown" (null otherwise). */
  unknownReason: "not_found" | "lookup_failed" | "still_ready" | "unrecognised_status" | null;
}
export interface KeyinClientOptions {
  /** The merchant proxy's base URL; relative in a page, absolute in Node and workers. */
  proxyUrl: string;
  /** Sent with every request (e.g. a CSRF token). */
  headers?: Record<string, string>;
  /** Per request, charges included. Default 30000. */
  timeoutMs?: number;
  locale?: Locale;
  credentials?: "omit" | "same-origin" | "include";
}
/** Talks only to the merchant's proxy; never double-charges. */
export class KeyinClient {
  constructor(options: KeyinClientOptions);
  readonly proxyUrl: string;
  payOnetime(input: IamportInput): Promise<ClientOutcome>;
  payAgain(input: IamportInput): Promise<ClientOutcome>;
  registerBillingKey(customerUid: string, input: IamportInput): Promise<Customer>;
  getBillingKey(customerUid: string): Promise<Customer | null>;
  deleteBillingKey(customerUid: string, reason?: string): Promise<Customer>;
  schedule(input: IamportInput): Promise<Schedule[]>;
  unschedule(input: IamportInput): Promise<Schedule[]>;
  getSchedule(merchantUid: string): Promise<Schedule | null>;
  findPayment(merchantUid: string): Promise<ClientOutcome | null>;
  /** Frees the wasm-side object (optional; garbage collection does it too where supported). */
  free(): void;
}

export type OperationName = "onetime" | "billingKey" | "getBillingKey" | "deleteBillingKey" | "getBillingKeys"
  | "again" | "schedule" | "unschedule" | "getSchedule" | "getSchedulesByCustomer" | "findPayment";
/** What merchant hooks see: names, uids and amounts, never card fields. */
export interface Operation {
  name: OperationName;
  merchantUid?: string; customerUid?: string; merchantUids?: string[]; customerUids?: string[];
  /** A charge's amount (a schedule's: the sum of its charges). */
  amount?: number; orderName?: string; buyerName?: string;
}
export interface ProxyLogEvent {
  level: "info" | "warn" | "error"; event: string; code?: string; operation?: OperationName;
  status?: number; ms?: number; detail?: unknown;
}
export interface ProxyOptions {
  /** Routes mirror Iamport's paths under it. Default "/iamport". */
  basePath?: string;
  /** Cross-origin callers allowed (exact origins). Default: same-origin only, no CORS headers. */
  allowedOrigins?: string[];
  /** Default 16384. Enforced while reading. */
  maxBodyBytes?: number;
  /** Default 25000: below the client's 30 s, so a slow charge gets a clear 504. */
  upstreamTimeoutMs?: number;
  /** The merchant's own session check; false gives 403. */
  authorize?: (request: Request, operation: Operation) => boolean | Promise<boolean>;
  /** The server-side price of a charge; a different amount gives 409. null/undefined: no check. */
  resolveAmount?: (operation: Operation) => number | null | undefined | Promise<number | null | undefined>;
  /** Receives one event per request and every hook failure. Never card data. */
  log?: (event: ProxyLogEvent) => void;
}
export interface ProxyEnv { IMP_KEY?: string; IMP_SECRET?: string; IAMPORT_API_URL?: string; IAMPORT_TIER?: string }
/** A worker module's default export. */
export interface IamportProxy { fetch(request: Request, env: ProxyEnv, ctx?: unknown): Promise<Response> }
/** The merchant proxy for an edge worker: `export default createProxy({ … })`. */
export function createProxy(options?: ProxyOptions): IamportProxy;
"#;

/// How deep and how large a JS input may be before the rest is `Unsupported`.
const MAX_DEPTH: u32 = 16;
const MAX_NODES: u32 = 10_000;

/// Converts any JS value to a loose [`Value`] without throwing: cycles and
/// giant graphs are cut off, throwing getters and exotic values become
/// `Unsupported`.
pub fn to_value(v: &JsValue) -> Value {
    let mut budget = MAX_NODES;
    convert(v, 0, &mut budget)
}

fn convert(v: &JsValue, depth: u32, budget: &mut u32) -> Value {
    if *budget == 0 || depth > MAX_DEPTH {
        return Value::Unsupported;
    }
    *budget -= 1;
    if let Some(s) = v.as_string() {
        return Value::String(s);
    }
    if let Some(n) = v.as_f64() {
        return Value::Number(n);
    }
    if let Some(b) = v.as_bool() {
        return Value::Bool(b);
    }
    if v.is_null() || v.is_undefined() {
        return Value::Null;
    }
    if v.is_function() || !v.is_object() {
        return Value::Unsupported;
    }
    if js_sys::Array::is_array(v) {
        let len = get(v, "length")
            .ok()
            .and_then(|l| l.as_f64())
            .unwrap_or(0.0);
        let len = len.max(0.0).min(f64::from(*budget)) as u32;
        let mut items = Vec::with_capacity(len as usize);
        for i in 0..len {
            let item = js_sys::Reflect::get_u32(v, i).unwrap_or(JsValue::UNDEFINED);
            items.push(convert(&item, depth + 1, budget));
        }
        return Value::Array(items);
    }
    let Ok(keys) = js_sys::Reflect::own_keys(v) else {
        return Value::Unsupported;
    };
    let mut fields = Vec::new();
    for key in keys.iter() {
        let Some(name) = key.as_string() else {
            continue;
        };
        if *budget == 0 {
            return Value::Unsupported;
        }
        let item = js_sys::Reflect::get(v, &key).unwrap_or(JsValue::UNDEFINED);
        fields.push((name, convert(&item, depth + 1, budget)));
    }
    Value::Object(fields)
}

/// Reads `{ now?, locale?, pgProfile? }`.
fn read_build_opts(options: &JsValue) -> Result<BuildOptions, FieldError> {
    let mut opts = BuildOptions {
        now: (js_sys::Date::now() / 1000.0).floor() as i64,
        locale: default_locale(),
        pg_profile: PgProfile::Kcp,
    };
    if options.is_undefined() || options.is_null() {
        return Ok(opts);
    }
    let bad = |field: &str, locale| FieldError::new(field, ErrorCode::InvalidOption, locale);
    if !options.is_object() {
        return Err(bad("options", opts.locale));
    }
    match get(options, "locale").and_then(|v| opt_string(&v)) {
        Ok(None) => {}
        Ok(Some(tag)) => match Locale::parse(&tag) {
            Some(l) => opts.locale = l,
            None => return Err(bad("options.locale", opts.locale)),
        },
        Err(()) => return Err(bad("options.locale", opts.locale)),
    }
    match get(options, "now") {
        Ok(v) if v.is_undefined() || v.is_null() => {}
        Ok(v) => match v.as_f64() {
            Some(n) if n.is_finite() && n.abs() <= MAX_SAFE_INTEGER => opts.now = n.floor() as i64,
            _ => return Err(bad("options.now", opts.locale)),
        },
        Err(()) => return Err(bad("options.now", opts.locale)),
    }
    match get(options, "pgProfile").and_then(|v| opt_string(&v)) {
        Ok(None) => {}
        Ok(Some(p)) => match PgProfile::parse(&p) {
            Some(p) => opts.pg_profile = p,
            None => return Err(bad("options.pgProfile", opts.locale)),
        },
        Err(()) => return Err(bad("options.pgProfile", opts.locale)),
    }
    Ok(opts)
}

#[derive(Serialize)]
struct BuiltJs<'a> {
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    request: Option<&'a Request>,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a [FieldError]>,
}

fn built_js(r: &Built) -> JsValue {
    match r {
        Ok(request) => to_js(&BuiltJs {
            ok: true,
            request: Some(request),
            errors: None,
        }),
        Err(errors) => to_js(&BuiltJs {
            ok: false,
            request: None,
            errors: Some(errors),
        }),
    }
}

/// Runs a builder after reading its options; a bad option is reported as an error.
fn run_builder(options: Option<JsValue>, build: impl FnOnce(&BuildOptions) -> Built) -> JsValue {
    match read_build_opts(&options.unwrap_or_default()) {
        Ok(opts) => built_js(&build(&opts)),
        Err(e) => built_js(&Err(vec![e])),
    }
}

/// `POST /subscribe/payments/onetime`: a key-in payment (and billing key with `customer_uid`).
#[wasm_bindgen(js_name = buildOnetimePayment, skip_typescript)]
pub fn build_onetime_payment(input: JsValue, options: Option<JsValue>) -> JsValue {
    run_builder(options, |o| {
        api::build_onetime_payment(&to_value(&input), o)
    })
}

/// `POST /subscribe/customers/{customer_uid}`: store a billing key.
#[wasm_bindgen(js_name = buildBillingKey, skip_typescript)]
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
#[wasm_bindgen(js_name = buildGetBillingKey, skip_typescript)]
pub fn build_get_billing_key(customer_uid: JsValue, options: Option<JsValue>) -> JsValue {
    run_builder(options, |o| {
        api::build_get_billing_key(&to_value(&customer_uid), o)
    })
}

/// `DELETE /subscribe/customers/{customer_uid}`.
#[wasm_bindgen(js_name = buildDeleteBillingKey, skip_typescript)]
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
#[wasm_bindgen(js_name = buildGetBillingKeys, skip_typescript)]
pub fn build_get_billing_keys(customer_uids: JsValue, options: Option<JsValue>) -> JsValue {
    run_builder(options, |o| {
        api::build_get_billing_keys(&to_value(&customer_uids), o)
    })
}

/// `POST /subscribe/payments/again`: charge a billing key.
#[wasm_bindgen(js_name = buildAgainPayment, skip_typescript)]
pub fn build_again_payment(input: JsValue, options: Option<JsValue>) -> JsValue {
    run_builder(options, |o| api::build_again_payment(&to_value(&input), o))
}

/// `POST /subscribe/payments/schedule`.
#[wasm_bindgen(js_name = buildSchedule, skip_typescript)]
pub fn build_schedule(input: JsValue, options: Option<JsValue>) -> JsValue {
    run_builder(options, |o| api::build_schedule(&to_value(&input), o))
}

/// `POST /subscribe/payments/unschedule`.
#[wasm_bindgen(js_name = buildUnschedule, skip_typescript)]
pub fn build_unschedule(input: JsValue, options: Option<JsValue>) -> JsValue {
    run_builder(options, |o| api::build_unschedule(&to_value(&input), o))
}

/// `GET /subscribe/payments/schedule/{merchant_uid}`.
#[wasm_bindgen(js_name = buildGetSchedule, skip_typescript)]
pub fn build_get_schedule(merchant_uid: JsValue, options: Option<JsValue>) -> JsValue {
    run_builder(options, |o| {
        api::build_get_schedule(&to_value(&merchant_uid), o)
    })
}

/// `GET /subscribe/payments/schedule/customers/{customer_uid}?from=&to=…`.
#[wasm_bindgen(js_name = buildGetSchedulesByCustomer, skip_typescript)]
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
#[wasm_bindgen(js_name = buildFindPayment, skip_typescript)]
pub fn build_find_payment(
    merchant_uid: JsValue,
    status: JsValue,
    options: Option<JsValue>,
) -> JsValue {
    run_builder(options, |o| {
        api::build_find_payment(&to_value(&merchant_uid), &to_value(&status), o)
    })
}

/// An HTTP status from JS: a whole number 0–999, else 0 ("no answer").
fn http_status(v: &JsValue) -> u16 {
    match v.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..1000.0).contains(&n) => n as u16,
        _ => 0,
    }
}

/// A response body from JS: parsed JSON as is, or raw text parsed here; empty
/// or non-JSON text is `None`.
fn body_value(body: &JsValue) -> Option<Value> {
    if let Some(text) = body.as_string() {
        if text.trim().is_empty() {
            return None;
        }
        return js_sys::JSON::parse(&text).ok().map(|v| to_value(&v));
    }
    if body.is_undefined() || body.is_null() {
        return None;
    }
    Some(to_value(body))
}

/// Decodes the answer to a charge or a payment look-up into an `Outcome`.
#[wasm_bindgen(js_name = decodeOutcome, skip_typescript)]
pub fn decode_outcome(status: JsValue, body: JsValue, options: Option<JsValue>) -> JsValue {
    let expected = options
        .as_ref()
        .and_then(|o| get(o, "expectedAmount").ok())
        .and_then(|v| v.as_f64())
        .filter(|n| n.fract() == 0.0 && *n >= 1.0 && *n <= MAX_SAFE_INTEGER)
        .map(|n| n as u64);
    let body = body_value(&body);
    to_js(&api::decode_outcome(
        http_status(&status),
        body.as_ref(),
        expected,
    ))
}

#[derive(Serialize)]
struct Decoded<'a, T: Serialize> {
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer: Option<&'a T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customers: Option<&'a T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<&'a T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a api::ApiError>,
}

fn decoded<T: Serialize>(key: &str, r: &Result<T, api::ApiError>) -> JsValue {
    let mut d: Decoded<'_, T> = Decoded {
        ok: r.is_ok(),
        customer: None,
        customers: None,
        page: None,
        error: r.as_ref().err(),
    };
    if let Ok(v) = r {
        match key {
            "customer" => d.customer = Some(v),
            "customers" => d.customers = Some(v),
            _ => d.page = Some(v),
        }
    }
    to_js(&d)
}

/// Decodes a billing-key answer.
#[wasm_bindgen(js_name = decodeCustomer, skip_typescript)]
pub fn decode_customer(status: JsValue, body: JsValue) -> JsValue {
    let body = body_value(&body);
    decoded(
        "customer",
        &api::decode_customer(http_status(&status), body.as_ref()),
    )
}

/// Decodes a multi-billing-key answer (HTTP 207 included).
#[wasm_bindgen(js_name = decodeCustomers, skip_typescript)]
pub fn decode_customers(status: JsValue, body: JsValue) -> JsValue {
    let body = body_value(&body);
    decoded(
        "customers",
        &api::decode_customers(http_status(&status), body.as_ref()),
    )
}

/// Decodes a schedule answer: one schedule, an array or a page.
#[wasm_bindgen(js_name = decodeSchedules, skip_typescript)]
pub fn decode_schedules(status: JsValue, body: JsValue) -> JsValue {
    let body = body_value(&body);
    decoded(
        "page",
        &api::decode_schedules(http_status(&status), body.as_ref()),
    )
}
