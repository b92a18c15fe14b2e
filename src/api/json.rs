//! A strict JSON parser into [`Value`], for request bodies that arrive as text
//! (the merchant proxy, the sandbox).
//!
//! Stricter than `JSON.parse` where it matters for a payment proxy: duplicate
//! keys are kept (the builders then refuse them, rather than one side seeing
//! the first value and the other the last), nesting is limited, and numbers
//! that overflow to infinity (`1e309`) are refused.

#[allow(unused_imports)]
use crate::prelude::*;
use core::fmt;

use super::value::Value;

/// How deeply arrays and objects may nest.
pub const MAX_DEPTH: usize = 32;

/// Why a text is not acceptable JSON. No variant quotes the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonError {
    /// Not UTF-8.
    InvalidUtf8,
    /// Malformed at this byte offset.
    Syntax(usize),
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// A number too large for a double.
    NumberOutOfRange,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::InvalidUtf8 => f.write_str("body is not valid UTF-8"),
            JsonError::Syntax(at) => write!(f, "malformed JSON at byte {at}"),
            JsonError::TooDeep => write!(f, "JSON nested deeper than {MAX_DEPTH}"),
            JsonError::NumberOutOfRange => f.write_str("a number is out of range"),
        }
    }
}

impl core::error::Error for JsonError {}

/// Parses JSON bytes (which must be UTF-8).
///
/// # Errors
/// See [`JsonError`].
pub fn parse_json_bytes(bytes: &[u8]) -> Result<Value, JsonError> {
    let text = core::str::from_utf8(bytes).map_err(|_| JsonError::InvalidUtf8)?;
    parse_json(text)
}

/// Parses one JSON value (surrounding whitespace allowed, nothing else).
///
/// # Errors
/// See [`JsonError`].
pub fn parse_json(text: &str) -> Result<Value, JsonError> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.i != p.s.len() {
        return Err(JsonError::Syntax(p.i));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn err<T>(&self) -> Result<T, JsonError> {
        Err(JsonError::Syntax(self.i))
    }

    fn literal(&mut self, word: &[u8], v: Value) -> Result<Value, JsonError> {
        if self.s.get(self.i..self.i + word.len()) == Some(word) {
            self.i += word.len();
            Ok(v)
        } else {
            self.err()
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        match self.peek() {
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal(b"true", Value::Bool(true)),
            Some(b'f') => self.literal(b"false", Value::Bool(false)),
            Some(b'n') => self.literal(b"null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => self.err(),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return Err(JsonError::TooDeep);
        }
        self.i += 1;
        let mut fields = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(Value::Object(fields));
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return self.err();
            }
            let key = self.string()?;
            self.ws();
            if self.peek() != Some(b':') {
                return self.err();
            }
            self.i += 1;
            self.ws();
            let v = self.value(depth)?;
            fields.push((key, v));
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Value::Object(fields));
                }
                _ => return self.err(),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return Err(JsonError::TooDeep);
        }
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.ws();
            items.push(self.value(depth)?);
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(Value::Array(items));
                }
                _ => return self.err(),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return self.err(),
            };
            v = v * 16 + u32::from(d);
            self.i += 1;
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.i += 1; // opening quote
        let mut out = String::new();
        loop {
            // Copy the run of plain bytes at once (the input is valid UTF-8).
            let start = self.i;
            while let Some(c) = self.peek() {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            if let Some(run) = self.s.get(start..self.i) {
                out.push_str(core::str::from_utf8(run).map_err(|_| JsonError::InvalidUtf8)?);
            }
            match self.peek() {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let esc = self.peek();
                    self.i += 1;
                    match esc {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if self.s.get(self.i..self.i + 2) != Some(b"\\u") {
                                    return self.err();
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return self.err();
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            match char::from_u32(code) {
                                Some(c) => out.push(c),
                                None => return self.err(),
                            }
                        }
                        _ => return self.err(),
                    }
                }
                _ => return self.err(), // end of input or a raw control character
            }
        }
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                while matches!(self.peek(), Some(b'0'..=b'9')) {
                    self.i += 1;
                }
            }
            _ => return self.err(),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            integer = false;
            self.i += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return self.err();
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            integer = false;
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return self.err();
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        }
        let text = self.s.get(start..self.i).unwrap_or_default();
        let n = if integer && text.len() <= 16 {
            // Exact and cheap for the common case (amounts, timestamps).
            let (neg, digits) = match text.split_first() {
                Some((b'-', rest)) => (true, rest),
                _ => (false, text),
            };
            let v = digits
                .iter()
                .fold(0i64, |a, d| a * 10 + i64::from(d - b'0')) as f64;
            if neg {
                -v
            } else {
                v
            }
        } else {
            core::str::from_utf8(text)
                .ok()
                .and_then(|t| t.parse::<f64>().ok())
                .ok_or(JsonError::Syntax(start))?
        };
        if n.is_finite() {
            Ok(Value::Number(n))
        } else {
            Err(JsonError::NumberOutOfRange)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_serde_json() {
        let docs = [
            r#"{"a":1,"b":[true,false,null],"c":"x\"y\\z\/\n\u00e9\ud83d\ude00","d":-0.5e2,"e":{}}"#,
            "  [ ]  ",
            r#""plain""#,
            "0",
            "-12",
            "1.5E+3",
            r#"{"k":"한글 ✓"}"#,
            "9007199254740993",
        ];
        for d in docs {
            let ours = parse_json(d).unwrap();
            let theirs = crate::api::value::test_json::json(d);
            assert_eq!(ours, theirs, "{d}");
        }
    }

    #[test]
    fn keeps_duplicate_keys() {
        let v = parse_json(r#"{"amount":1000,"amount":1}"#).unwrap();
        assert_eq!(v.as_object().map(<[(String, Value)]>::len), Some(2));
    }

    #[test]
    fn refuses() {
        let table: &[(&str, JsonError)] = &[
            ("", JsonError::Syntax(0)),
            ("{", JsonError::Syntax(1)),
            (r#"{"a":1,}"#, JsonError::Syntax(7)),
            ("[1,]", JsonError::Syntax(3)),
            ("01", JsonError::Syntax(1)),
            ("1.", JsonError::Syntax(2)),
            ("-", JsonError::Syntax(1)),
            ("NaN", JsonError::Syntax(0)),
            ("'a'", JsonError::Syntax(0)),
            ("\"a\nb\"", JsonError::Syntax(2)),
            (r#""\ud800""#, JsonError::Syntax(7)),
            (r#""\x""#, JsonError::Syntax(3)),
            ("1e309", JsonError::NumberOutOfRange),
            ("-1e309", JsonError::NumberOutOfRange),
            ("{} {}", JsonError::Syntax(3)),
            ("tru", JsonError::Syntax(0)),
        ];
        for &(doc, err) in table {
            assert_eq!(parse_json(doc), Err(err), "{doc:?}");
        }
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(parse_json(&deep), Err(JsonError::TooDeep));
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse_json(&ok).is_ok());
        assert_eq!(parse_json_bytes(b"\"\xff\""), Err(JsonError::InvalidUtf8));
        let huge = "[".repeat(100_000);
        assert_eq!(parse_json(&huge), Err(JsonError::TooDeep));
    }

    #[test]
    fn negative_zero_survives() {
        let v = parse_json("-0").unwrap();
        assert!(matches!(v, Value::Number(n) if n == 0.0 && n.is_sign_negative()));
    }
}
