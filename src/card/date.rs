//! A small civil-date type: enough for expiry and birth-date checks, with no
//! dependency and no floating point.

use core::fmt;

/// Seconds east of UTC for Korea Standard Time, the zone `now` is read in.
pub const KST_OFFSET_SECONDS: i64 = 9 * 3600;

/// A calendar date in the proleptic Gregorian calendar.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year, e.g. 2026.
    pub year: i32,
    /// The month, 1–12.
    pub month: u8,
    /// The day of the month, 1–31.
    pub day: u8,
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Whether `year` is a leap year.
pub const fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days in `month` (1–12) of `year`; 0 for an invalid month.
pub const fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A date, if it exists in the calendar.
    pub const fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if day >= 1 && day <= days_in_month(year, month) {
            Some(Date { year, month, day })
        } else {
            None
        }
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *s.as_bytes() else {
            return None;
        };
        let num = |digits: &[u8]| -> Option<u32> {
            digits.iter().try_fold(0u32, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
            })
        };
        Date::new(
            num(&[y0, y1, y2, y3])? as i32,
            num(&[m0, m1])? as u8,
            num(&[d0, d1])? as u8,
        )
    }

    /// The civil date of a UNIX time (seconds) shifted by `offset_seconds`.
    ///
    /// Uses Howard Hinnant's `civil_from_days`; valid for any `i64` input that
    /// does not overflow when divided into days.
    pub fn from_unix(secs: i64, offset_seconds: i64) -> Date {
        let days = secs.saturating_add(offset_seconds).div_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let y = if m <= 2 { y + 1 } else { y };
        Date {
            year: y.clamp(i32::MIN as i64, i32::MAX as i64) as i32,
            month: m,
            day: d,
        }
    }

    /// The date in Korea (UTC+9) at UNIX time `secs`.
    pub fn kst_from_unix(secs: i64) -> Date {
        Date::from_unix(secs, KST_OFFSET_SECONDS)
    }

    /// Months since year 0, for month arithmetic.
    pub(crate) const fn month_index(self) -> i64 {
        self.year as i64 * 12 + self.month as i64 - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leap_years() {
        assert!(is_leap(2000) && is_leap(2024) && !is_leap(1900) && !is_leap(2026));
        assert_eq!(Date::new(2024, 2, 29).map(|d| d.day), Some(29));
        assert_eq!(Date::new(2026, 2, 29), None);
        assert_eq!(Date::new(2026, 13, 1), None);
        assert_eq!(Date::new(2026, 4, 31), None);
        assert_eq!(Date::new(2026, 1, 0), None);
    }

    #[test]
    fn parse_iso() {
        assert_eq!(Date::parse_iso("2026-11-28"), Date::new(2026, 11, 28));
        for bad in [
            "2026-11-31",
            "2026/11/28",
            "26-11-28",
            "2026-1-28",
            "",
            "２０２６-11-28",
        ] {
            assert_eq!(Date::parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn from_unix() {
        assert_eq!(
            Date::from_unix(0, 0),
            Date {
                year: 1970,
                month: 1,
                day: 1
            }
        );
        // 2026-11-28T14:20:42Z
        assert_eq!(
            Date::from_unix(1_795_875_642, 0),
            Date {
                year: 2026,
                month: 11,
                day: 28
            }
        );
        // 15:00 UTC on the 28th is already the 29th in Korea.
        assert_eq!(
            Date::kst_from_unix(1_795_878_000),
            Date {
                year: 2026,
                month: 11,
                day: 29
            }
        );
        assert_eq!(
            Date::from_unix(951_782_400, 0),
            Date {
                year: 2000,
                month: 2,
                day: 29
            }
        );
        assert_eq!(
            Date::from_unix(-1, 0),
            Date {
                year: 1969,
                month: 12,
                day: 31
            }
        );
        // Extremes never panic.
        let _ = Date::from_unix(i64::MAX, KST_OFFSET_SECONDS);
        let _ = Date::from_unix(i64::MIN, 0);
    }
}
