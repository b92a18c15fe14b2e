//! The wire request a builder produces: method, path, query and body, exactly
//! as Iamport expects them. Building is separate from sending.

#[allow(unused_imports)]
use crate::prelude::*;
use core::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::body::Body;
use crate::card::date::Date;
use crate::error::Locale;

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// DELETE.
    Delete,
}

impl Method {
    /// The method's name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// Query parameters in order; a key may repeat (`customer_uid[]`).
/// Serialises as an object whose repeated keys hold arrays.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query(pub Vec<(String, String)>);

impl Query {
    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `a=1&b=2`, percent-encoded (without the `?`).
    pub fn encode(&self) -> String {
        let mut out = String::new();
        for (i, (k, v)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            percent_encode_into(&mut out, k);
            out.push('=');
            percent_encode_into(&mut out, v);
        }
        out
    }
}

impl Query {
    /// Each key once, in first-seen order, with its values: what the JSON form holds
    /// (a `[]` key an array of them, any other key its first).
    pub(crate) fn grouped(&self) -> Vec<(&str, Vec<&str>)> {
        let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
        for (k, v) in &self.0 {
            match groups.iter_mut().find(|(key, _)| key == k) {
                Some((_, values)) => values.push(v),
                None => groups.push((k, vec![v])),
            }
        }
        groups
    }
}

impl Serialize for Query {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let groups = self.grouped();
        let mut map = s.serialize_map(Some(groups.len()))?;
        for (key, values) in groups {
            if key.ends_with("[]") {
                map.serialize_entry(key, &values)?;
            } else {
                map.serialize_entry(key, values.first().copied().unwrap_or(""))?;
            }
        }
        map.end()
    }
}

// Percent coding is hand-written here, not `percent-encoding`'s: that crate's
// `utf8_percent_encode` (with an AsciiSet of the unreserved characters) and
// `percent_decode_str` made the browser wasm 1,091 B larger (+776 B gzip,
// measured 2026-12-04), about three times the size budget's headroom, and its
// decoder passes a malformed escape (`%zz`) through as text, which would need
// this module's check anyway. The sandbox (native, no size budget) uses the
// crates, with [`escapes_well_formed`] for that check.

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn percent_encode_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

/// Whether every `%` starts a two-hex-digit escape (what [`percent_decode_segment`]
/// requires; for decoders that would pass a malformed escape through as text).
pub fn escapes_well_formed(s: &[u8]) -> bool {
    s.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || s.get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    })
}

/// Percent-decodes one path segment (or query component). `None` for a
/// malformed escape or a result that is not UTF-8.
pub fn percent_decode_segment(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = |c: u8| (c as char).to_digit(16);
            let hi = b.get(i + 1).copied().and_then(hex)?;
            let lo = b.get(i + 2).copied().and_then(hex)?;
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// One Iamport request, ready to send (to the merchant's proxy, which forwards it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Request {
    /// The HTTP method.
    pub method: Method,
    /// The path under the API base, with uids percent-encoded.
    pub path: String,
    /// Query parameters (omitted when empty).
    #[serde(skip_serializing_if = "Query::is_empty")]
    pub query: Query,
    /// The JSON body; `None` (serialised as `null`) for GET and DELETE.
    pub body: Option<Body>,
}

impl Request {
    /// The path with its query string, e.g. `/subscribe/customers?customer_uid%5B%5D=a`.
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            let mut s = self.path.clone();
            s.push('?');
            s.push_str(&self.query.encode());
            s
        }
    }
}

/// Which PG's rules the builders apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PgProfile {
    /// KCP (the default): rejects fields KCP does not support, requires `birth`
    /// and (except for corporate cards) `pwd_2digit`, and `pg` must be `kcp` or `kcp.{site}`.
    #[default]
    Kcp,
    /// No PG-specific rules: only what the API itself requires.
    Any,
}

impl PgProfile {
    /// Parses `"kcp"` or `"any"`.
    pub fn parse(s: &str) -> Option<PgProfile> {
        match s {
            "kcp" => Some(PgProfile::Kcp),
            "any" => Some(PgProfile::Any),
            _ => None,
        }
    }
}

/// The last, optional argument of every builder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildOptions {
    /// The time to judge expiries and schedules against, in UNIX seconds.
    pub now: i64,
    /// The message language.
    pub locale: Locale,
    /// The PG rules.
    pub pg_profile: PgProfile,
}

impl BuildOptions {
    /// Options for `now`, Korean messages and the KCP profile.
    pub fn at(now: i64) -> Self {
        BuildOptions {
            now,
            locale: Locale::Ko,
            pg_profile: PgProfile::Kcp,
        }
    }

    /// Today in Korea at `now`.
    pub fn today(&self) -> Date {
        Date::kst_from_unix(self.now)
    }
}

/// A card field in a wire body: serialises as the plain string, but its
/// `Debug` is redacted.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_encoding_and_shape() {
        let q = Query(vec![
            ("customer_uid[]".into(), "a b".into()),
            ("customer_uid[]".into(), "한".into()),
            ("from".into(), "1".into()),
        ]);
        assert_eq!(
            q.encode(),
            "customer_uid%5B%5D=a%20b&customer_uid%5B%5D=%ED%95%9C&from=1"
        );
        assert_eq!(
            serde_json::to_string(&q).unwrap(),
            r#"{"customer_uid[]":["a b","한"],"from":"1"}"#
        );
    }

    #[test]
    fn secret_debug_is_redacted() {
        let s = Secret("4111-1111-1111-1111".into());
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#""4111-1111-1111-1111""#
        );
    }
}
