//! Every card field as the user types: digits kept, separators put where they
//! belong, the caret kept beside the same digit, and a separator deleted with
//! the digit next to it. `<keyin-card-form>` calls this from its `input`
//! events (never `keydown`: Android keyboards send none for text), so the same
//! rules hold for typing, IME composition, paste, autofill and drag and drop.

use core::fmt;

use serde::Serialize;

use super::number;
use crate::prelude::*;

/// A field of the key-in form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputField {
    /// 카드번호: grouped by brand with spaces.
    CardNumber,
    /// 유효기간: `MM/YY` (a first digit 2–9 is a month: `4` → `04`).
    Expiry,
    /// 생년월일: 6 digits.
    Birth,
    /// 사업자등록번호: `000-00-00000`.
    Business,
    /// 비밀번호 앞 2자리.
    Pwd2Digit,
}

impl InputField {
    /// From the wire name (`business` for a corporate card's birth field).
    pub fn parse(name: &str) -> Option<InputField> {
        Some(match name {
            "card_number" => InputField::CardNumber,
            "expiry" => InputField::Expiry,
            "birth" => InputField::Birth,
            "business" => InputField::Business,
            "pwd_2digit" => InputField::Pwd2Digit,
            _ => return None,
        })
    }

    /// The most digits it holds, and where its separators go (before digit i).
    fn layout(self) -> (usize, &'static [usize], char) {
        match self {
            InputField::CardNumber => (number::MAX_DIGITS, &[], ' '),
            InputField::Expiry => (4, &[2], '/'),
            InputField::Birth => (6, &[], ' '),
            InputField::Business => (10, &[3, 5], '-'),
            InputField::Pwd2Digit => (2, &[], ' '),
        }
    }
}

/// What the edit was, from the `input` event's `inputType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// Anything but a one-character deletion.
    Other,
    /// `deleteContentBackward` (Backspace).
    DeleteBackward,
    /// `deleteContentForward` (Delete).
    DeleteForward,
}

impl Edit {
    /// From `InputEvent.inputType`.
    pub fn of(input_type: &str) -> Edit {
        match input_type {
            "deleteContentBackward" => Edit::DeleteBackward,
            "deleteContentForward" => Edit::DeleteForward,
            _ => Edit::Other,
        }
    }
}

/// The field after an edit.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct FieldInput {
    /// The new value.
    pub value: String,
    /// The caret, in UTF-16 code units (`selectionStart`).
    pub caret: usize,
    /// Every digit the field takes is there (the form moves on once it is also valid).
    pub complete: bool,
}

impl fmt::Debug for FieldInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FieldInput")
            .field("value", &"<redacted>")
            .field("caret", &self.caret)
            .field("complete", &self.complete)
            .finish()
    }
}

/// Reads the ASCII digits of `s` into `buf`, as many as it holds; answers how many it
/// read, and how many of those lie before UTF-16 offset `caret`. The one reader of a
/// field's digits and caret, for every formatter.
pub(crate) fn read_digits(s: &str, caret: usize, buf: &mut [u8]) -> (usize, usize) {
    let (mut len, mut before, mut pos16) = (0, 0, 0);
    for b in s.bytes() {
        if let (b'0'..=b'9', Some(slot)) = (b, buf.get_mut(len)) {
            *slot = b;
            len += 1;
            if pos16 < caret {
                before += 1;
            }
        }
        pos16 += super::unicode::utf16_units(b);
    }
    (len, before)
}

/// At most this many digits are read from a field.
const MAX_READ: usize = 24;

/// The ASCII digits of a field (at most [`MAX_READ`]).
#[derive(PartialEq, Eq)]
struct Digits {
    buf: [u8; MAX_READ],
    len: usize,
}

impl Digits {
    /// The digits of `s`, and how many lie before UTF-16 offset `caret`.
    fn of(s: &str, caret: usize) -> (Digits, usize) {
        let mut buf = [0; MAX_READ];
        let (len, before) = read_digits(s, caret, &mut buf);
        (Digits { buf, len }, before)
    }

    /// Removes the digit at `i` (nothing if there is none).
    fn remove(&mut self, i: usize) {
        if i >= self.len {
            return;
        }
        let mut kept = [0; MAX_READ];
        let rest = self.digits().iter().enumerate().filter(|&(k, _)| k != i);
        for (slot, (_, &d)) in kept.iter_mut().zip(rest) {
            *slot = d;
        }
        self.buf = kept;
        self.len -= 1;
    }

    fn digits(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }
}

/// Formats `value` after an edit. `previous` is the value before it: when the
/// edit removed only a separator (Backspace just after one, Delete just before
/// one), the digit beside it goes too, so the key never seems stuck.
pub fn format_field_input(
    field: InputField,
    value: &str,
    caret: usize,
    previous: Option<&str>,
    edit: Edit,
) -> FieldInput {
    let (mut digits, mut k) = Digits::of(value, caret);
    let separator_only =
        edit != Edit::Other && previous.is_some_and(|p| p != value && Digits::of(p, 0).0 == digits);
    if separator_only {
        match edit {
            Edit::DeleteBackward if k > 0 => {
                digits.remove(k - 1);
                k -= 1;
            }
            Edit::DeleteForward if k < digits.len => digits.remove(k),
            _ => {}
        }
    }
    let mut text = String::with_capacity(MAX_READ + 1);
    // A first digit 2-9 in an expiry is a month: 4 → 04.
    if field == InputField::Expiry && matches!(digits.digits().first(), Some(b'2'..=b'9')) {
        text.push('0');
        if k > 0 {
            k += 1;
        }
    }
    let (max, gaps, sep) = field.layout();
    for &d in digits.digits() {
        if text.len() < max {
            text.push(char::from(d));
        }
    }
    let n = text.len();
    let k = k.min(n);
    if field == InputField::CardNumber {
        let f = number::format_card_number_input(&text, k);
        return FieldInput {
            value: f.value,
            caret: f.caret,
            complete: number::is_complete_number(&text),
        };
    }
    let mut out = String::with_capacity(n + gaps.len());
    for (i, b) in text.bytes().enumerate() {
        if gaps.contains(&i) {
            out.push(sep);
        }
        out.push(char::from(b));
    }
    FieldInput {
        value: out,
        caret: k + gaps.iter().filter(|&&g| g < k).count(),
        complete: n == max,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs an edit: `before` and `after` hold the caret as `|`.
    fn edit(field: InputField, previous: &str, after: &str, input_type: &str) -> String {
        let caret = after.find('|').unwrap();
        let value = after.replace('|', "");
        let prev = previous.replace('|', "");
        let r = format_field_input(field, &value, caret, Some(&prev), Edit::of(input_type));
        let mut s = r.value.clone();
        s.insert(r.caret, '|');
        s
    }

    fn typed(field: InputField, after: &str) -> String {
        edit(field, "", after, "insertText")
    }

    #[test]
    fn each_field_is_laid_out_with_the_caret_beside_the_same_digit() {
        use InputField::*;
        assert_eq!(typed(CardNumber, "41111|"), "4111 1|");
        assert_eq!(
            typed(CardNumber, "4111-1111-1111-1111|"),
            "4111 1111 1111 1111|"
        );
        assert_eq!(
            typed(CardNumber, " 4111 1111 1111 1111 |"),
            "4111 1111 1111 1111|"
        );
        assert_eq!(typed(CardNumber, "37828224631|0005"), "3782 822463 1|0005");
        assert_eq!(typed(Expiry, "1|"), "1|");
        assert_eq!(typed(Expiry, "12|"), "12|");
        assert_eq!(typed(Expiry, "123|"), "12/3|");
        assert_eq!(typed(Expiry, "1230|"), "12/30|");
        assert_eq!(typed(Expiry, "12/305|"), "12/30|");
        assert_eq!(typed(Expiry, "4|"), "04|");
        assert_eq!(typed(Expiry, "|4"), "|04");
        assert_eq!(typed(Expiry, "12 / 28|"), "12/28|");
        assert_eq!(typed(Business, "1168200276|"), "116-82-00276|");
        assert_eq!(typed(Business, "116|8"), "116|-8");
        assert_eq!(typed(Business, "1168|"), "116-8|");
        assert_eq!(typed(Birth, "8202131|"), "820213|");
        assert_eq!(typed(Pwd2Digit, "1a2b3|"), "12|");
        assert_eq!(
            typed(CardNumber, "４１１１|"),
            "|",
            "full-width digits are not ASCII digits"
        );
    }

    #[test]
    fn backspace_just_after_a_separator_deletes_the_digit_before_it() {
        use InputField::*;
        const B: &str = "deleteContentBackward";
        const F: &str = "deleteContentForward";
        // (field, before the edit, as the browser left it, the event, after formatting)
        let cases = [
            // Backspace removed only a space: the digit before it goes too.
            (CardNumber, "4111 |1", "4111|1", B, "411|1"),
            (CardNumber, "4111 1|", "4111 |", B, "4111|"),
            (CardNumber, "4111 |1111", "4111|1111", B, "411|1 111"),
            (Expiry, "12/|3", "12|3", B, "1|3"),
            (Business, "116-|82", "116|82", B, "11|8-2"),
            // Delete just before a separator removes the digit after it.
            (CardNumber, "4111| 2222", "4111|2222", F, "4111| 222"),
            (Expiry, "12|/34", "12|34", F, "12|/4"),
            // A deleted digit is just deleted.
            (CardNumber, "4111 2|", "4111 |", B, "4111|"),
            (Expiry, "12/3|", "12/|", B, "12|"),
            // Not a deletion: a separator typed by hand is dropped, nothing else.
            (CardNumber, "4111|", "4111 |", "insertText", "4111|"),
            // At the start there is nothing before it.
            (Business, "|116", "|116", B, "|116"),
        ];
        for (field, before, after, input_type, want) in cases {
            assert_eq!(
                edit(field, before, after, input_type),
                want,
                "{before} → {after}"
            );
        }
    }

    #[test]
    fn complete_means_every_digit_the_field_takes() {
        use InputField::*;
        let c = |f, v: &str| format_field_input(f, v, v.len(), None, Edit::Other).complete;
        assert!(c(CardNumber, "4111111111111111"));
        assert!(
            !c(CardNumber, "4111111111111112"),
            "not valid: not complete"
        );
        assert!(!c(CardNumber, "411111111111"));
        assert!(c(CardNumber, "378282246310005"), "amex: 15");
        // A 14-digit Diners number may go on to 16: not complete yet.
        assert!(!c(CardNumber, "30569309025904"));
        assert!(c(Expiry, "1230") && !c(Expiry, "123"));
        assert!(c(Birth, "820213") && !c(Birth, "82021"));
        assert!(c(Business, "1168200276") && !c(Business, "116820027"));
        assert!(c(Pwd2Digit, "12") && !c(Pwd2Digit, "1"));
    }

    #[test]
    fn any_input_is_formatted_without_a_panic() {
        let fields = [
            InputField::CardNumber,
            InputField::Expiry,
            InputField::Birth,
            InputField::Business,
            InputField::Pwd2Digit,
        ];
        let inputs = [
            "",
            "😀1😀2",
            "1".repeat(100).as_str().to_owned().leak(),
            "\u{0}9/9-9 9",
            "１２",
        ];
        for f in fields {
            for v in inputs {
                for caret in [0, 1, 3, 1000] {
                    for e in [
                        "insertText",
                        "deleteContentBackward",
                        "deleteContentForward",
                        "",
                    ] {
                        let r = format_field_input(f, v, caret, Some("1 2/3-4"), Edit::of(e));
                        assert!(r.caret <= r.value.encode_utf16().count());
                        assert!(r
                            .value
                            .bytes()
                            .all(|b| b.is_ascii_digit() || b" /-".contains(&b)));
                        let dbg = format!("{r:?}");
                        assert!(
                            r.value.is_empty() || !dbg.contains(&r.value),
                            "Debug is redacted"
                        );
                    }
                }
            }
        }
    }
}
