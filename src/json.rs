//! JSON text written by hand: what the wasm builds hand to JS (`JSON.parse` there)
//! and send as request bodies. Each type writes its own members ([`ToJson`]), with no
//! generic serializer in between: serde's derives through a serializer cost the
//! browser build several KB of wasm (its `flatten` and `untagged` most of all).
//!
//! The serde derives stay: they are the crate's Rust API, and the server-only code
//! (the proxy) writes with them (`json_out`). Native tests compare the two texts
//! byte for byte on every kind of value the tests build ([`tests::assert_same`]).

use crate::error::push_int;
use crate::prelude::*;

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

/// An object being written: its members in order, then [`Object::end`].
pub(crate) struct Object<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> Object<'a> {
    /// Starts an object.
    pub(crate) fn new(out: &'a mut String) -> Self {
        out.push('{');
        Object { out, empty: true }
    }

    /// Writes `"key":value`; `key` is a plain name (no escaping).
    pub(crate) fn member(&mut self, key: &str, value: &dyn ToJson) -> &mut Self {
        self.key_start();
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
        value.write_json(self.out);
        self
    }

    /// Writes any string `key` (escaped) and its value.
    pub(crate) fn entry(&mut self, key: &str, value: &dyn ToJson) -> &mut Self {
        self.key_start();
        push_str_escaped(self.out, key);
        self.out.push(':');
        value.write_json(self.out);
        self
    }

    /// The member when the value is there; nothing when it is `None`.
    pub(crate) fn some<T: ToJson>(&mut self, key: &str, value: &Option<T>) -> &mut Self {
        match value {
            Some(v) => self.member(key, v),
            None => self,
        }
    }

    /// The members of a value written into this object (serde's `flatten`).
    pub(crate) fn flatten(&mut self, value: &dyn Members) -> &mut Self {
        value.members(self);
        self
    }

    fn key_start(&mut self) {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
    }

    /// Ends the object.
    pub(crate) fn end(&mut self) {
        self.out.push('}');
    }
}

/// A struct whose members another object may take in (serde's `flatten`).
pub(crate) trait Members {
    /// Writes its members into `o`.
    fn members(&self, o: &mut Object<'_>);
}

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

/// Appends a number as `JSON.stringify` writes it (`null` when not finite).
pub(crate) fn push_f64(out: &mut String, v: f64) {
    if !v.is_finite() {
        out.push_str("null");
    } else if v.abs() < 9_007_199_254_740_992.0 && v == v as i64 as f64 {
        // An integer (below 2^53 the cast is exact; `fract` is not in core).
        if v < 0.0 {
            out.push('-');
        }
        push_int(out, v.abs() as u64);
    } else {
        out.push_str(&float_text(v));
    }
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// JS's `String(v)` of a finite number: its shortest round-trip text, as
    /// `JSON.stringify` writes it, without core::fmt's float code in the wasm.
    #[wasm_bindgen(js_name = String)]
    fn float_text(v: f64) -> String;
}

#[cfg(not(target_arch = "wasm32"))]
fn float_text(v: f64) -> String {
    v.to_string()
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl<T: ToJson + ?Sized> ToJson for Box<T> {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl ToJson for u16 {
    fn write_json(&self, out: &mut String) {
        push_int(out, u64::from(*self));
    }
}

impl ToJson for u32 {
    fn write_json(&self, out: &mut String) {
        push_int(out, u64::from(*self));
    }
}

impl ToJson for u64 {
    fn write_json(&self, out: &mut String) {
        push_int(out, *self);
    }
}

impl ToJson for usize {
    fn write_json(&self, out: &mut String) {
        push_int(out, *self as u64);
    }
}

impl ToJson for i64 {
    fn write_json(&self, out: &mut String) {
        if *self < 0 {
            out.push('-');
        }
        push_int(out, self.unsigned_abs());
    }
}

impl ToJson for f64 {
    fn write_json(&self, out: &mut String) {
        push_f64(out, *self);
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde::Serialize;

    /// The hand-written text is what serde's derive writes through `json_out`, byte for
    /// byte, and it is JSON.
    #[track_caller]
    pub(crate) fn assert_same<T: ToJson + Serialize + ?Sized>(v: &T) {
        let ours = to_json(v);
        let serde = crate::json_out::to_string(v).expect("serialisable");
        // Not `assert_eq!` on the texts: they may hold card digits.
        assert!(ours == serde, "hand-written JSON differs from serde's");
        assert!(
            serde_json::from_str::<serde_json::Value>(&ours).is_ok(),
            "not JSON"
        );
    }

    /// The primitives are shared with `json_out`, so they are checked against
    /// serde_json, whose text for these is the canonical one.
    #[test]
    fn primitives_write_what_serde_json_writes() {
        let same_as_serde_json = |ours: String, theirs: String| assert_eq!(ours, theirs);
        for b in [true, false] {
            same_as_serde_json(to_json(&b), serde_json::to_string(&b).unwrap());
        }
        for v in [0u64, 1, 9, 10, 99, 1_000_000, u64::MAX] {
            same_as_serde_json(to_json(&v), serde_json::to_string(&v).unwrap());
        }
        for v in [0i64, -1, -10, 123, i64::MIN, i64::MAX] {
            same_as_serde_json(to_json(&v), serde_json::to_string(&v).unwrap());
        }
        same_as_serde_json(
            to_json(&u16::MAX),
            serde_json::to_string(&u16::MAX).unwrap(),
        );
        same_as_serde_json(
            to_json(&u32::MAX),
            serde_json::to_string(&u32::MAX).unwrap(),
        );
        same_as_serde_json(
            to_json(&usize::MAX),
            serde_json::to_string(&usize::MAX).unwrap(),
        );
    }

    #[test]
    fn plain_values_write_what_serde_writes() {
        assert_same(&true);
        assert_same(&false);
        assert_same(&0u16);
        assert_same(&u32::MAX);
        assert_same(&u64::MAX);
        assert_same(&usize::MAX);
        assert_same(&i64::MIN);
        assert_same(&-1i64);
        for f in [
            0.0,
            -0.0,
            1.5,
            -2.0,
            1e21,
            1e-7,
            9_007_199_254_740_993.0,
            f64::NAN,
            f64::INFINITY,
        ] {
            assert_same(&f);
        }
        assert_same("\"\\\u{0}\u{1f}\u{7f}é\u{2028}\u{2029}\n\r\t");
        assert_same(&None::<String>);
        assert_same(&Some("x".to_owned()));
        assert_same(&vec![Some(1u64), None]);
        assert_same(&Vec::<String>::new());
    }

    /// Every character, between others: the text reads back as the string, and holds
    /// no raw control character, U+2028 or U+2029 (JS source could not).
    #[test]
    fn every_char_is_escaped_or_kept() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = format!("a{c}\"{c}é{c}");
            let json = to_json(s.as_str());
            assert_eq!(serde_json::from_str::<String>(&json).unwrap(), s);
            let raw = c < ' ' || c == '\u{2028}' || c == '\u{2029}';
            assert_eq!(json.contains(c), !raw, "U+{:04X}", c as u32);
            if !raw && c != '"' && c != '\\' {
                assert_eq!(json, format!("\"a{c}\\\"{c}é{c}\""));
            }
        }
    }
}
