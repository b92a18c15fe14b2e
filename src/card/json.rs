//! The field checks' results as JSON text, written by hand: what the checks hand
//! to JS (`JSON.parse` there), in both wasm builds. The same text as serde's derives
//! of these types write (a native test compares the two on every kind of result),
//! without serde's generic serializer, which cost the checks-only wasm about 5 KB.

use super::birth::{BirthCheck, BirthKind};
use super::expiry::ExpiryCheck;
use super::input::FieldInput;
use super::number::{Brand, CardNumberCheck, FormattedInput};
use super::pwd::Pwd2DigitCheck;
use super::CardCheck;
use crate::error::{push_int, ErrorCode, FieldError};
use crate::prelude::*;

/// Appends `s` as a JSON string, quoted and escaped (U+2028 and U+2029 too, as JS
/// source would need).
pub(crate) fn push_str_escaped(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                let v = c as u32;
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(HEX[((v >> shift) & 15) as usize] as char);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A value that writes itself as JSON text.
pub(crate) trait ToJson {
    /// Appends the JSON text of `self` to `out`.
    fn write_json(&self, out: &mut String);
}

/// The JSON text of `v`.
pub(crate) fn to_json<T: ToJson + ?Sized>(v: &T) -> String {
    let mut out = String::with_capacity(128);
    v.write_json(&mut out);
    out
}

/// Writes an object with these members, in this order (the keys are plain names:
/// no escaping).
fn object(out: &mut String, members: &[(&str, &dyn ToJson)]) {
    out.push('{');
    for (i, (key, value)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(key);
        out.push_str("\":");
        value.write_json(out);
    }
    out.push('}');
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl ToJson for u32 {
    fn write_json(&self, out: &mut String) {
        push_int(out, u64::from(*self));
    }
}

impl ToJson for usize {
    fn write_json(&self, out: &mut String) {
        push_int(out, *self as u64);
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        push_str_escaped(out, self);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        push_str_escaped(out, self);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(v) => v.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            v.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

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
        object(
            out,
            &[
                ("field", &self.field),
                ("code", &self.code),
                ("message", &self.message),
            ],
        );
    }
}

impl ToJson for CardNumberCheck {
    fn write_json(&self, out: &mut String) {
        object(
            out,
            &[
                ("isValid", &self.is_valid),
                ("isPotentiallyValid", &self.is_potentially_valid),
                ("error", &self.error),
                ("digits", &self.digits),
                ("formatted", &self.formatted),
                ("masked", &self.masked),
                ("brand", &self.brand),
                ("possibleBrands", &self.possible_brands),
            ],
        );
    }
}

impl ToJson for ExpiryCheck {
    fn write_json(&self, out: &mut String) {
        object(
            out,
            &[
                ("isValid", &self.is_valid),
                ("isPotentiallyValid", &self.is_potentially_valid),
                ("error", &self.error),
                ("value", &self.value),
            ],
        );
    }
}

impl ToJson for BirthCheck {
    fn write_json(&self, out: &mut String) {
        object(
            out,
            &[
                ("isValid", &self.is_valid),
                ("isPotentiallyValid", &self.is_potentially_valid),
                ("error", &self.error),
                ("kind", &self.kind),
                ("value", &self.value),
            ],
        );
    }
}

impl ToJson for Pwd2DigitCheck {
    fn write_json(&self, out: &mut String) {
        object(
            out,
            &[
                ("isValid", &self.is_valid),
                ("isPotentiallyValid", &self.is_potentially_valid),
                ("error", &self.error),
                ("value", &self.value),
            ],
        );
    }
}

impl ToJson for CardCheck {
    fn write_json(&self, out: &mut String) {
        object(
            out,
            &[("isValid", &self.is_valid), ("errors", &self.errors)],
        );
    }
}

impl ToJson for FormattedInput {
    fn write_json(&self, out: &mut String) {
        object(out, &[("value", &self.value), ("caret", &self.caret)]);
    }
}

impl ToJson for FieldInput {
    fn write_json(&self, out: &mut String) {
        object(
            out,
            &[
                ("value", &self.value),
                ("caret", &self.caret),
                ("complete", &self.complete),
            ],
        );
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
    use serde::Serialize;

    /// The hand-written text is what serde's derives wrote through `json_out` (the
    /// checks' JSON until this module), byte for byte.
    #[track_caller]
    fn same<T: ToJson + Serialize + ?Sized>(v: &T) {
        let ours = to_json(v);
        let serde = crate::json_out::to_string(v).expect("serialisable");
        // Not `assert_eq!` on the texts: they may hold card digits.
        assert!(ours == serde, "hand-written JSON differs from serde's");
        assert!(
            serde_json::from_str::<serde_json::Value>(&ours).is_ok(),
            "not JSON"
        );
    }

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
    fn plain_values_write_what_serde_writes() {
        same(&true);
        same(&false);
        same(&0u32);
        same(&u32::MAX);
        same(&usize::MAX);
        same("\"\\\u{0}\u{1f}\u{7f}é\u{2028}\u{2029}");
        same(&None::<String>);
        same(&Some("x".to_owned()));
        same(&Vec::<Brand>::new());
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
