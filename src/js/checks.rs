//! The card-field checks, their TypeScript next to them. The JS entry answers
//! `checkCardNumber`, `checkExpiry` and `isValidCardNumber` on its fast path
//! (`fast.rs`) when it can, and with these otherwise.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::convert::{get, to_js};
use super::options::{absent, check_options, CheckOptions};
use crate::card::{self, birth, expiry, number, pwd, CardFields, Field};
use crate::error::{ErrorCode, FieldError};

#[wasm_bindgen(typescript_custom_section)]
const TS_CHECKS: &'static str = r#"
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
/** The brand once only one is possible: the lean form of `checkCardNumber(input).brand`. */
export function cardBrand(input: string): Brand | null;
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
/** A key-in form field after an edit. */
export interface FieldInput extends FormattedInput {
  /** Every digit the field takes is there. */
  complete: boolean;
}
/**
 * Reformats any key-in field from its `input` event: digits only, separators placed
 * (card number by brand, `MM/YY`, `000-00-00000`), the caret beside the same digit, and
 * a separator deleted by Backspace or Delete taking the digit beside it along.
 * `previous` is the value before the edit, `inputType` the event's.
 */
export function formatFieldInput(field: "card_number" | "expiry" | "birth" | "business" | "pwd_2digit", value: string, caret?: number, previous?: string, inputType?: string): FieldInput;
/** The masked number (at most the first 6 and last 4 digits), or null when there are no digits. */
export function maskCardNumber(input: string): string | null;
"#;

/// Runs a field check: reads options and the input string, or returns `rejected`.
fn field_check<T: Serialize>(
    field: &str,
    input: &JsValue,
    options: Option<JsValue>,
    rejected: fn(FieldError) -> T,
    check: impl FnOnce(&str, &CheckOptions) -> T,
) -> JsValue {
    let result = match check_options(&options.unwrap_or_default()) {
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
        options,
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

/// The brand once only one is possible: the lean form of `checkCardNumber(input).brand`;
/// `null` for a non-string.
#[wasm_bindgen(js_name = cardBrand, skip_typescript)]
pub fn card_brand(input: JsValue) -> JsValue {
    match input.as_string().and_then(|s| number::card_brand(&s)) {
        Some(b) => JsValue::from_str(b.as_str()),
        None => JsValue::NULL,
    }
}

/// Checks an expiry (`MM/YY`, `YYYY-MM`, …) and gives `YYYY-MM`. Never throws.
#[wasm_bindgen(js_name = checkExpiry, skip_typescript)]
pub fn check_expiry(input: JsValue, options: Option<JsValue>) -> JsValue {
    field_check(
        "expiry",
        &input,
        options,
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
        options,
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
        options,
        pwd::Pwd2DigitCheck::rejected,
        |s, o| pwd::check_pwd_2digit(s, o.locale),
    )
}

/// Checks all card fields together; `pwd_2digit` is optional for corporate
/// cards (a business number in `birth`). Never throws.
#[wasm_bindgen(js_name = checkCard, skip_typescript)]
pub fn check_card(fields: JsValue, options: Option<JsValue>) -> JsValue {
    let rejected = |e| {
        to_js(&card::CardCheck {
            is_valid: false,
            errors: vec![e],
        })
    };
    let opts = match check_options(&options.unwrap_or_default()) {
        Ok(o) => o,
        Err(e) => return rejected(e),
    };
    if !fields.is_object() {
        return rejected(FieldError::new(
            "fields",
            ErrorCode::InvalidType,
            opts.locale,
        ));
    }
    // The options' rule for each field: absent when undefined or null.
    let read = |key: &str| -> Result<Option<String>, ()> {
        match get(&fields, key)? {
            v if absent(&v) => Ok(None),
            v => v.as_string().map(Some).ok_or(()),
        }
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

/// Reformats any card field after an `input` event (see
/// [`crate::card::input`]): `field` is `card_number`, `expiry`, `birth`,
/// `business` or `pwd_2digit`; `previous` the value before the edit;
/// `inputType` the event's. Answers `{ value, caret, complete }`.
///
/// # Errors
/// A `TypeError` for an unknown field name.
#[wasm_bindgen(js_name = formatFieldInput, skip_typescript)]
pub fn format_field_input(
    field: JsValue,
    value: JsValue,
    caret: JsValue,
    previous: JsValue,
    input_type: JsValue,
) -> Result<JsValue, JsValue> {
    use crate::card::input::{self, Edit, InputField};
    let Some(field) = field.as_string().as_deref().and_then(InputField::parse) else {
        return Err(js_sys::TypeError::new(
            "formatFieldInput: field is one of card_number, expiry, birth, business, pwd_2digit",
        )
        .into());
    };
    let value = value.as_string().unwrap_or_default();
    let end = value.encode_utf16().count();
    let caret = match caret.as_f64() {
        Some(c) if c.is_finite() => c.max(0.0).min(end as f64) as usize,
        _ => end,
    };
    let previous = previous.as_string();
    let edit = Edit::of(&input_type.as_string().unwrap_or_default());
    Ok(to_js(&input::format_field_input(
        field,
        &value,
        caret,
        previous.as_deref(),
        edit,
    )))
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
