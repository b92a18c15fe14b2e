//! The field checks' results as JSON text (`crate::json`): what the checks hand to JS
//! in both wasm builds. A native test compares it with serde's on every kind of result.

use super::birth::{BirthCheck, BirthKind};
use super::expiry::ExpiryCheck;
use super::input::FieldInput;
use super::number::{Brand, CardNumberCheck, FormattedInput};
use super::pwd::Pwd2DigitCheck;
use super::CardCheck;
use crate::error::{ErrorCode, FieldError};
use crate::json::{Object, ToJson};
use crate::prelude::*;

impl ToJson for Brand {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

impl ToJson for BirthKind {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

impl ToJson for ErrorCode {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

impl ToJson for FieldError {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .member("field", &self.field)
            .member("code", &self.code)
            .member("message", &self.message)
            .end();
    }
}

impl ToJson for CardNumberCheck {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .member("isValid", &self.is_valid)
            .member("isPotentiallyValid", &self.is_potentially_valid)
            .member("error", &self.error)
            .member("digits", &self.digits)
            .member("formatted", &self.formatted)
            .member("masked", &self.masked)
            .member("brand", &self.brand)
            .member("possibleBrands", &self.possible_brands)
            .end();
    }
}

impl ToJson for ExpiryCheck {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .member("isValid", &self.is_valid)
            .member("isPotentiallyValid", &self.is_potentially_valid)
            .member("error", &self.error)
            .member("value", &self.value)
            .end();
    }
}

impl ToJson for BirthCheck {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .member("isValid", &self.is_valid)
            .member("isPotentiallyValid", &self.is_potentially_valid)
            .member("error", &self.error)
            .member("kind", &self.kind)
            .member("value", &self.value)
            .end();
    }
}

impl ToJson for Pwd2DigitCheck {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .member("isValid", &self.is_valid)
            .member("isPotentiallyValid", &self.is_potentially_valid)
            .member("error", &self.error)
            .member("value", &self.value)
            .end();
    }
}

impl ToJson for CardCheck {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .member("isValid", &self.is_valid)
            .member("errors", &self.errors)
            .end();
    }
}

impl ToJson for FormattedInput {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .member("value", &self.value)
            .member("caret", &self.caret)
            .end();
    }
}

impl ToJson for FieldInput {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .member("value", &self.value)
            .member("caret", &self.caret)
            .member("complete", &self.complete)
            .end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::birth::check_birth;
    use crate::card::date::Date;
    use crate::card::expiry::check_expiry;
    use crate::card::input::{format_field_input, Edit, InputField};
    use crate::card::number::{check_card_number, format_card_number_input};
    use crate::card::pwd::check_pwd_2digit;
    use crate::card::{check_card, CardFields, Field};
    use crate::error::Locale;
    use crate::json::tests::assert_same as same;

    /// Inputs of every shape: empty, partial, valid, too long, bad characters, separators,
    /// non-ASCII, and text that JSON must escape.
    fn inputs() -> Vec<String> {
        let mut v: Vec<String> = [
            "",
            " ",
            "4",
            "41",
            "4111",
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "4111111111111112",
            "378282246310005",
            "3782 822463 10005",
            "36227206271667",
            "6250941006528599",
            "9410123412341234",
            "41111111111111111111111",
            "4111a1111",
            "4111\u{2028}1111\"\\\n\t\u{1}",
            "카드 4111",
            "12/30",
            "1230",
            "2030-12",
            "13/30",
            "01/20",
            "0",
            "9001011",
            "900101",
            "000229",
            "1234567890",
            "123-45-67891",
            "00",
            "1",
            "ab",
            "12",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        // Every prefix of a long, separated number.
        let long = "5555-5555-5555-4444-1";
        v.extend((0..=long.len()).map(|i| long[..i].to_owned()));
        v
    }

    #[test]
    fn each_check_writes_what_serde_writes() {
        let today = Date::new(2026, 12, 6).expect("a date");
        for locale in [Locale::Ko, Locale::En] {
            for s in inputs() {
                same(&check_card_number(&s, locale));
                same(&check_expiry(&s, today, locale));
                for kind in [None, Some(BirthKind::Personal), Some(BirthKind::Business)] {
                    same(&check_birth(&s, kind, today, locale));
                }
                same(&check_pwd_2digit(&s, locale));
                let n = s.encode_utf16().count();
                for caret in [0, n / 2, n] {
                    same(&format_card_number_input(&s, caret));
                    for field in ["card_number", "expiry", "birth", "business", "pwd_2digit"] {
                        let field = InputField::parse(field).expect("a field");
                        same(&format_field_input(
                            field,
                            &s,
                            caret,
                            Some("4111 1"),
                            Edit::Other,
                        ));
                    }
                }
                let fields = CardFields {
                    card_number: Field::Text(&s),
                    expiry: Field::Text(&s),
                    birth: if s.is_empty() {
                        Field::Missing
                    } else {
                        Field::Text(&s)
                    },
                    pwd_2digit: Field::WrongType,
                };
                same(&check_card(&fields, None, today, locale));
            }
        }
    }

    #[test]
    fn codes_and_errors_write_what_serde_writes() {
        same(&Brand::ALL.to_vec());
        same(&[BirthKind::Personal, BirthKind::Business][..]);
        same(&ErrorCode::ALL.to_vec());
        same(&FieldError::new(
            "options.today",
            ErrorCode::InvalidOption,
            Locale::En,
        ));
    }
}
