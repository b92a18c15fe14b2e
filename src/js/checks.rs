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

    /// The options argument, read lazily option by option.
    macro_rules! options {
        ($options:expr) => {{
            let options = $options.unwrap_or_default();
            (Arg::of(&options), move |key: Key| {
                Arg::get(&options, key.name())
            })
        }};
    }

    /// Checks a card number as typed or pasted. Never throws.
    pub fn check_card_number(input: JsValue, options: Option<JsValue>) -> JsValue {
        let (arg, mut option) = options!(options);
        to_js(&surface::card_number(&Arg::of(&input), (&arg, &mut option)))
    }

    /// Whether a card number is valid: the lean, boolean form of `checkCardNumber`.
    pub fn is_valid_card_number(input: JsValue) -> bool {
        surface::is_valid(&Arg::of(&input))
    }

    /// The brand once only one is possible: the lean form of `checkCardNumber(input).brand`;
    /// `null` for a non-string.
    pub fn card_brand(input: JsValue) -> JsValue {
        match surface::brand(&Arg::of(&input)) {
            Some(b) => JsValue::from_str(b.as_str()),
            None => JsValue::NULL,
        }
    }

    /// Checks an expiry (`MM/YY`, `YYYY-MM`, …) and gives `YYYY-MM`. Never throws.
    pub fn check_expiry(input: JsValue, options: Option<JsValue>) -> JsValue {
        let (arg, mut option) = options!(options);
        to_js(&surface::expiry(&Arg::of(&input), (&arg, &mut option)))
    }

    /// Checks a birth date (`YYMMDD`) or business registration number. Never throws.
    pub fn check_birth(input: JsValue, options: Option<JsValue>) -> JsValue {
        let (arg, mut option) = options!(options);
        to_js(&surface::birth(&Arg::of(&input), (&arg, &mut option)))
    }

    /// Checks the first two PIN digits. Never throws.
    pub fn check_pwd_2digit(input: JsValue, options: Option<JsValue>) -> JsValue {
        let (arg, mut option) = options!(options);
        to_js(&surface::pwd_2digit(&Arg::of(&input), (&arg, &mut option)))
    }

    /// Checks all card fields together; `pwd_2digit` is optional for corporate
    /// cards (a business number in `birth`). Never throws.
    pub fn check_card(fields: JsValue, options: Option<JsValue>) -> JsValue {
        let (arg, mut option) = options!(options);
        to_js(&surface::card(
            &Arg::of(&fields),
            |i| {
                CARD_FIELDS
                    .get(i)
                    .map_or(Arg::Absent, |key| Arg::get(&fields, key))
            },
            (&arg, &mut option),
        ))
    }

    /// Reformats a card-number field as the user types and keeps the caret beside
    /// the same digit. `caret` is `selectionStart`. Never throws.
    pub fn format_card_number_input(value: JsValue, caret: JsValue) -> JsValue {
        to_js(&surface::format_card_number(
            &Arg::of(&value),
            &Arg::of(&caret),
        ))
    }

    /// Reformats any card field after an `input` event (see
    /// [`crate::card::input`]): `field` is `card_number`, `expiry`, `birth`,
    /// `business` or `pwd_2digit`; `previous` the value before the edit;
    /// `inputType` the event's. Answers `{ value, caret, complete }`.
    ///
    /// # Errors
    /// A `TypeError` for an unknown field name.
    pub fn format_field_input(
        field: JsValue,
        value: JsValue,
        caret: JsValue,
        previous: JsValue,
        input_type: JsValue,
    ) -> Result<JsValue, JsValue> {
        surface::format_field(
            &Arg::of(&field),
            &Arg::of(&value),
            &Arg::of(&caret),
            &Arg::of(&previous),
            &Arg::of(&input_type),
        )
        .map(|r| to_js(&r))
        .map_err(|message| js_sys::TypeError::new(message).into())
    }

    /// The masked form of a card number (first 6 and last 4 digits at most), or
    /// `null` when the input holds no digits or is not a string.
    pub fn mask_card_number(input: JsValue) -> JsValue {
        match surface::mask(&Arg::of(&input)) {
            Some(m) => JsValue::from_str(&m),
            None => JsValue::NULL,
        }
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
        Ok(match check {
            Check::CardNumber => check_card_number(a, Some(b)),
            Check::Expiry => check_expiry(a, Some(b)),
            Check::Birth => check_birth(a, Some(b)),
            Check::Pwd2Digit => check_pwd_2digit(a, Some(b)),
            Check::Card => check_card(a, Some(b)),
            Check::FormatCardNumber => format_card_number_input(a, b),
            Check::FormatField => return format_field_input(a, b, c, d, e),
            Check::Mask => mask_card_number(a),
            Check::IsValid => JsValue::from_bool(is_valid_card_number(a)),
            Check::Brand => card_brand(a),
        })
    }
}
