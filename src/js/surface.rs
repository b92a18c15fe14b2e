//! The checks' JS surface over decoded arguments ([`Arg`]): what each export
//! answers for what JS handed over, with no `JsValue` in sight. The `JsValue`
//! exports (`checks.rs`, the main and server builds) and the checks-only build's
//! byte protocol (`protocol.rs`) both decode their arguments and call these, so
//! the two entries answer alike by construction.

use super::options::{check_options, Arg, CheckOptions, Key};
use crate::card::{self, birth, expiry, input, number, pwd, CardCheck, CardFields, Field};
use crate::error::{ErrorCode, FieldError};
use crate::prelude::*;

/// The checks, by number: the main and server builds' `__check(n, …)` export and the
/// checks-only build's operations 0 to 9 (`protocol.rs`) take the same numbers, and
/// the JS facade names them once (`CHECKS` in `pkg-template/facade.js`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Check {
    /// `checkCardNumber(input, options)`.
    CardNumber = 0,
    /// `checkExpiry(input, options)`.
    Expiry = 1,
    /// `checkBirth(input, options)`.
    Birth = 2,
    /// `checkPwd2Digit(input, options)`.
    Pwd2Digit = 3,
    /// `checkCard(fields, options)`.
    Card = 4,
    /// `formatCardNumberInput(value, caret)`.
    FormatCardNumber = 5,
    /// `formatFieldInput(field, value, caret, previous, inputType)`.
    FormatField = 6,
    /// `maskCardNumber(input)`.
    Mask = 7,
    /// `isValidCardNumber(input)`.
    IsValid = 8,
    /// `cardBrand(input)`.
    Brand = 9,
}

impl Check {
    /// Every check, in number order.
    pub(crate) const ALL: [Check; 10] = [
        Check::CardNumber,
        Check::Expiry,
        Check::Birth,
        Check::Pwd2Digit,
        Check::Card,
        Check::FormatCardNumber,
        Check::FormatField,
        Check::Mask,
        Check::IsValid,
        Check::Brand,
    ];

    /// The check numbered `n`.
    pub(crate) fn of(n: u32) -> Option<Check> {
        Check::ALL.get(n as usize).copied()
    }
}

/// The options of a check: the argument's reading and each option's.
pub(crate) type Options<'a> = (&'a Arg, &'a mut dyn FnMut(Key) -> Arg);

/// Runs a field check: reads the options and the input string, or answers `rejected`.
fn field_check<T>(
    field: &str,
    input: &Arg,
    (options, option): Options<'_>,
    rejected: fn(FieldError) -> T,
    check: impl FnOnce(&str, &CheckOptions) -> T,
) -> T {
    match check_options(options, option) {
        Err(e) => rejected(e),
        Ok(opts) => match input {
            Arg::Str(s) => check(s, &opts),
            // Not even null or undefined is read as "": a non-string is invalid.
            _ => rejected(FieldError::new(field, ErrorCode::InvalidType, opts.locale)),
        },
    }
}

/// `checkCardNumber`.
pub(crate) fn card_number(input: &Arg, options: Options<'_>) -> number::CardNumberCheck {
    field_check(
        "card_number",
        input,
        options,
        number::CardNumberCheck::rejected,
        |s, o| number::check_card_number(s, o.locale),
    )
}

/// `checkExpiry`.
pub(crate) fn expiry(input: &Arg, options: Options<'_>) -> expiry::ExpiryCheck {
    field_check(
        "expiry",
        input,
        options,
        expiry::ExpiryCheck::rejected,
        |s, o| expiry::check_expiry(s, o.today, o.locale),
    )
}

/// `checkBirth`.
pub(crate) fn birth(input: &Arg, options: Options<'_>) -> birth::BirthCheck {
    field_check(
        "birth",
        input,
        options,
        birth::BirthCheck::rejected,
        |s, o| birth::check_birth(s, o.kind, o.today, o.locale),
    )
}

/// `checkPwd2Digit`.
pub(crate) fn pwd_2digit(input: &Arg, options: Options<'_>) -> pwd::Pwd2DigitCheck {
    field_check(
        "pwd_2digit",
        input,
        options,
        pwd::Pwd2DigitCheck::rejected,
        |s, o| pwd::check_pwd_2digit(s, o.locale),
    )
}

/// The names `checkCard` reads from its `fields` argument, in order.
pub(crate) const CARD_FIELDS: [&str; 4] = ["card_number", "expiry", "birth", "pwd_2digit"];

/// `checkCard`: `fields` is the argument's reading, `field(i)` that of the field
/// named `CARD_FIELDS[i]` (read only when the options are good and `fields` is an
/// object).
pub(crate) fn card(
    fields: &Arg,
    mut field: impl FnMut(usize) -> Arg,
    options: Options<'_>,
) -> CardCheck {
    let rejected = |e| CardCheck {
        is_valid: false,
        errors: vec![e],
    };
    let opts = match check_options(options.0, options.1) {
        Ok(o) => o,
        Err(e) => return rejected(e),
    };
    if *fields != Arg::Object {
        return rejected(FieldError::new(
            "fields",
            ErrorCode::InvalidType,
            opts.locale,
        ));
    }
    let values = [0, 1, 2, 3].map(&mut field);
    let [card_number, expiry, birth, pwd_2digit] = &values;
    let fields = CardFields {
        card_number: of(card_number),
        expiry: of(expiry),
        birth: of(birth),
        pwd_2digit: of(pwd_2digit),
    };
    card::check_card(&fields, opts.kind, opts.today, opts.locale)
}

/// A field of `checkCard` as the card checks take it.
fn of(v: &Arg) -> Field<'_> {
    match v {
        Arg::Absent => Field::Missing,
        Arg::Str(s) => Field::Text(s),
        _ => Field::WrongType,
    }
}

/// A `caret` argument: `selectionStart` (UTF-16 units) clamped into `value`;
/// anything but a finite number means the end.
fn caret_in(value: &str, caret: &Arg) -> usize {
    let end = card::unicode::utf16_len(value);
    match caret {
        // (max/min, not f64::clamp: clamp's panic message formats floats, ~20 KB of wasm)
        Arg::Num(c) if c.is_finite() => c.max(0.0).min(end as f64) as usize,
        _ => end,
    }
}

/// A string argument, or `""` for anything else.
fn text(v: &Arg) -> &str {
    match v {
        Arg::Str(s) => s,
        _ => "",
    }
}

/// `formatCardNumberInput`.
pub(crate) fn format_card_number(value: &Arg, caret: &Arg) -> number::FormattedInput {
    let value = text(value);
    number::format_card_number_input(value, caret_in(value, caret))
}

/// What `formatFieldInput` throws (a `TypeError`) for a field name it does not know.
pub(crate) const UNKNOWN_FIELD: &str =
    "formatFieldInput: field is one of card_number, expiry, birth, business, pwd_2digit";

/// `formatFieldInput`; `Err` for an unknown field name (a `TypeError` in JS).
pub(crate) fn format_field(
    field: &Arg,
    value: &Arg,
    caret: &Arg,
    previous: &Arg,
    input_type: &Arg,
) -> Result<input::FieldInput, &'static str> {
    let field = match field {
        Arg::Str(s) => input::InputField::parse(s),
        _ => None,
    };
    let Some(field) = field else {
        return Err(UNKNOWN_FIELD);
    };
    let value = text(value);
    let previous = match previous {
        Arg::Str(s) => Some(s.as_str()),
        _ => None,
    };
    Ok(input::format_field_input(
        field,
        value,
        caret_in(value, caret),
        previous,
        input::Edit::of(text(input_type)),
    ))
}

/// `maskCardNumber`: `None` (null) for no digits or a non-string.
pub(crate) fn mask(input: &Arg) -> Option<String> {
    match input {
        Arg::Str(s) => number::mask_card_number(s),
        _ => None,
    }
}

/// `isValidCardNumber`.
pub(crate) fn is_valid(input: &Arg) -> bool {
    matches!(input, Arg::Str(s) if number::is_valid_card_number(s))
}

/// `cardBrand`.
pub(crate) fn brand(input: &Arg) -> Option<number::Brand> {
    match input {
        Arg::Str(s) => number::card_brand(s),
        _ => None,
    }
}
