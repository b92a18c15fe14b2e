//! The one reader of options objects, for the checks (`{ locale?, today?, kind? }`)
//! and the builders (`{ now?, locale?, pgProfile? }`).
//!
//! One rule for every option: `undefined` and `null` mean "absent", for the whole
//! argument as for each option in it. Anything else must be what the option takes;
//! if it is not (or reading it throws), the answer is an `INVALID_OPTION` error
//! that names it (`options.today`), in the call's locale. `locale` is read first,
//! so that the other errors speak it.

use wasm_bindgen::JsValue;

use super::convert::get;
use super::locale::current_locale;
use crate::api::{value::MAX_SAFE_INTEGER, BuildOptions, PgProfile};
use crate::card::{birth::BirthKind, date::Date};
use crate::error::{ErrorCode, FieldError, Locale};

/// The one `null` rule: `undefined` and `null` are "absent".
pub(super) fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// An options argument being read. Reading stops at the first option refused,
/// which the error names.
struct Reader<'a> {
    /// The options object; `None` when the argument is absent.
    obj: Option<&'a JsValue>,
    /// The call's locale: the `locale` option, else `setLocale`'s.
    locale: Locale,
    /// The first option refused (`""`: the argument itself).
    refused: Option<&'static str>,
}

impl<'a> Reader<'a> {
    /// Reads an options argument and its `locale`.
    fn new(options: &'a JsValue) -> Self {
        let mut r = Reader {
            obj: None,
            locale: current_locale(),
            refused: None,
        };
        if absent(options) {
            return r;
        }
        if !options.is_object() {
            r.refused = Some("");
            return r;
        }
        r.obj = Some(options);
        if let Some(locale) = r.string("locale", Locale::parse) {
            r.locale = locale;
        }
        r
    }

    /// The option `key` when it is present and nothing was refused before it;
    /// refused when reading it throws.
    fn value(&mut self, key: &'static str) -> Option<JsValue> {
        let obj = self.obj.filter(|_| self.refused.is_none())?;
        match get(obj, key) {
            Ok(v) if absent(&v) => None,
            Ok(v) => Some(v),
            Err(()) => {
                self.refused = Some(key);
                None
            }
        }
    }

    /// The option `key` as `read` takes it; refused when present and `read` says `None`.
    fn read<T>(
        &mut self,
        key: &'static str,
        read: impl FnOnce(&JsValue) -> Option<T>,
    ) -> Option<T> {
        let v = self.value(key)?;
        let t = read(&v);
        if t.is_none() {
            self.refused = Some(key);
        }
        t
    }

    /// A string option as `parse` takes it; any other type is refused.
    fn string<T>(&mut self, key: &'static str, parse: fn(&str) -> Option<T>) -> Option<T> {
        self.read(key, |v| v.as_string().as_deref().and_then(parse))
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

/// Today in Korea (UTC+9), by the JS clock.
pub(super) fn today_kst() -> Date {
    Date::kst_from_unix((js_sys::Date::now() / 1000.0) as i64)
}

/// The options of the field checks.
pub(super) struct CheckOptions {
    pub(super) locale: Locale,
    /// `today`, else today in Korea.
    pub(super) today: Date,
    /// `kind` (the birth checks).
    pub(super) kind: Option<BirthKind>,
}

/// Reads `{ locale?, today?, kind? }`.
pub(super) fn check_options(options: &JsValue) -> Result<CheckOptions, FieldError> {
    let mut r = Reader::new(options);
    let today = r.string("today", Date::parse_iso);
    let kind = r.string("kind", BirthKind::parse);
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
pub(super) fn build_options(options: &JsValue) -> Result<BuildOptions, FieldError> {
    let mut r = Reader::new(options);
    let now = r.read("now", |v| {
        v.as_f64()
            .filter(|n| n.is_finite() && n.abs() <= MAX_SAFE_INTEGER)
            .map(|n| n.floor() as i64)
    });
    let pg_profile = r.string("pgProfile", PgProfile::parse);
    match r.error() {
        Some(e) => Err(e),
        None => Ok(BuildOptions {
            now: now.unwrap_or_else(|| (js_sys::Date::now() / 1000.0).floor() as i64),
            locale: r.locale,
            pg_profile: pg_profile.unwrap_or(PgProfile::Kcp),
        }),
    }
}
