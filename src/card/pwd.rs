//! The first two digits of the card PIN (`pwd_2digit`).

use core::fmt;

use serde::Serialize;

use crate::error::{ErrorCode, FieldError, Locale};
use crate::prelude::*;

/// The result of [`check_pwd_2digit`]. Its `Debug` never shows the digits.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pwd2DigitCheck {
    /// Exactly two digits.
    pub is_valid: bool,
    /// Valid, or could become valid by typing more.
    pub is_potentially_valid: bool,
    /// Why it is not valid.
    pub error: Option<FieldError>,
    /// The two digits when valid.
    pub value: Option<String>,
}

impl fmt::Debug for Pwd2DigitCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pwd2DigitCheck")
            .field("is_valid", &self.is_valid)
            .field("is_potentially_valid", &self.is_potentially_valid)
            .field("error", &self.error)
            .field("value", &self.value.as_ref().map(|_| "**"))
            .finish()
    }
}

/// Judges the PIN digits: `Ok` holds them in wire form.
///
/// # Errors
/// `Required`, `Incomplete` (one digit) or `Pwd2DigitInvalid`.
pub fn parse_pwd_2digit(input: &str) -> Result<[u8; 2], ErrorCode> {
    match super::unicode::trim_bytes(input.as_bytes()) {
        [] => Err(ErrorCode::Required),
        [a] if a.is_ascii_digit() => Err(ErrorCode::Incomplete),
        &[a, b] if a.is_ascii_digit() && b.is_ascii_digit() => Ok([a, b]),
        _ => Err(ErrorCode::Pwd2DigitInvalid),
    }
}

impl Pwd2DigitCheck {
    /// A result for input that could not be read at all (a wrong type, a bad option).
    pub fn rejected(error: FieldError) -> Self {
        Pwd2DigitCheck {
            is_valid: false,
            is_potentially_valid: false,
            error: Some(error),
            value: None,
        }
    }
}

/// Checks the first two PIN digits.
pub fn check_pwd_2digit(input: &str, locale: Locale) -> Pwd2DigitCheck {
    let r = parse_pwd_2digit(input);
    let potential = matches!(r, Ok(_) | Err(ErrorCode::Required | ErrorCode::Incomplete));
    Pwd2DigitCheck {
        is_valid: r.is_ok(),
        is_potentially_valid: potential,
        error: r.err().map(|c| FieldError::new("pwd_2digit", c, locale)),
        value: r.ok().map(|d| super::unicode::ascii_string(&d)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        // (input, valid, potentially valid, code)
        let table: &[(&str, bool, bool, Option<ErrorCode>)] = &[
            ("12", true, true, None),
            ("00", true, true, None),
            (" 12 ", true, true, None),
            ("", false, true, Some(ErrorCode::Required)),
            ("1", false, true, Some(ErrorCode::Incomplete)),
            ("123", false, false, Some(ErrorCode::Pwd2DigitInvalid)),
            ("1a", false, false, Some(ErrorCode::Pwd2DigitInvalid)),
            ("a", false, false, Some(ErrorCode::Pwd2DigitInvalid)),
            ("１２", false, false, Some(ErrorCode::Pwd2DigitInvalid)),
        ];
        // The row, not the input: no message shows PIN digits.
        for (row, &(input, valid, potential, code)) in table.iter().enumerate() {
            let c = check_pwd_2digit(input, Locale::Ko);
            assert_eq!(c.is_valid, valid, "row {row}");
            assert_eq!(c.is_potentially_valid, potential, "row {row}");
            assert_eq!(c.error.as_ref().map(|e| e.code), code, "row {row}");
        }
        assert_eq!(
            check_pwd_2digit("07", Locale::Ko).value.as_deref(),
            Some("07")
        );
    }

    #[test]
    fn debug_hides_digits() {
        let c = check_pwd_2digit("47", Locale::Ko);
        assert!(!format!("{c:?}").contains("47"));
    }
}
