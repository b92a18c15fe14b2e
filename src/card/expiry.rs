//! The card expiry: many loose forms in, Iamport's `YYYY-MM` out.
//!
//! Accepted: `MM/YY`, `MM/YYYY`, `M/YY`, `M/YYYY`, `MMYY`, `MM YY`, `MM / YY`,
//! `YYYY-MM`, `YYYYMM` and `MMYYYY`. The separators `/`, `-` and spaces may be
//! mixed. The current month is not expired; more than 240 months ahead is
//! invalid.

use serde::Serialize;

use super::date::Date;
use crate::error::{ErrorCode, FieldError, Locale};
use crate::prelude::*;

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
    /// Iamport's wire form, `YYYY-MM` (the year as `u32`, at least 4 digits; the
    /// month's last 2).
    pub fn wire(self) -> String {
        // The builds with the fast path have `wire_into`; the checks-only build writes
        // the same text with less code (a test compares the two).
        #[cfg(feature = "full")]
        {
            let mut buf = [0u8; TEXT_MAX];
            let len = self.wire_into(&mut buf);
            super::unicode::ascii_string(buf.get(..len).unwrap_or_default())
        }
        #[cfg(not(feature = "full"))]
        self.wire_small()
    }

    /// [`Expiry::wire`] with `push_int`: what [`Expiry::wire_into`] writes, with no
    /// buffer to copy from.
    #[cfg(any(test, not(feature = "full")))]
    fn wire_small(self) -> String {
        let mut s = String::with_capacity(7);
        let year = self.year as u32;
        for at_least in [1000, 100, 10] {
            if year < at_least {
                s.push('0');
            }
        }
        crate::error::push_int(&mut s, u64::from(year));
        s.push('-');
        let m = u32::from(self.month);
        for digit in [m / 10 % 10, m % 10] {
            s.push(char::from(b'0' + digit as u8));
        }
        s
    }

    /// Writes the wire form to `out` as ASCII; returns its length (7; more for a
    /// year past 9999, at most [`TEXT_MAX`]). No division instruction (the
    /// size-optimised build would keep them, and they are slow): the fast path
    /// runs this on every keystroke.
    fn wire_into(self, out: &mut [u8; TEXT_MAX]) -> usize {
        // The year's digits from the right, at least 4; a u32 has at most 10.
        let mut year = [b'0'; 10];
        let mut start = year.len();
        let mut v = self.year as u32;
        while v > 0 && start > 0 {
            start -= 1;
            year[start] = last_digit(v);
            v = div10(v);
        }
        let year = year.get(start.min(6)..).unwrap_or_default();
        let m = u32::from(self.month);
        let month = [b'-', last_digit(div10(m)), last_digit(m)];
        let mut len = 0;
        for (slot, &b) in out.iter_mut().zip(year.iter().chain(&month)) {
            *slot = b;
            len += 1;
        }
        len
    }
}

/// `v / 10` for any u32, by multiplication.
const fn div10(v: u32) -> u32 {
    ((v as u64 * 0xCCCC_CCCD) >> 35) as u32
}

/// The last decimal digit of `v`, in ASCII.
const fn last_digit(v: u32) -> u8 {
    b'0' + (v - 10 * div10(v)) as u8
}

/// The most bytes [`check_expiry_text`] writes.
pub const TEXT_MAX: usize = 13;

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
    if !matches!(month, 1..=12) {
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
            if matches!(m, 1..=12) {
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
            if d.starts_with(b"20") && matches!(yyyymm, 1..=12) {
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

fn parse(input: &[u8], today: Date) -> Parse {
    let s = super::unicode::trim_bytes(input);
    if s.is_empty() {
        return Parse::Invalid(ErrorCode::Required);
    }
    // Split into at most three digit groups; separators are `/`, `-`, spaces.
    let mut groups: [&[u8]; 3] = [&[]; 3];
    let mut count = 0usize;
    let mut trailing_sep = false;
    let mut rest = s;
    while let Some((&b, after_b)) = rest.split_first() {
        if b.is_ascii_digit() {
            let run = rest
                .iter()
                .position(|c| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            let (group, after) = rest.split_at_checked(run).unwrap_or((rest, &[]));
            let Some(slot) = groups.get_mut(count) else {
                return Parse::Invalid(ErrorCode::ExpiryInvalidFormat);
            };
            *slot = group;
            count += 1;
            trailing_sep = false;
            rest = after;
        } else if matches!(b, b'/' | b'-' | b' ') {
            if count == 0 {
                return Parse::Invalid(ErrorCode::ExpiryInvalidFormat);
            }
            trailing_sep = true;
            rest = after_b;
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
    match parse(input.as_bytes(), today) {
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
    let (error, potential, value) = match parse(input.as_bytes(), today) {
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
/// (`pkg-template/fast.js` builds the result object from it and from the text of
/// [`check_expiry_text`]; tests compare the two paths). Layout, from bit 0:
/// 0 `isValid`; 1 `isPotentiallyValid`; 2–7 error (0 none, else the index in
/// [`ErrorCode::ALL`] + 1); 8 zero; 9–12 the length of `value` (`YYYY-MM`; 0 when
/// not valid).
pub fn check_expiry_packed(input: &str, today: Date) -> u32 {
    check_expiry_text(input, today, &mut [0; TEXT_MAX])
}

/// [`check_expiry_packed`], plus `value` (when valid) written to `out` as ASCII;
/// its length is in the packed verdict. The JS entry's fast path reads it as it is.
pub fn check_expiry_text(input: &str, today: Date, out: &mut [u8; TEXT_MAX]) -> u32 {
    expiry_text(input.as_bytes(), today, out)
}

/// [`check_expiry_text`] on bytes (the fast path's scratch input).
pub(crate) fn expiry_text(input: &[u8], today: Date, out: &mut [u8; TEXT_MAX]) -> u32 {
    let (error, potential, len) = match parse(input, today) {
        Parse::Full(e) => (None, true, e.wire_into(out)),
        Parse::Partial(code) => (Some(code), true, 0),
        Parse::Invalid(code) => (Some(code), code == ErrorCode::Required, 0),
    };
    u32::from(error.is_none())
        | u32::from(potential) << 1
        | error.map_or(0, |c| c.index() + 1) << 2
        | (len as u32) << 9
}

#[cfg(test)]
mod tests;
