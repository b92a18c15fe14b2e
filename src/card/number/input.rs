//! The card-number field as the user types: digits kept, grouped, and the
//! caret kept beside the same digit.

use core::fmt;

use serde::Serialize;

use super::*;

/// The result of [`format_card_number_input`].
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct FormattedInput {
    /// The new field value: digits grouped with spaces.
    pub value: String,
    /// The new caret position, in UTF-16 code units (what JS `selectionStart` uses).
    pub caret: usize,
}

impl fmt::Debug for FormattedInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FormattedInput")
            .field("value", &"<redacted>")
            .field("caret", &self.caret)
            .finish()
    }
}

/// Reformats a card-number field as the user types, keeping the caret beside
/// the same digit.
///
/// `caret` is the field's `selectionStart` in UTF-16 code units; values past the
/// end are clamped. Characters other than ASCII digits are dropped (this is an
/// input filter; [`check_card_number`] is what judges), digits beyond the
/// brand's longest length are dropped, and the digits are grouped with spaces
/// in Iamport's grouping.
pub fn format_card_number_input(value: &str, caret: usize) -> FormattedInput {
    let mut buf = [0; MAX_DIGITS];
    let (len, before_caret) = crate::card::input::read_digits(value, caret, &mut buf);
    let mut digits = CardDigits {
        buf,
        len: len as u8,
    };
    let set = possible_set(digits.as_bytes());
    let brand = only_brand(set);
    let max = Brand::ALL
        .into_iter()
        .filter(|b| set & (1 << *b as usize) != 0)
        .map(Brand::max_length)
        .max()
        .unwrap_or(MAX_DIGITS);
    digits.len = digits.len.min(max as u8);
    let n = digits.len();
    let keep = before_caret.min(n);
    let value = group(digits.as_bytes(), brand, b' ');
    let caret = if keep == 0 {
        0
    } else {
        // Index just after the keep-th digit: digits plus the separators before it.
        let gaps = gaps(brand, n);
        keep + gaps.iter().filter(|&&g| g < keep).count()
    };
    FormattedInput { value, caret }
}

/// Whether a number (ASCII digits) is valid and as long as a number gets: 16
/// digits, or its brand's longest (15 for Amex, 14 for a 14-digit Diners).
pub fn is_complete_number(digits: &str) -> bool {
    let n = digits.len();
    if !is_valid_card_number(digits) {
        return false;
    }
    n == 16 || card_brand(digits).is_some_and(|b| b.max_length() == n)
}
