//! The default message language, one per wasm instance: `setLocale`, `getLocale`.

use core::sync::atomic::{AtomicU8, Ordering::Relaxed};

use wasm_bindgen::prelude::*;

use crate::error::Locale;

#[wasm_bindgen(typescript_custom_section)]
const TS_LOCALE: &'static str = r#"
/** Message language: Korean (the default) or English. */
export type Locale = "ko" | "en";
/** Sets the default message language. Returns false, changing nothing, for other values. */
export function setLocale(locale: Locale): boolean;
/** The default message language. */
export function getLocale(): Locale;
"#;

/// The default locale, as `Locale as u8`. (An atomic only to be a safe static: a
/// wasm instance has one thread.)
static LOCALE: AtomicU8 = AtomicU8::new(Locale::Ko as u8);

/// The default locale (`setLocale`'s), for every call without a `locale` option.
pub(crate) fn current_locale() -> Locale {
    if LOCALE.load(Relaxed) == Locale::En as u8 {
        Locale::En
    } else {
        Locale::Ko
    }
}

/// `setLocale` on a string argument (`None`: not a string): false, changing
/// nothing, unless it is `"ko"` or `"en"`.
pub(crate) fn set_locale_of(locale: Option<&str>) -> bool {
    match locale.and_then(Locale::parse) {
        Some(l) => {
            LOCALE.store(l as u8, Relaxed);
            true
        }
        None => false,
    }
}

/// The default message language's name.
pub(crate) fn locale_name() -> &'static str {
    match current_locale() {
        Locale::Ko => "ko",
        Locale::En => "en",
    }
}

/// Sets the default message language (`"ko"` or `"en"`). Returns false, and
/// changes nothing, for any other value.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = setLocale, skip_typescript)]
pub fn set_locale(locale: JsValue) -> bool {
    set_locale_of(locale.as_string().as_deref())
}

/// The default message language.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = getLocale, skip_typescript)]
pub fn get_locale() -> alloc::string::String {
    locale_name().into()
}
