//! The card expiry: many loose forms in, Iamport's `YYYY-MM` out.
//!
//! Accepted: `MM/YY`, `MM/YYYY`, `M/YY`, `M/YYYY`, `MMYY`, `MM YY`, `MM / YY`,
//! `YYYY-MM`, `YYYYMM` and `MMYYYY`. The separators `/`, `-` and spaces may be
//! mixed. The current month is not expired; more than 240 months ahead is
//! invalid.

use serde::Serialize;

use super::date::Date;
use crate::error::{ErrorCode, FieldError, Locale};

/// How far ahead an expiry may be, in months.
pub const MAX_MONTHS_AHEAD: i64 = 20 * 12;

/// The result of [`check_expiry`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpiryCheck {
    /// A complete expiry that is neither expired nor too far ahead.
    pub is_valid: bool,
    /// Valid, or could still become valid by typing more.
    pub is_potentially_valid: bool,
    /// Why it is not valid.
    pub error: Option<FieldError>,
    /// `YYYY-MM` when valid.
    pub value: Option<String>,
}

/// A parsed expiry month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expiry {
    /// The four-digit year.
    pub year: i32,
    /// The month, 1–12.
    pub month: u8,
}

impl Expiry {
    /// Iamport's wire form, `YYYY-MM`.
    pub fn wire(self) -> String {
        let mut s = String::with_capacity(7);
        push_padded(&mut s, self.year as u32, 4);
        s.push('-');
        push_padded(&mut s, u32::from(self.month), 2);
        s
    }
}

/// Writes `v` zero-padded to `width` digits without pulling in `core::fmt`.
pub(crate) fn push_padded(out: &mut String, v: u32, width: usize) {
    let digits = v.checked_ilog10().map_or(1, |l| l as usize + 1);
    for _ in digits..width {
        out.push('0');
    }
    crate::error::push_int(out, u64::from(v));
}

/// Outcome of parsing, before it is dressed as a [`ExpiryCheck`].
enum Parse {
    Full(Expiry),
    /// Not valid as it stands (the code says why) but could still become valid.
    Partial(ErrorCode),
    Invalid(ErrorCode),
}

fn num(d: &[u8]) -> u32 {
    d.iter().fold(0, |a, &c| a * 10 + u32::from(c - b'0'))
}

/// The four-digit year of a two-digit one, in the century that keeps it within
/// 80 years behind `today`.
fn full_year(yy: u32, today: Date) -> i32 {
    let century = today.year - today.year.rem_euclid(100);
    let y = century + yy as i32;
    if y < today.year - 79 {
        y + 100
    } else {
        y
    }
}

impl ExpiryCheck {
    /// A result for input that could not be read at all (a wrong type, a bad option).
    pub fn rejected(error: FieldError) -> Self {
        ExpiryCheck {
            is_valid: false,
            is_potentially_valid: false,
            error: Some(error),
            value: None,
        }
    }
}

/// Checks a complete (year, month) against today and the 20-year horizon.
fn judge(year: i32, month: u32, today: Date) -> Result<Expiry, ErrorCode> {
    if !(1..=12).contains(&month) {
        return Err(ErrorCode::ExpiryInvalidMonth);
    }
    let e = Expiry {
        year,
        month: month as u8,
    };
    let idx = year as i64 * 12 + month as i64 - 1;
    let now = today.month_index();
    if idx < now {
        Err(ErrorCode::ExpiryExpired)
    } else if idx - now > MAX_MONTHS_AHEAD {
        Err(ErrorCode::ExpiryTooFar)
    } else {
        Ok(e)
    }
}

/// Whether some completion of a year prefix (and month, if known) is acceptable.
/// `width` is 2 or 4: the year's full digit count.
fn year_prefix(
    prefix: &[u8],
    width: u32,
    month: Option<u32>,
    today: Date,
) -> Result<(), ErrorCode> {
    let k = prefix.len() as u32;
    let scale = 10u32.pow(width - k);
    let lo = num(prefix) * scale;
    let mut saw_past = false;
    for v in lo..lo + scale {
        let year = if width == 2 {
            full_year(v, today)
        } else {
            v as i32
        };
        let months: &[u32] = match &month {
            Some(m) => core::slice::from_ref(m),
            None => &[12],
        };
        for &m in months {
            match judge(year, m, today) {
                Ok(_) => return Ok(()),
                Err(ErrorCode::ExpiryExpired) => saw_past = true,
                Err(_) => {}
            }
        }
    }
    Err(if saw_past {
        ErrorCode::ExpiryExpired
    } else {
        ErrorCode::ExpiryTooFar
    })
}

/// A month prefix of one or two digits, as the first field of `MM…`.
fn month_ok(d: &[u8], allow_single: bool) -> Result<Option<u32>, ErrorCode> {
    match d.len() {
        1 if allow_single => {
            let m = num(d);
            // "0" and "1" may continue; a lone 2–9 is M (only with a separator after).
            Ok((m >= 1).then_some(m))
        }
        1 => Ok(None),
        2 => {
            let m = num(d);
            if (1..=12).contains(&m) {
                Ok(Some(m))
            } else {
                Err(ErrorCode::ExpiryInvalidMonth)
            }
        }
        _ => Err(ErrorCode::ExpiryInvalidFormat),
    }
}

fn first_ok(a: Result<(), ErrorCode>, b: Result<(), ErrorCode>) -> Parse {
    match (a, b) {
        (Ok(()), _) | (_, Ok(())) => Parse::Partial(ErrorCode::Incomplete),
        (Err(e), _) => Parse::Invalid(e),
    }
}

/// One run of digits with no separator.
fn single(d: &[u8], today: Date) -> Parse {
    match d.len() {
        1 => Parse::Partial(ErrorCode::Incomplete),
        2 => {
            // MM, or the start of YYYY.
            let mm = month_ok(d, false).map(|_| ());
            first_ok(mm, year_prefix(d, 4, None, today))
        }
        3 => {
            let mmy = month_ok(&d[..2], false).and_then(|m| year_prefix(&d[2..], 2, m, today));
            first_ok(mmy, year_prefix(d, 4, None, today))
        }
        4 => match month_ok(&d[..2], false) {
            Ok(Some(m)) => full(full_year(num(&d[2..]), today), m, today),
            _ => match year_prefix(d, 4, None, today) {
                Ok(()) => Parse::Partial(ErrorCode::Incomplete),
                Err(ErrorCode::ExpiryTooFar | ErrorCode::ExpiryExpired) => {
                    Parse::Invalid(ErrorCode::ExpiryInvalidMonth)
                }
                Err(e) => Parse::Invalid(e),
            },
        },
        5 => {
            // YYYYM: the month's first digit must be 0 or 1.
            if d[4] > b'1' {
                return Parse::Invalid(ErrorCode::ExpiryInvalidMonth);
            }
            match year_prefix(&d[..4], 4, None, today) {
                Ok(()) => Parse::Partial(ErrorCode::Incomplete),
                Err(e) => Parse::Invalid(e),
            }
        }
        6 => {
            let yyyymm = num(&d[4..]);
            if d.starts_with(b"20") && (1..=12).contains(&yyyymm) {
                full(num(&d[..4]) as i32, yyyymm, today)
            } else {
                full(num(&d[2..]) as i32, num(&d[..2]), today)
            }
        }
        _ => Parse::Invalid(ErrorCode::ExpiryInvalidFormat),
    }
}

fn full(year: i32, month: u32, today: Date) -> Parse {
    match judge(year, month, today) {
        Ok(e) => Parse::Full(e),
        Err(code) => Parse::Invalid(code),
    }
}

fn parse(input: &str, today: Date) -> Parse {
    let s = input.trim();
    if s.is_empty() {
        return Parse::Invalid(ErrorCode::Required);
    }
    // Split into at most three digit groups; separators are `/`, `-`, spaces.
    let mut groups: [&[u8]; 3] = [&[]; 3];
    let mut count = 0usize;
    let mut trailing_sep = false;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if count == groups.len() {
                return Parse::Invalid(ErrorCode::ExpiryInvalidFormat);
            }
            groups[count] = &bytes[start..i];
            count += 1;
            trailing_sep = false;
        } else if matches!(b, b'/' | b'-' | b' ') {
            if count == 0 {
                return Parse::Invalid(ErrorCode::ExpiryInvalidFormat);
            }
            trailing_sep = true;
            i += 1;
        } else {
            return Parse::Invalid(ErrorCode::ExpiryInvalidFormat);
        }
    }
    match (count, trailing_sep) {
        (1, false) => single(groups[0], today),
        (1, true) => {
            let a = groups[0];
            match a.len() {
                1 | 2 => match month_ok(a, true) {
                    Ok(Some(_)) => Parse::Partial(ErrorCode::Incomplete),
                    Ok(None) => Parse::Invalid(ErrorCode::ExpiryInvalidMonth),
                    Err(e) => Parse::Invalid(e),
                },
                4 => match year_prefix(a, 4, None, today) {
                    Ok(()) => Parse::Partial(ErrorCode::Incomplete),
                    Err(e) => Parse::Invalid(e),
                },
                _ => Parse::Invalid(ErrorCode::ExpiryInvalidFormat),
            }
        }
        (2, false) => {
            let (a, b) = (groups[0], groups[1]);
            if a.len() == 4 {
                // YYYY-MM (a single month digit is still being typed).
                let year = num(a) as i32;
                match b.len() {
                    1 => match year_prefix(a, 4, None, today) {
                        Ok(()) => Parse::Partial(ErrorCode::Incomplete),
                        Err(e) => Parse::Invalid(e),
                    },
                    2 => full(year, num(b), today),
                    _ => Parse::Invalid(ErrorCode::ExpiryInvalidFormat),
                }
            } else {
                let m = match month_ok(a, true) {
                    Ok(Some(m)) => m,
                    Ok(None) => return Parse::Invalid(ErrorCode::ExpiryInvalidMonth),
                    Err(e) => return Parse::Invalid(e),
                };
                match b.len() {
                    2 => match full(full_year(num(b), today), m, today) {
                        // "12/20" is an expired MM/YY, but may still become "12/2030".
                        Parse::Invalid(
                            code @ (ErrorCode::ExpiryExpired | ErrorCode::ExpiryTooFar),
                        ) if year_prefix(b, 4, Some(m), today).is_ok() => Parse::Partial(code),
                        other => other,
                    },
                    4 => full(num(b) as i32, m, today),
                    1 => first_ok(
                        year_prefix(b, 2, Some(m), today),
                        year_prefix(b, 4, Some(m), today),
                    ),
                    3 => match year_prefix(b, 4, Some(m), today) {
                        Ok(()) => Parse::Partial(ErrorCode::Incomplete),
                        Err(e) => Parse::Invalid(e),
                    },
                    _ => Parse::Invalid(ErrorCode::ExpiryInvalidFormat),
                }
            }
        }
        _ => Parse::Invalid(ErrorCode::ExpiryInvalidFormat),
    }
}

/// Parses a complete expiry for a wire request.
///
/// # Errors
/// The error code when the input is not a complete, current expiry.
pub fn parse_expiry(input: &str, today: Date) -> Result<Expiry, ErrorCode> {
    match parse(input, today) {
        Parse::Full(e) => Ok(e),
        Parse::Partial(code) => Err(code),
        Parse::Invalid(code) => Err(code),
    }
}

/// Checks an expiry typed in any accepted form against `today`.
///
/// # Example
/// ```
/// use iamport_keyin::card::{date::Date, expiry::check_expiry};
/// use iamport_keyin::Locale;
/// let today = Date::new(2026, 11, 28).unwrap();
/// assert_eq!(check_expiry("12/28", today, Locale::Ko).value.as_deref(), Some("2028-12"));
/// assert!(check_expiry("11/26", today, Locale::Ko).is_valid); // this month
/// assert!(check_expiry("12/", today, Locale::Ko).is_potentially_valid);
/// ```
pub fn check_expiry(input: &str, today: Date, locale: Locale) -> ExpiryCheck {
    let (error, potential, value) = match parse(input, today) {
        Parse::Full(e) => (None, true, Some(e.wire())),
        Parse::Partial(code) => (Some(code), true, None),
        Parse::Invalid(code) => (Some(code), code == ErrorCode::Required, None),
    };
    ExpiryCheck {
        is_valid: error.is_none(),
        is_potentially_valid: potential,
        error: error.map(|c| FieldError::new("expiry", c, locale)),
        value,
    }
}

/// [`check_expiry`]'s verdict as one number, for the JS entry's fast path
/// (`pkg-template/facade.js` builds the result object; tests compare the two
/// paths). Layout, from bit 0: 0 `isValid`; 1 `isPotentiallyValid`; 2–8 error
/// (0 none, else the index in [`ErrorCode::ALL`] + 1); 9–12 the month and
/// 13–27 the year of `value` (`YYYY-MM`) when valid.
pub fn check_expiry_packed(input: &str, today: Date) -> u32 {
    let (error, potential, value) = match parse(input, today) {
        Parse::Full(e) => (None, true, Some(e)),
        Parse::Partial(code) => (Some(code), true, None),
        Parse::Invalid(code) => (Some(code), code == ErrorCode::Required, None),
    };
    let (month, year) = value.map_or((0, 0), |e| (u32::from(e.month), e.year as u32 & 0x7fff));
    u32::from(error.is_none())
        | u32::from(potential) << 1
        | error.map_or(0, |c| c.index() + 1) << 2
        | month << 9
        | year << 13
}

#[cfg(test)]
mod tests {
    /// The packed verdict decodes to exactly what `check_expiry` says.
    #[test]
    fn packed_agrees_with_the_full_check() {
        let today = Date::new(2026, 11, 28).unwrap();
        for input in [
            "",
            "1",
            "12/30",
            "13/30",
            "00/30",
            "11/26",
            "10/26",
            "12 / 2030",
            "2030-12",
            "12/46",
            "ab",
            "1/3",
        ] {
            let full = check_expiry(input, today, Locale::En);
            let p = check_expiry_packed(input, today);
            assert_eq!(p & 1 == 1, full.is_valid, "{input:?}");
            assert_eq!(p & 2 == 2, full.is_potentially_valid);
            let code = (p >> 2) & 0x7f;
            assert_eq!(
                code.checked_sub(1).map(|i| ErrorCode::ALL[i as usize]),
                full.error.map(|e| e.code)
            );
            let value = (p & 1 == 1).then(|| format!("{:04}-{:02}", p >> 13, (p >> 9) & 0xf));
            assert_eq!(value, full.value);
        }
    }

    use super::*;

    const TODAY: Date = Date {
        year: 2026,
        month: 11,
        day: 28,
    };

    fn check(s: &str) -> ExpiryCheck {
        check_expiry(s, TODAY, Locale::En)
    }

    #[test]
    fn valid_forms() {
        let table: &[(&str, &str)] = &[
            ("12/28", "2028-12"),
            ("12/2028", "2028-12"),
            ("1/28", "2028-01"),
            ("1/2028", "2028-01"),
            ("1228", "2028-12"),
            ("12 28", "2028-12"),
            ("12 / 28", "2028-12"),
            ("  12/28 ", "2028-12"),
            ("2028-12", "2028-12"),
            ("202812", "2028-12"),
            ("122028", "2028-12"),
            ("12-28", "2028-12"),
            // the current month is not expired
            ("11/26", "2026-11"),
            ("2026-11", "2026-11"),
            // exactly 20 years ahead
            ("11/46", "2046-11"),
        ];
        for &(input, want) in table {
            let c = check(input);
            assert!(c.is_valid, "{input:?}: {c:?}");
            assert!(c.is_potentially_valid);
            assert_eq!(c.value.as_deref(), Some(want), "{input:?}");
        }
    }

    #[test]
    fn potentially_valid_partials() {
        for input in [
            "", "1", "0", "12", "12/", "12/2", "12/20", "1/", "122", "20", "202", "2026", "20261",
            "2026-", "2026-1", "12 /", "12/203", "5",
        ] {
            let c = check(input);
            assert!(!c.is_valid, "{input:?}");
            assert!(c.is_potentially_valid, "{input:?}: {c:?}");
            assert_eq!(c.value, None);
        }
    }

    #[test]
    fn invalid() {
        let table: &[(&str, ErrorCode)] = &[
            ("13/28", ErrorCode::ExpiryInvalidMonth),
            ("00/28", ErrorCode::ExpiryInvalidMonth),
            ("0/28", ErrorCode::ExpiryInvalidMonth),
            ("10/26", ErrorCode::ExpiryExpired),
            ("2026-10", ErrorCode::ExpiryExpired),
            ("12/1", ErrorCode::ExpiryExpired),
            ("12/2019", ErrorCode::ExpiryExpired),
            ("12/46", ErrorCode::ExpiryTooFar),
            ("01/2050", ErrorCode::ExpiryTooFar),
            ("12/28/1", ErrorCode::ExpiryInvalidFormat),
            ("12.28", ErrorCode::ExpiryInvalidFormat),
            ("ab/cd", ErrorCode::ExpiryInvalidFormat),
            ("/28", ErrorCode::ExpiryInvalidFormat),
            ("12/285", ErrorCode::ExpiryTooFar),
            ("12/20285", ErrorCode::ExpiryInvalidFormat),
            ("1234567", ErrorCode::ExpiryInvalidFormat),
            ("123/28", ErrorCode::ExpiryInvalidFormat),
            ("2028-123", ErrorCode::ExpiryInvalidFormat),
            ("1328", ErrorCode::ExpiryInvalidMonth),
            ("20263", ErrorCode::ExpiryInvalidMonth),
            ("13", ErrorCode::ExpiryInvalidMonth),
            ("１２/２８", ErrorCode::ExpiryInvalidFormat),
        ];
        for &(input, code) in table {
            let c = check(input);
            assert!(!c.is_valid, "{input:?}");
            assert!(!c.is_potentially_valid, "{input:?}: {c:?}");
            assert_eq!(c.error.map(|e| e.code), Some(code), "{input:?}");
        }
    }

    #[test]
    fn century_wraps_near_2100() {
        let today = Date {
            year: 2095,
            month: 1,
            day: 1,
        };
        assert_eq!(
            check_expiry("12/05", today, Locale::Ko).value.as_deref(),
            Some("2105-12")
        );
        assert_eq!(
            check_expiry("12/94", today, Locale::Ko)
                .error
                .map(|e| e.code),
            Some(ErrorCode::ExpiryExpired)
        );
    }

    #[test]
    fn parse_for_wire() {
        assert_eq!(
            parse_expiry("12/28", TODAY).map(Expiry::wire).as_deref(),
            Ok("2028-12")
        );
        assert_eq!(parse_expiry("12/", TODAY), Err(ErrorCode::Incomplete));
        assert_eq!(parse_expiry("12/20", TODAY), Err(ErrorCode::ExpiryExpired));
        assert_eq!(parse_expiry("", TODAY), Err(ErrorCode::Required));
    }

    #[test]
    fn huge_input_is_total() {
        let s = "1".repeat(1 << 20);
        assert!(!check(&s).is_potentially_valid);
        let s = "/".repeat(1 << 20);
        assert!(!check(&s).is_potentially_valid);
    }

    #[test]
    fn padded() {
        let mut s = String::new();
        push_padded(&mut s, 7, 2);
        push_padded(&mut s, 2028, 4);
        push_padded(&mut s, 12345, 2);
        assert_eq!(s, "07202812345");
    }
}
