//! A loose JSON-like value: what builders read merchant input from, and what
//! response decoders read Iamport's answers from.
//!
//! It is built from JS values (wasm) or from JSON text (native), keeps object
//! keys in their order, and may hold duplicate keys so that they can be
//! reported rather than silently merged. Its `Debug` never shows string
//! contents: input values carry card data.

#[allow(unused_imports)]
use crate::prelude::*;
use core::fmt;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// A loose value.
#[derive(Clone, PartialEq)]
pub enum Value {
    /// `null` or `undefined`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number (JS numbers are doubles).
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, in key order; keys may repeat.
    Object(Vec<(String, Value)>),
    /// Anything JSON cannot hold (a function, a symbol, a bigint, a cycle too deep).
    Unsupported,
}

/// The largest integer a JS number holds exactly, 2^53 − 1.
pub const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

impl Value {
    /// The value under `key` of an object (the first, if the key repeats).
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The number as an exact integer in the safe range, if it is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) if crate::num::is_whole(*n) && n.abs() <= MAX_SAFE_INTEGER => {
                Some(*n as i64)
            }
            _ => None,
        }
    }

    /// The fields, if this is an object.
    pub fn as_object(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Object(f) => Some(f),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// Whether this is `null` / `undefined`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Builds an object from pairs (a convenience for Rust callers and tests).
    pub fn object<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Object(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Value {
        Value::Number(n)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Number(n as f64)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

/// Redacted: strings show only their length, so card data never reaches a log.
impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(_) => f.write_str("<number>"),
            Value::String(s) => write!(f, "<string of {} chars>", s.chars().count()),
            Value::Array(a) => f.debug_list().entries(a).finish(),
            Value::Object(o) => f
                .debug_map()
                .entries(o.iter().map(|(k, v)| (k, v)))
                .finish(),
            Value::Unsupported => f.write_str("<unsupported>"),
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null | Value::Unsupported => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => match self.as_i64() {
                Some(i) => s.serialize_i64(i),
                None => s.serialize_f64(*n),
            },
            Value::String(v) => s.serialize_str(v),
            Value::Array(a) => {
                let mut seq = s.serialize_seq(Some(a.len()))?;
                for v in a {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Value::Object(o) => {
                let mut map = s.serialize_map(Some(o.len()))?;
                for (k, v) in o {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod test_json {
    //! serde_json → Value, for native tests and fixtures.
    use super::Value;

    /// Converts parsed JSON.
    pub fn from_json(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(a) => Value::Array(a.iter().map(from_json).collect()),
            serde_json::Value::Object(o) => {
                Value::Object(o.iter().map(|(k, v)| (k.clone(), from_json(v))).collect())
            }
        }
    }

    /// One builder fixture (`tests/fixtures/build/*.json`).
    pub struct Fixture {
        /// The file's path, for messages.
        pub name: String,
        /// The whole fixture.
        pub json: serde_json::Value,
        /// The operation's hook name (`onetime`, `again`, …).
        pub op: String,
        /// The builder's arguments.
        pub args: Vec<Value>,
        /// Its options (`pgProfile`) at `now`.
        pub opts: crate::api::BuildOptions,
    }

    /// Every builder fixture, read with options at `now`.
    pub fn fixtures(now: i64) -> Vec<Fixture> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/build");
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).expect("fixture dir") {
            let path = entry.expect("entry").path();
            let json: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
            let mut opts = crate::api::BuildOptions::at(now);
            if json["options"]["pgProfile"] == "any" {
                opts.pg_profile = crate::api::PgProfile::Any;
            }
            out.push(Fixture {
                name: path.display().to_string(),
                op: json["op"].as_str().expect("op").to_owned(),
                args: json["args"]
                    .as_array()
                    .expect("args")
                    .iter()
                    .map(from_json)
                    .collect(),
                json,
                opts,
            });
        }
        out
    }

    /// Parses JSON text into a Value (panics on bad JSON: test helper only).
    pub fn json(text: &str) -> Value {
        from_json(&serde_json::from_str(text).expect("test JSON"))
    }
}

#[cfg(test)]
mod tests {
    use super::test_json::json;
    use super::*;

    #[test]
    fn accessors() {
        let v = json(r#"{"a": 1, "b": "x", "c": [true, null], "d": 1.5, "e": 9007199254740993}"#);
        assert_eq!(v.get("a").and_then(Value::as_i64), Some(1));
        assert_eq!(v.get("b").and_then(Value::as_str), Some("x"));
        assert_eq!(
            v.get("c").and_then(Value::as_array).map(<[Value]>::len),
            Some(2)
        );
        assert_eq!(v.get("d").and_then(Value::as_i64), None);
        assert_eq!(
            v.get("e").and_then(Value::as_i64),
            None,
            "beyond 2^53 is not exact"
        );
        assert_eq!(v.get("zz"), None);
    }

    #[test]
    fn debug_hides_strings() {
        let v = json(r#"{"card_number": "4111111111111111", "amount": 3000}"#);
        let dbg = format!("{v:?}");
        assert!(!dbg.contains("4111") && !dbg.contains("3000"), "{dbg}");
        assert!(dbg.contains("card_number"));
    }

    #[test]
    fn serializes_integers_as_integers() {
        let v = json(r#"{"a": 3000, "b": 1.5, "c": [null, "s"]}"#);
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"a":3000,"b":1.5,"c":[null,"s"]}"#
        );
    }
}
