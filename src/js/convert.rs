//! JS values in, JS values out. A JS value becomes a loose [`Value`] by a
//! bounded walk ([`to_value`]); a result goes out as one JSON string that the
//! engine's `JSON.parse` reads ([`to_js`]; the text written by hand, `crate::json`):
//! smaller code, and faster, than building objects property by property through the
//! boundary.

#[allow(unused_imports)]
use crate::prelude::*;
#[cfg(feature = "proxy")]
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::api::Value;
use crate::json::{Object, ToJson};

/// `o[key]` for an object, else `undefined`; never throws (a throwing getter reads as `undefined`).
#[cfg(feature = "proxy")]
pub(crate) fn prop(o: &JsValue, key: &str) -> JsValue {
    if o.is_object() {
        js_sys::Reflect::get(o, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// `obj[key]`; `Err` when `obj` is not an object, or reading throws (a getter, a
/// proxy).
///
/// Each exception a `catch` import catches costs one slot of wasm-bindgen's externref
/// table that is never freed (0.2.130: the import's unused answer keeps its slot), so
/// nothing here asks JS for what is known to throw: `Reflect.get` on a primitive
/// throws, and is not called. (`tests/js/load.test.mjs` checks that the memory stops
/// growing.)
pub(super) fn get(obj: &JsValue, key: &str) -> Result<JsValue, ()> {
    if !obj.is_object() {
        return Err(());
    }
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).map_err(|_| ())
}

/// A result for JS: its JSON text, written by hand (`crate::json`), through the
/// engine's `JSON.parse`; `null` only if that refused it (it does not: no `unwrap` is
/// reachable from JS).
pub(crate) fn to_js<T: ToJson + ?Sized>(v: &T) -> JsValue {
    json_to_js(&crate::json::to_json(v))
}

/// JSON text written by hand, through the engine's `JSON.parse` (see [`to_js`]).
pub(crate) fn json_to_js(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or(JsValue::NULL)
}

/// `{ ok: true, <keys.0>: value }` or `{ ok: false, <keys.1>: error }`: the builders'
/// and the decoders' answers.
pub(super) struct Answer<'a, T: ?Sized, E: ?Sized> {
    /// The member names of the value and of the error.
    pub(super) keys: (&'static str, &'static str),
    pub(super) result: Result<&'a T, &'a E>,
}

impl<T: ToJson + ?Sized, E: ToJson + ?Sized> ToJson for Answer<'_, T, E> {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        match self.result {
            Ok(v) => o.member("ok", &true).member(self.keys.0, &v),
            Err(e) => o.member("ok", &false).member(self.keys.1, &e),
        };
        o.end();
    }
}

/// [`to_js`] through serde's derive (`json_out`), for the server-only proxy's values.
#[cfg(feature = "proxy")]
pub(crate) fn serde_js<T: Serialize>(v: &T) -> JsValue {
    crate::json_out::to_string(v)
        .ok()
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .unwrap_or(JsValue::NULL)
}

/// JSON text from JS: parsed by the engine's `JSON.parse`, then read like any
/// other JS value. `None` when it is not JSON.
///
/// Text that cannot begin a JSON value (an HTML error page, plain text, nothing) is
/// `None` without asking `JSON.parse`, whose exception would cost an externref slot
/// (see [`get`]); text that begins like JSON and is not still does.
pub(crate) fn json_text_to_value(text: &str) -> Option<Value> {
    let first = text
        .bytes()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))?;
    if !matches!(
        first,
        b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n'
    ) {
        return None;
    }
    js_sys::JSON::parse(text).ok().map(|v| to_value(&v))
}

/// How deep and how large a JS input may be before the rest is `Unsupported`.
const MAX_DEPTH: u32 = 16;
const MAX_NODES: u32 = 10_000;

/// Converts any JS value to a loose [`Value`] without throwing: cycles and
/// giant graphs are cut off, throwing getters and exotic values become
/// `Unsupported`.
pub(crate) fn to_value(v: &JsValue) -> Value {
    let mut budget = MAX_NODES;
    convert(v, 0, &mut budget)
}

fn convert(v: &JsValue, depth: u32, budget: &mut u32) -> Value {
    if *budget == 0 || depth > MAX_DEPTH {
        return Value::Unsupported;
    }
    *budget -= 1;
    if let Some(s) = v.as_string() {
        return Value::String(s);
    }
    if let Some(n) = v.as_f64() {
        return Value::Number(n);
    }
    if let Some(b) = v.as_bool() {
        return Value::Bool(b);
    }
    if v.is_null() || v.is_undefined() {
        return Value::Null;
    }
    if v.is_function() || !v.is_object() {
        return Value::Unsupported;
    }
    if js_sys::Array::is_array(v) {
        let len = get(v, "length")
            .ok()
            .and_then(|l| l.as_f64())
            .unwrap_or(0.0);
        let len = len.max(0.0).min(f64::from(*budget)) as u32;
        let mut items = Vec::with_capacity(len as usize);
        for i in 0..len {
            let item = js_sys::Reflect::get_u32(v, i).unwrap_or(JsValue::UNDEFINED);
            items.push(convert(&item, depth + 1, budget));
        }
        return Value::Array(items);
    }
    let Ok(keys) = js_sys::Reflect::own_keys(v) else {
        return Value::Unsupported;
    };
    let mut fields = Vec::new();
    for key in keys.iter() {
        let Some(name) = key.as_string() else {
            continue;
        };
        if *budget == 0 {
            return Value::Unsupported;
        }
        let item = js_sys::Reflect::get(v, &key).unwrap_or(JsValue::UNDEFINED);
        fields.push((name, convert(&item, depth + 1, budget)));
    }
    Value::Object(fields)
}
