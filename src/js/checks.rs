//! The card-field checks as `JsValue` functions behind one export, `__check(n, …)`
//! (the main and server builds), their TypeScript next to them. Each reads its
//! arguments ([`Arg`]) and answers with `surface`, as the checks-only build's protocol
//! does, under the same numbers (`surface::Check`). The JS entry answers
//! `checkCardNumber`, `checkExpiry`, `isValidCardNumber` and `cardBrand` on its fast
//! path (`fast.rs`) when it can, and with these otherwise.

use wasm_bindgen::prelude::*;

#[cfg(feature = "full")]
pub use exports::*;

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

/// The checks as `JsValue` functions, and the one export that runs them by number (not
/// in the checks-only build, which answers through `protocol.rs`).
#[cfg(feature = "full")]
mod exports {
    use wasm_bindgen::prelude::*;

    use crate::js::convert::to_js;
    use crate::js::options::{Arg, Key};
    use crate::js::surface::{self, Check, CARD_FIELDS};

    /// Runs check `check` with no argument past the first two (each function below).
    fn run(check: Check, a: JsValue, b: Option<JsValue>) -> JsValue {
        let u = || JsValue::UNDEFINED;
        self::check(check as u32, a, b.unwrap_or_default(), u(), u(), u()).unwrap_or_default()
    }

    /// Checks a card number as typed or pasted. Never throws.
    pub fn check_card_number(input: JsValue, options: Option<JsValue>) -> JsValue {
        run(Check::CardNumber, input, options)
    }

    /// Whether a card number is valid: the lean, boolean form of `checkCardNumber`.
    pub fn is_valid_card_number(input: JsValue) -> bool {
        run(Check::IsValid, input, None).is_truthy()
    }

    /// The brand once only one is possible: the lean form of `checkCardNumber(input).brand`;
    /// `null` for a non-string.
    pub fn card_brand(input: JsValue) -> JsValue {
        run(Check::Brand, input, None)
    }

    /// Checks an expiry (`MM/YY`, `YYYY-MM`, …) and gives `YYYY-MM`. Never throws.
    pub fn check_expiry(input: JsValue, options: Option<JsValue>) -> JsValue {
        run(Check::Expiry, input, options)
    }

    /// Checks a birth date (`YYMMDD`) or business registration number. Never throws.
    pub fn check_birth(input: JsValue, options: Option<JsValue>) -> JsValue {
        run(Check::Birth, input, options)
    }

    /// Checks the first two PIN digits. Never throws.
    pub fn check_pwd_2digit(input: JsValue, options: Option<JsValue>) -> JsValue {
        run(Check::Pwd2Digit, input, options)
    }

    /// Checks all card fields together; `pwd_2digit` is optional for corporate
    /// cards (a business number in `birth`). Never throws.
    pub fn check_card(fields: JsValue, options: Option<JsValue>) -> JsValue {
        run(Check::Card, fields, options)
    }

    /// Reformats a card-number field as the user types and keeps the caret beside
    /// the same digit. `caret` is `selectionStart`. Never throws.
    pub fn format_card_number_input(value: JsValue, caret: JsValue) -> JsValue {
        run(Check::FormatCardNumber, value, Some(caret))
    }

    /// The masked form of a card number (first 6 and last 4 digits at most), or
    /// `null` when the input holds no digits or is not a string.
    pub fn mask_card_number(input: JsValue) -> JsValue {
        run(Check::Mask, input, None)
    }

    /// Runs check number `check` (`surface::Check`; the facade names them) on its
    /// arguments, `a` to `e` as the public function takes them (`undefined` past its
    /// last): the functions above, as one export. An export each cost the wasm its own
    /// argument shim (1.8 KB for `checkCardNumber`) and the glue a function. Throws
    /// only `formatFieldInput`'s `TypeError`; an unknown number answers `undefined`.
    #[wasm_bindgen(js_name = __check, skip_typescript)]
    pub fn check(
        check: u32,
        a: JsValue,
        b: JsValue,
        c: JsValue,
        d: JsValue,
        e: JsValue,
    ) -> Result<JsValue, JsValue> {
        let Some(check) = Check::of(check) else {
            return Ok(JsValue::UNDEFINED);
        };
        // The first two arguments are read once for every check (the input, and the
        // options or the caret); the options object's members as each check asks.
        let (input, second) = (Arg::of(&a), Arg::of(&b));
        let mut option = |key: Key| Arg::get(&b, key.name());
        let options = (&second, &mut option as &mut dyn FnMut(Key) -> Arg);
        Ok(match check {
            Check::CardNumber => to_js(&surface::card_number(&input, options)),
            Check::Expiry => to_js(&surface::expiry(&input, options)),
            Check::Birth => to_js(&surface::birth(&input, options)),
            Check::Pwd2Digit => to_js(&surface::pwd_2digit(&input, options)),
            Check::Card => to_js(&surface::card(
                &input,
                |i| {
                    CARD_FIELDS
                        .get(i)
                        .map_or(Arg::Absent, |key| Arg::get(&a, key))
                },
                options,
            )),
            Check::FormatCardNumber => to_js(&surface::format_card_number(&input, &second)),
            // `formatFieldInput(field, value, caret, previous, inputType)` (see
            // [`crate::card::input`]): a `TypeError` for an unknown field name.
            Check::FormatField => to_js(
                &surface::format_field(&input, &second, &Arg::of(&c), &Arg::of(&d), &Arg::of(&e))
                    .map_err(|message| JsValue::from(js_sys::TypeError::new(message)))?,
            ),
            Check::Mask => surface::mask(&input).map_or(JsValue::NULL, |m| JsValue::from_str(&m)),
            Check::IsValid => JsValue::from_bool(surface::is_valid(&input)),
            Check::Brand => {
                surface::brand(&input).map_or(JsValue::NULL, |b| JsValue::from_str(b.as_str()))
            }
        })
    }
}
