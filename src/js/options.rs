//! The one reader of options objects, for the checks (`{ locale?, today?, kind? }`)
//! and the builders (`{ now?, locale?, pgProfile? }`).
//!
//! One rule for every option: `undefined` and `null` mean "absent", for the whole
//! argument as for each option in it. Anything else must be what the option takes;
//! if it is not (or reading it throws), the answer is an `INVALID_OPTION` error
//! that names it (`options.today`), in the call's locale. `locale` is read first,
//! so that the other errors speak it.

use super::locale::current_locale;
#[cfg(feature = "full")]
use crate::api::{value::MAX_SAFE_INTEGER, BuildOptions, PgProfile};
use crate::card::{birth::BirthKind, date::Date};
use crate::error::{ErrorCode, FieldError, Locale};
use crate::prelude::*;

/// A JS argument as the checks and the options read it: `undefined` or `null`
/// (absent), a string, a number, an object (`typeof` "object"), or anything else.
/// What the JS entry hands over is read into this first (from a `JsValue`, or from
/// the checks-only build's byte protocol), so that the rules below see one shape.
/// It has no `Debug`: a string may be a card number, PIN digits or a birth date.
#[derive(Clone, PartialEq)]
pub(crate) enum Arg {
    /// `undefined` or `null`.
    Absent,
    /// A string.
    Str(String),
    /// A number (a caret; the builders' `now`).
    Num(f64),
    /// An object (not `null`, not a function).
    Object,
    /// Anything else, or reading it threw.
    Other,
}

#[cfg(feature = "full")]
impl Arg {
    /// A JS value's reading.
    pub(crate) fn of(v: &wasm_bindgen::JsValue) -> Self {
        if v.is_undefined() || v.is_null() {
            Arg::Absent
        } else if let Some(s) = v.as_string() {
            Arg::Str(s)
        } else if let Some(n) = v.as_f64() {
            Arg::Num(n)
        } else if v.is_object() {
            Arg::Object
        } else {
            Arg::Other
        }
    }

    /// `obj[key]`'s reading: `Other` when reading it throws.
    pub(crate) fn get(obj: &wasm_bindgen::JsValue, key: &str) -> Self {
        match super::convert::get(obj, key) {
            Ok(v) => Arg::of(&v),
            Err(()) => Arg::Other,
        }
    }
}

/// An option's key in an options object.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    /// `locale` (every options object).
    Locale,
    /// `today` (the checks).
    Today,
    /// `kind` (the birth checks).
    Kind,
    /// `now` (the builders).
    #[cfg(feature = "full")]
    Now,
    /// `pgProfile` (the builders).
    #[cfg(feature = "full")]
    PgProfile,
}

impl Key {
    /// The key as JS spells it.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Key::Locale => "locale",
            Key::Today => "today",
            Key::Kind => "kind",
            #[cfg(feature = "full")]
            Key::Now => "now",
            #[cfg(feature = "full")]
            Key::PgProfile => "pgProfile",
        }
    }
}

/// An options argument being read: its own reading, and `option(key)` for each
/// option. Reading stops at the first option refused, which the error names.
struct Reader<F> {
    /// The argument is an object to read options from.
    object: bool,
    option: F,
    /// The call's locale: the `locale` option, else `setLocale`'s.
    locale: Locale,
    /// The first option refused (`""`: the argument itself).
    refused: Option<&'static str>,
}

impl<F: FnMut(Key) -> Arg> Reader<F> {
    /// Reads an options argument and its `locale`.
    fn new(options: &Arg, option: F) -> Self {
        let mut r = Reader {
            object: false,
            option,
            locale: current_locale(),
            refused: None,
        };
        match options {
            Arg::Absent => {}
            Arg::Object => r.object = true,
            _ => r.refused = Some(""),
        }
        if let Some(locale) = r.string(Key::Locale, Locale::parse) {
            r.locale = locale;
        }
        r
    }

    /// The option `key` when it is present and nothing was refused before it.
    fn value(&mut self, key: Key) -> Option<Arg> {
        if !self.object || self.refused.is_some() {
            return None;
        }
        match (self.option)(key) {
            Arg::Absent => None,
            v => Some(v),
        }
    }

    /// The option `key` as `read` takes it; refused when present and `read` says `None`.
    fn read<T>(&mut self, key: Key, read: impl FnOnce(Arg) -> Option<T>) -> Option<T> {
        let v = self.value(key)?;
        let t = read(v);
        if t.is_none() {
            self.refused = Some(key.name());
        }
        t
    }

    /// A string option as `parse` takes it; any other type is refused.
    fn string<T>(&mut self, key: Key, parse: fn(&str) -> Option<T>) -> Option<T> {
        self.read(key, |v| match v {
            Arg::Str(s) => parse(&s),
            _ => None,
        })
    }

    /// `INVALID_OPTION` naming the option refused (`options.today`, or `options`).
    fn error(&self) -> Option<FieldError> {
        let key = self.refused?;
        let mut field = String::from("options");
        if !key.is_empty() {
            field.push('.');
            field.push_str(key);
        }
        Some(FieldError::new(
            field,
            ErrorCode::InvalidOption,
            self.locale,
        ))
    }
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `Date.now()`: the JS clock, in ms since the Unix epoch.
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
}

/// The JS clock in whole seconds since the Unix epoch, rounded down (`Date.now()` is a
/// whole number of ms).
pub(crate) fn now_unix() -> i64 {
    (date_now() as i64).div_euclid(1000)
}

/// Today in Korea (UTC+9), by the JS clock.
pub(super) fn today_kst() -> Date {
    Date::kst_from_unix(now_unix())
}

/// The options of the field checks.
pub(crate) struct CheckOptions {
    pub(crate) locale: Locale,
    /// `today`, else today in Korea.
    pub(crate) today: Date,
    /// `kind` (the birth checks).
    pub(crate) kind: Option<BirthKind>,
}

/// Reads `{ locale?, today?, kind? }`: the argument's reading, and each option's.
pub(crate) fn check_options(
    options: &Arg,
    option: impl FnMut(Key) -> Arg,
) -> Result<CheckOptions, FieldError> {
    let mut r = Reader::new(options, option);
    let today = r.string(Key::Today, Date::parse_iso);
    let kind = r.string(Key::Kind, BirthKind::parse);
    match r.error() {
        Some(e) => Err(e),
        None => Ok(CheckOptions {
            locale: r.locale,
            today: today.unwrap_or_else(today_kst),
            kind,
        }),
    }
}

/// Reads `{ now?, locale?, pgProfile? }`; `now` defaults to the clock.
#[cfg(feature = "full")]
pub(super) fn build_options(options: &wasm_bindgen::JsValue) -> Result<BuildOptions, FieldError> {
    let mut r = Reader::new(&Arg::of(options), |key: Key| Arg::get(options, key.name()));
    let now = r.read(Key::Now, |v| match v {
        Arg::Num(n) if n.is_finite() && n.abs() <= MAX_SAFE_INTEGER => {
            Some(crate::num::floor(n) as i64)
        }
        _ => None,
    });
    let pg_profile = r.string(Key::PgProfile, PgProfile::parse);
    match r.error() {
        Some(e) => Err(e),
        None => Ok(BuildOptions {
            now: now.unwrap_or_else(now_unix),
            locale: r.locale,
            pg_profile: pg_profile.unwrap_or(PgProfile::Kcp),
        }),
    }
}
