//! The `birth` field: a 6-digit birth date (`YYMMDD`, personal cards) or a
//! 10-digit business registration number (corporate cards).

use core::fmt;

use serde::Serialize;

use super::date::Date;
use crate::error::{ErrorCode, FieldError, Locale};
use crate::prelude::*;

/// Which of the two the birth field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BirthKind {
    /// A personal card: `YYMMDD`.
    Personal,
    /// A corporate card: the 10-digit business registration number.
    Business,
}

impl BirthKind {
    /// The name JS uses: `"personal"` or `"business"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            BirthKind::Personal => "personal",
            BirthKind::Business => "business",
        }
    }

    /// Parses `"personal"` or `"business"`.
    pub fn parse(s: &str) -> Option<BirthKind> {
        match s {
            "personal" => Some(BirthKind::Personal),
            "business" => Some(BirthKind::Business),
            _ => None,
        }
    }
}

/// A valid birth value in wire form. Its `Debug` is redacted.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Birth {
    digits: [u8; 10],
    kind: BirthKind,
}

impl Birth {
    /// Which kind it is.
    pub fn kind(&self) -> BirthKind {
        self.kind
    }

    /// The wire form: 6 or 10 digits, no dashes.
    pub fn wire(&self) -> &str {
        core::str::from_utf8(self.wire_bytes()).unwrap_or("")
    }

    /// The wire form as a `String` (no UTF-8 validation: its digits are ASCII).
    pub(crate) fn wire_string(&self) -> String {
        super::unicode::ascii_string(self.wire_bytes())
    }

    /// The wire form's ASCII digits.
    fn wire_bytes(&self) -> &[u8] {
        let n = match self.kind {
            BirthKind::Personal => 6,
            BirthKind::Business => 10,
        };
        self.digits.get(..n).unwrap_or_default()
    }
}

impl fmt::Debug for Birth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Birth({:?}, <redacted>)", self.kind)
    }
}

/// The result of [`check_birth`]. Its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BirthCheck {
    /// A real birth date not in the future, or a business number with a good check digit.
    pub is_valid: bool,
    /// Valid, or could become valid by typing more.
    pub is_potentially_valid: bool,
    /// Why it is not valid.
    pub error: Option<FieldError>,
    /// Which kind the value is (when valid).
    pub kind: Option<BirthKind>,
    /// The wire form (digits only) when valid.
    pub value: Option<String>,
}

impl fmt::Debug for BirthCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BirthCheck")
            .field("is_valid", &self.is_valid)
            .field("is_potentially_valid", &self.is_potentially_valid)
            .field("error", &self.error)
            .field("kind", &self.kind)
            .field("value", &self.value.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// The National Tax Service check digit of a business registration number.
pub fn business_number_ok(d: &[u8; 10]) -> bool {
    const W: [u32; 9] = [1, 3, 7, 1, 3, 7, 1, 3, 5];
    let v = |c: u8| u32::from(c - b'0');
    let [.., d8, d9] = *d;
    let mut sum: u32 = d.iter().zip(W).map(|(&c, w)| v(c) * w).sum();
    sum += v(d8) * 5 / 10;
    (10 - sum % 10) % 10 == v(d9)
}

/// The real date of `YYMMDD`, in the latest century that does not put it after `today`.
fn birth_date(&[y0, y1, m0, m1, d0, d1]: &[u8; 6], today: Date) -> Option<Date> {
    let two = |a: u8, b: u8| u32::from(a - b'0') * 10 + u32::from(b - b'0');
    let (yy, mm, dd) = (two(y0, y1) as i32, two(m0, m1) as u8, two(d0, d1) as u8);
    let century = today.year - today.year.rem_euclid(100);
    [century + yy, century - 100 + yy]
        .into_iter()
        .filter_map(|y| Date::new(y, mm, dd))
        .find(|date| *date <= today)
}

/// Whether a prefix of `YYMMDD` could still become a real date.
fn date_prefix_ok(d: &[u8]) -> bool {
    let at = |i: usize| d.get(i).map(|c| c - b'0');
    match (at(2), at(3), at(4)) {
        (Some(m1), _, _) if m1 > 1 => false,
        (Some(m1), Some(m2), day1) => {
            (1..=12).contains(&(m1 * 10 + m2)) && day1.is_none_or(|x| x <= 3)
        }
        _ => true,
    }
}

/// Reads up to 11 digits, allowing dashes; `None` on any other character.
fn read(input: &str) -> Option<([u8; 11], usize)> {
    let mut buf = [0u8; 11];
    let mut n = 0;
    for &b in super::unicode::trim_bytes(input.as_bytes()) {
        match b {
            b'0'..=b'9' => {
                let Some(slot) = buf.get_mut(n) else {
                    return Some((buf, n));
                };
                *slot = b;
                n += 1;
            }
            b'-' => {}
            _ => return None,
        }
    }
    Some((buf, n))
}

/// Judges a birth value. `expect` restricts it to one kind.
///
/// # Errors
/// `(code, potentially_valid)`.
pub fn parse_birth(
    input: &str,
    expect: Option<BirthKind>,
    today: Date,
) -> Result<Birth, (ErrorCode, bool)> {
    let Some((buf, n)) = read(input) else {
        return Err((ErrorCode::BirthInvalidFormat, false));
    };
    let d = buf.get(..n).unwrap_or_default();
    let personal_ok = expect != Some(BirthKind::Business);
    let business_ok = expect != Some(BirthKind::Personal);
    match n {
        0 => Err((ErrorCode::Required, true)),
        1..=5 => {
            let potential = business_ok || date_prefix_ok(d);
            Err(if potential {
                (ErrorCode::Incomplete, true)
            } else {
                (ErrorCode::BirthInvalidDate, false)
            })
        }
        6 if personal_ok => match d.first_chunk::<6>() {
            Some(six) if birth_date(six, today).is_some() => {
                let [a, b, c, d, e, f] = *six;
                Ok(Birth {
                    digits: [a, b, c, d, e, f, b'0', b'0', b'0', b'0'],
                    kind: BirthKind::Personal,
                })
            }
            // Not a date, but may still be the start of a business number.
            _ => Err((ErrorCode::BirthInvalidDate, business_ok)),
        },
        6..=9 if business_ok => Err((ErrorCode::Incomplete, true)),
        10 if business_ok => match d.first_chunk::<10>() {
            Some(&digits) if business_number_ok(&digits) => Ok(Birth {
                digits,
                kind: BirthKind::Business,
            }),
            _ => Err((ErrorCode::BusinessNumberChecksum, false)),
        },
        6..=10 => Err((ErrorCode::BirthKindMismatch, false)),
        _ => Err((ErrorCode::BirthInvalidFormat, false)),
    }
}

impl BirthCheck {
    /// A result for input that could not be read at all (a wrong type, a bad option).
    pub fn rejected(error: FieldError) -> Self {
        BirthCheck {
            is_valid: false,
            is_potentially_valid: false,
            error: Some(error),
            kind: None,
            value: None,
        }
    }
}

/// Checks the birth field.
///
/// With `expect = None` both kinds are accepted and `kind` tells which it is.
///
/// # Example
/// ```
/// use iamport_keyin::card::{birth::{check_birth, BirthKind}, date::Date};
/// use iamport_keyin::Locale;
/// let today = Date::new(2026, 11, 28).unwrap();
/// assert_eq!(check_birth("820213", None, today, Locale::Ko).kind, Some(BirthKind::Personal));
/// assert_eq!(check_birth("116-82-00276", None, today, Locale::Ko).kind, Some(BirthKind::Business));
/// ```
pub fn check_birth(
    input: &str,
    expect: Option<BirthKind>,
    today: Date,
    locale: Locale,
) -> BirthCheck {
    match parse_birth(input, expect, today) {
        Ok(b) => BirthCheck {
            is_valid: true,
            is_potentially_valid: true,
            error: None,
            kind: Some(b.kind),
            value: Some(b.wire_string()),
        },
        Err((code, potential)) => BirthCheck {
            is_valid: false,
            is_potentially_valid: potential,
            error: Some(FieldError::new("birth", code, locale)),
            kind: None,
            value: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date {
        year: 2026,
        month: 11,
        day: 28,
    };

    fn check(s: &str) -> BirthCheck {
        check_birth(s, None, TODAY, Locale::En)
    }

    #[test]
    fn valid() {
        let table: &[(&str, BirthKind, &str)] = &[
            ("820213", BirthKind::Personal, "820213"),
            ("000229", BirthKind::Personal, "000229"), // 2000 is a leap year
            ("960229", BirthKind::Personal, "960229"), // 1996
            ("261128", BirthKind::Personal, "261128"), // today
            ("261129", BirthKind::Personal, "261129"), // tomorrow → 1926
            ("116-82-00276", BirthKind::Business, "1168200276"),
            ("1348672683", BirthKind::Business, "1348672683"),
            (" 134-86-72683 ", BirthKind::Business, "1348672683"),
        ];
        for (row, &(input, kind, wire)) in table.iter().enumerate() {
            let c = check(input);
            // The row, not the input: no message shows a birth value.
            assert!(c.is_valid, "row {row}: {c:?}");
            assert_eq!(c.kind, Some(kind));
            assert_eq!(c.value.as_deref(), Some(wire));
        }
    }

    #[test]
    fn century_and_future() {
        assert_eq!(birth_date(b"261129", TODAY), Date::new(1926, 11, 29));
        assert_eq!(birth_date(b"261128", TODAY), Date::new(2026, 11, 28));
        assert_eq!(birth_date(b"820213", TODAY), Date::new(1982, 2, 13));
        // 29 Feb only in leap years: 2001 and 1901 are not.
        assert_eq!(birth_date(b"010229", TODAY), None);
    }

    #[test]
    fn potentially_valid() {
        for input in [
            "",
            "8",
            "82",
            "8202",
            "82021",
            "8202131",
            "116-82-0027",
            "116-",
        ] {
            let c = check(input);
            assert!(!c.is_valid && c.is_potentially_valid, "{input:?}: {c:?}");
        }
        // A 6-digit non-date may still become a business number…
        assert!(check("116820").is_potentially_valid);
        // …but not when only personal is expected.
        let c = check_birth("116820", Some(BirthKind::Personal), TODAY, Locale::En);
        assert!(!c.is_potentially_valid);
        assert_eq!(c.error.unwrap().code, ErrorCode::BirthInvalidDate);
        let c = check_birth("8213", Some(BirthKind::Personal), TODAY, Locale::En);
        assert!(!c.is_potentially_valid);
    }

    #[test]
    fn invalid() {
        let table: &[(&str, Option<BirthKind>, ErrorCode)] = &[
            (
                "010229",
                Some(BirthKind::Personal),
                ErrorCode::BirthInvalidDate,
            ),
            (
                "821302",
                Some(BirthKind::Personal),
                ErrorCode::BirthInvalidDate,
            ),
            (
                "820230",
                Some(BirthKind::Personal),
                ErrorCode::BirthInvalidDate,
            ),
            (
                "820200",
                Some(BirthKind::Personal),
                ErrorCode::BirthInvalidDate,
            ),
            ("116-82-00277", None, ErrorCode::BusinessNumberChecksum),
            ("11682002761", None, ErrorCode::BirthInvalidFormat),
            ("82/02/13", None, ErrorCode::BirthInvalidFormat),
            ("82 02 13", None, ErrorCode::BirthInvalidFormat),
            ("８２０２１３", None, ErrorCode::BirthInvalidFormat),
            (
                "1168200276",
                Some(BirthKind::Personal),
                ErrorCode::BirthKindMismatch,
            ),
            (
                "8202131",
                Some(BirthKind::Personal),
                ErrorCode::BirthKindMismatch,
            ),
        ];
        for &(input, expect, code) in table {
            let c = check_birth(input, expect, TODAY, Locale::En);
            assert!(!c.is_valid && !c.is_potentially_valid, "{input:?}: {c:?}");
            assert_eq!(c.error.unwrap().code, code, "{input:?}");
        }
        // Business mode: 6 digits is just incomplete.
        let c = check_birth("820213", Some(BirthKind::Business), TODAY, Locale::En);
        assert!(!c.is_valid && c.is_potentially_valid);
    }

    #[test]
    fn checksum_examples() {
        assert!(business_number_ok(b"1168200276"));
        assert!(business_number_ok(b"1348672683"));
        for last in b'0'..=b'9' {
            let mut d = *b"1168200270";
            d[9] = last;
            assert_eq!(business_number_ok(&d), last == b'6');
        }
    }

    #[test]
    fn debug_redacts() {
        for input in ["820213", "116-82-00276"] {
            let c = check(input);
            let dbg = format!("{c:?}");
            assert!(
                !dbg.contains("820213") && !dbg.contains("1168200276"),
                "{dbg}"
            );
            let b = parse_birth(input, None, TODAY).unwrap();
            assert!(!format!("{b:?}").contains(&input[..6]));
        }
    }
}
