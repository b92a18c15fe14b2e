//! Reading loose merchant input field by field, collecting every error.

use super::value::{Value, MAX_SAFE_INTEGER};
use crate::card::Field;
use crate::error::{ErrorCode, FieldError, Locale};
#[allow(unused_imports)]
use crate::prelude::*;

/// The errors found so far, and the language to report them in.
#[derive(Debug)]
pub(crate) struct Ctx {
    pub errors: Vec<FieldError>,
    pub locale: Locale,
}

impl Ctx {
    pub fn new(locale: Locale) -> Self {
        Ctx {
            errors: Vec::new(),
            locale,
        }
    }

    pub fn err(&mut self, field: impl Into<String>, code: ErrorCode) {
        self.err_at(field.into(), code);
    }

    pub fn too_long(&mut self, field: impl Into<String>, max: usize) {
        self.too_long_at(field.into(), max);
    }

    // (The bodies once, whatever the field's type: the generic layer only converts.)
    fn err_at(&mut self, field: String, code: ErrorCode) {
        self.errors.push(FieldError::new(field, code, self.locale));
    }

    fn too_long_at(&mut self, field: String, max: usize) {
        self.errors
            .push(FieldError::too_long(field, max, self.locale));
    }
}

/// The number of `char`s in `s`, as `s.chars().count()` counts them, by a plain
/// loop: core's counter is a vectorised routine of about 800 bytes of wasm.
pub fn char_count(s: &str) -> usize {
    s.bytes().filter(|&b| b & 0xC0 != 0x80).count()
}

/// Why a uid cannot go into a URL path, if it cannot.
///
/// The rule: 1..=`max` characters; no control characters, no whitespace, no
/// format characters (Cf: zero-width, bidirectional overrides, BOM), none
/// of `/ \ ? # %`, and not `.` or `..`. Everything else is percent-encoded
/// when it goes into a path.
pub fn check_uid(s: &str, max: usize) -> Result<(), ErrorCode> {
    if s.is_empty() {
        return Err(ErrorCode::Required);
    }
    if char_count(s) > max {
        return Err(ErrorCode::TooLong);
    }
    let bad = |c: char| {
        c.is_control()
            || c.is_whitespace()
            || is_format_char(c)
            || matches!(c, '/' | '\\' | '?' | '#' | '%')
    };
    if s.chars().any(bad) || s == "." || s == ".." {
        return Err(ErrorCode::InvalidUid);
    }
    Ok(())
}

/// An absolute http(s) URL with a host, and no control characters or spaces.
pub(crate) fn is_http_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'))
        && !s.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// Unicode's format characters (general category Cf, Unicode 16): invisible,
/// or reordering what is shown (`U+202E` shows `"\u{202e}nimda"` as "admin"),
/// so a uid holding one can pass for another in a console or a log. A table of
/// the 21 ranges rather than a Unicode-properties crate: std has no general
/// category, and this is the one property the crate needs.
pub fn is_format_char(c: char) -> bool {
    const CF: &[(u32, u32)] = &[
        (0x00AD, 0x00AD),
        (0x0600, 0x0605),
        (0x061C, 0x061C),
        (0x06DD, 0x06DD),
        (0x070F, 0x070F),
        (0x0890, 0x0891),
        (0x08E2, 0x08E2),
        (0x180E, 0x180E),
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2060, 0x2064),
        (0x2066, 0x206F),
        (0xFEFF, 0xFEFF),
        (0xFFF9, 0xFFFB),
        (0x110BD, 0x110BD),
        (0x110CD, 0x110CD),
        (0x13430, 0x1343F),
        (0x1BCA0, 0x1BCA3),
        (0x1D173, 0x1D17A),
        (0xE0001, 0xE0001),
        (0xE0020, 0xE007F),
    ];
    let c = c as u32;
    CF.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

/// A key safe to echo in an error's `field`: short, plain, and not digit-heavy
/// (a key may itself be a pasted card number).
pub(crate) fn printable_key(key: &str) -> &str {
    let plain = !key.is_empty()
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'[' | b']'))
        && key.bytes().filter(u8::is_ascii_digit).count() < 6;
    if plain {
        key
    } else {
        "(unprintable key)"
    }
}

/// Reads the fields of one input object, remembering which were used.
#[derive(Debug)]
pub(crate) struct Reader<'v> {
    fields: &'v [(String, Value)],
    used: Vec<bool>,
    prefix: String,
}

impl<'v> Reader<'v> {
    /// A reader over `v`, or an `INVALID_TYPE` error at `path` if `v` is no object.
    /// Duplicate keys are reported once each.
    pub fn new(ctx: &mut Ctx, v: &'v Value, path: &str) -> Option<Self> {
        let Some(fields) = v.as_object() else {
            ctx.err(
                if path.is_empty() { "input" } else { path },
                ErrorCode::InvalidType,
            );
            return None;
        };
        let prefix = if path.is_empty() {
            String::new()
        } else {
            format_path(path, ".")
        };
        for (i, (k, _)) in fields.iter().enumerate() {
            let first = fields.iter().position(|(other, _)| other == k) == Some(i);
            let later = fields.get(i + 1..).unwrap_or_default();
            let repeated = later.iter().any(|(other, _)| other == k);
            if first && repeated {
                ctx.err(
                    format_path(&prefix, printable_key(k)),
                    ErrorCode::DuplicateField,
                );
            }
        }
        Some(Reader {
            fields,
            used: vec![false; fields.len()],
            prefix,
        })
    }

    /// The error path of `key`.
    pub fn path(&self, key: &str) -> String {
        format_path(&self.prefix, key)
    }

    /// The value under `key`, marking it used; `null` counts as absent.
    pub fn take(&mut self, key: &str) -> Option<&'v Value> {
        let mut found = None;
        for (i, (k, v)) in self.fields.iter().enumerate() {
            if k == key {
                if let Some(used) = self.used.get_mut(i) {
                    *used = true;
                }
                if found.is_none() {
                    found = Some(v);
                }
            }
        }
        found.filter(|v| !v.is_null())
    }

    /// The value under `key`; a missing required field is reported as `REQUIRED`.
    fn need(&mut self, ctx: &mut Ctx, key: &str, required: bool) -> Option<&'v Value> {
        let v = self.take(key);
        if v.is_none() && required {
            ctx.err(self.path(key), ErrorCode::Required);
        }
        v
    }

    /// Reports `code` for `key` and yields nothing.
    fn refuse<T>(&self, ctx: &mut Ctx, key: &str, code: ErrorCode) -> Option<T> {
        self.refuse_at(ctx, key, code);
        None
    }

    /// [`Reader::refuse`]'s error, in one copy for every `T`.
    fn refuse_at(&self, ctx: &mut Ctx, key: &str, code: ErrorCode) {
        ctx.err(self.path(key), code);
    }

    /// A string field. An empty optional string counts as absent.
    pub fn string(
        &mut self,
        ctx: &mut Ctx,
        key: &str,
        max: Option<usize>,
        required: bool,
    ) -> Option<String> {
        match self.need(ctx, key, required)? {
            Value::String(s) if s.is_empty() => {
                if required {
                    ctx.err(self.path(key), ErrorCode::Required);
                }
                None
            }
            Value::String(s) => match max {
                Some(max) if char_count(s) > max => {
                    ctx.too_long(self.path(key), max);
                    None
                }
                _ => Some(s.clone()),
            },
            _ => self.refuse(ctx, key, ErrorCode::InvalidType),
        }
    }

    /// A uid that may go into a URL path (see [`check_uid`]).
    pub fn uid(&mut self, ctx: &mut Ctx, key: &str, max: usize, required: bool) -> Option<String> {
        match self.need(ctx, key, required)? {
            Value::String(s) => uid_value(ctx, self.path(key), s, max),
            _ => self.refuse(ctx, key, ErrorCode::InvalidType),
        }
    }

    /// A KRW amount: a whole number from 1 to 2^53−1.
    pub fn amount(&mut self, ctx: &mut Ctx, key: &str, required: bool) -> Option<u64> {
        match self.need(ctx, key, required)? {
            Value::Number(n) if crate::num::is_whole(*n) && *n >= 1.0 && *n <= MAX_SAFE_INTEGER => {
                Some(*n as u64)
            }
            Value::Number(_) => self.refuse(ctx, key, ErrorCode::InvalidAmount),
            _ => self.refuse(ctx, key, ErrorCode::InvalidType),
        }
    }

    /// A whole number in `min..=max`.
    pub fn integer(
        &mut self,
        ctx: &mut Ctx,
        key: &str,
        min: i64,
        max: i64,
        required: bool,
    ) -> Option<i64> {
        match self.need(ctx, key, required)? {
            Value::Number(n)
                if crate::num::is_whole(*n) && *n >= min as f64 && *n <= max as f64 =>
            {
                Some(*n as i64)
            }
            Value::Number(_) => self.refuse(ctx, key, ErrorCode::InvalidInteger),
            _ => self.refuse(ctx, key, ErrorCode::InvalidType),
        }
    }

    /// A boolean.
    pub fn boolean(&mut self, ctx: &mut Ctx, key: &str) -> Option<bool> {
        match self.need(ctx, key, false)? {
            Value::Bool(b) => Some(*b),
            _ => self.refuse(ctx, key, ErrorCode::InvalidType),
        }
    }

    /// One of `allowed`.
    pub fn choice(&mut self, ctx: &mut Ctx, key: &str, allowed: &[&str]) -> Option<String> {
        let s = self.string(ctx, key, None, false)?;
        if allowed.contains(&s.as_str()) {
            Some(s)
        } else {
            ctx.err(self.path(key), ErrorCode::InvalidValue);
            None
        }
    }

    /// An absolute http(s) URL (≤2048 characters).
    pub fn url(&mut self, ctx: &mut Ctx, key: &str) -> Option<String> {
        let s = self.string(ctx, key, Some(2048), false)?;
        if is_http_url(&s) {
            Some(s)
        } else {
            ctx.err(self.path(key), ErrorCode::InvalidUrl);
            None
        }
    }

    /// An IPv4 or IPv6 address.
    pub fn ip(&mut self, ctx: &mut Ctx, key: &str) -> Option<String> {
        let s = self.string(ctx, key, Some(45), false)?;
        if is_ip(&s) {
            Some(s)
        } else {
            ctx.err(self.path(key), ErrorCode::InvalidIp);
            None
        }
    }

    /// A card field, left for the card checks to judge.
    pub fn card(&mut self, key: &str) -> Field<'v> {
        match self.take(key) {
            None => Field::Missing,
            Some(Value::String(s)) => Field::Text(s),
            Some(_) => Field::WrongType,
        }
    }

    /// A field the PG profile forbids: an error if present (and not null).
    pub fn forbid(&mut self, ctx: &mut Ctx, key: &str, code: ErrorCode) {
        if self.take(key).is_some() {
            ctx.err(self.path(key), code);
        }
    }

    /// Reports every field that was never read as `UNKNOWN_FIELD`.
    pub fn finish(self, ctx: &mut Ctx) {
        for (i, (k, _)) in self.fields.iter().enumerate() {
            let first = self.fields.iter().position(|(other, _)| other == k) == Some(i);
            if !self.used.get(i).copied().unwrap_or(false) && first {
                ctx.err(
                    format_path(&self.prefix, printable_key(k)),
                    ErrorCode::UnknownField,
                );
            }
        }
    }
}

/// Whether `s` is a dotted-quad IPv4 address or an IPv6 address (hex groups,
/// one optional `::`, an optional trailing IPv4). A small checker over bytes rather
/// than `core::net`'s parser, which costs kilobytes of wasm (and not `str::split`,
/// whose searcher and its panic path cost several hundred bytes more).
pub(crate) fn is_ip(s: &str) -> bool {
    let b = s.as_bytes();
    if !has(b, b':') {
        return ipv4(b);
    }
    // At most one "::" and no ":::".
    let compressed = b.windows(2).filter(|w| *w == b"::").count();
    if compressed > 1 || b.windows(3).any(|w| w == b":::") {
        return false;
    }
    let mut groups = 0;
    let mut pieces = b.split(|&c| c == b':').peekable();
    while let Some(p) = pieces.next() {
        let last = pieces.peek().is_none();
        if p.is_empty() {
            // Empty pieces only come from "::" (at the ends, two of them).
            continue;
        }
        if last && has(p, b'.') {
            if !ipv4(p) {
                return false;
            }
            groups += 2;
        } else if p.len() <= 4 && p.iter().all(u8::is_ascii_hexdigit) {
            groups += 1;
        } else {
            return false;
        }
    }
    let edges_ok = (!b.starts_with(b":") || b.starts_with(b"::"))
        && (!b.ends_with(b":") || b.ends_with(b"::"));
    edges_ok
        && if compressed == 1 {
            groups < 8
        } else {
            groups == 8
        }
}

/// Whether `b` holds `x`: a loop, not `contains`, which searches bytes with memchr
/// (400 B of wasm for strings this short).
#[allow(clippy::manual_contains)]
fn has(b: &[u8], x: u8) -> bool {
    b.iter().any(|&c| c == x)
}

/// A dotted quad: four decimal parts of 0–255, without leading zeros.
fn ipv4(b: &[u8]) -> bool {
    let mut parts = 0;
    for part in b.split(|&c| c == b'.') {
        parts += 1;
        let ok = matches!(part.len(), 1..=3)
            && part.iter().all(u8::is_ascii_digit)
            && (part.len() == 1 || part.first() != Some(&b'0'))
            && part.iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0')) <= 255;
        if !ok {
            return false;
        }
    }
    parts == 4
}

/// Checks a uid given directly (a builder argument rather than an input field).
pub(crate) fn uid_value(ctx: &mut Ctx, path: String, s: &str, max: usize) -> Option<String> {
    match check_uid(s, max) {
        Ok(()) => Some(s.to_owned()),
        Err(ErrorCode::TooLong) => {
            ctx.too_long(path, max);
            None
        }
        Err(code) => {
            ctx.err(path, code);
            None
        }
    }
}

/// Checks a uid argument that arrived as a loose value.
pub(crate) fn uid_arg(ctx: &mut Ctx, path: &str, v: &Value, max: usize) -> Option<String> {
    match v {
        Value::String(s) => uid_value(ctx, path.to_owned(), s, max),
        Value::Null => {
            ctx.err(path, ErrorCode::Required);
            None
        }
        _ => {
            ctx.err(path, ErrorCode::InvalidType);
            None
        }
    }
}

fn format_path(prefix: &str, key: &str) -> String {
    let mut s = String::with_capacity(prefix.len() + key.len());
    s.push_str(prefix);
    s.push_str(key);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_count_is_chars_count() {
        for s in [
            "",
            "a",
            "가",
            "a가🙂b",
            "\u{202e}nimda",
            "é\u{301}",
            &"🙂".repeat(300),
        ] {
            assert_eq!(char_count(s), s.chars().count(), "{s:?}");
        }
    }

    #[test]
    fn uid_rule() {
        assert_eq!(check_uid("order_8237352", 40), Ok(()));
        assert_eq!(check_uid("주문-1", 40), Ok(()));
        for hostile in [
            "../payments/cancel",
            "%2e%2e%2f",
            "a/b",
            "?x=1",
            "#",
            "a\0b",
            ".",
            "..",
            "a b",
            "a\\b",
            "\u{7f}",
            "a\u{2028}b",
        ] {
            assert!(check_uid(hostile, 80).is_err(), "{hostile:?}");
        }
        assert_eq!(check_uid("", 40), Err(ErrorCode::Required));
        assert_eq!(check_uid(&"a".repeat(10_240), 80), Err(ErrorCode::TooLong));
        assert_eq!(
            check_uid(&"가".repeat(40), 40),
            Ok(()),
            "characters, not bytes"
        );
        assert_eq!(
            check_uid("...", 40),
            Ok(()),
            "only `.` and `..` are path segments"
        );
    }

    #[test]
    fn ip_addresses() {
        for ok in [
            "203.0.113.7",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "::",
            "2001:db8::1",
            "fe80::1:2:3:4",
            "1:2:3:4:5:6:7:8",
            "::ffff:192.0.2.1",
            "1::",
        ] {
            assert!(is_ip(ok), "{ok}");
            assert!(ok.parse::<std::net::IpAddr>().is_ok(), "{ok}");
        }
        for bad in [
            "",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "01.2.3.4",
            "a.b.c.d",
            ":::",
            "1::2::3",
            "1:2:3:4:5:6:7:8:9",
            "12345::",
            ":1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:",
            "g::1",
            "1.2.3.4:80",
            " 1.2.3.4",
        ] {
            assert!(!is_ip(bad), "{bad}");
            assert!(bad.parse::<std::net::IpAddr>().is_err(), "{bad}");
        }
    }

    /// `is_ip` against std's `IpAddr` parser on every string of up to 5 characters
    /// over an alphabet of the interesting ones, and on longer generated ones.
    #[test]
    fn ip_addresses_as_std_reads_them() {
        let alphabet = ['0', '1', '2', '5', 'a', 'f', 'g', '.', ':'];
        let mut strings = vec![String::new()];
        let mut compared = 0;
        for _ in 0..5 {
            let mut next = Vec::new();
            for s in &strings {
                for c in alphabet {
                    let t = format!("{s}{c}");
                    assert_eq!(is_ip(&t), t.parse::<std::net::IpAddr>().is_ok(), "{t:?}");
                    compared += 1;
                    next.push(t);
                }
            }
            strings = next;
        }
        // Longer: addresses with a part changed, dropped or doubled.
        let bases = [
            "203.0.113.7",
            "2001:db8::1",
            "::ffff:192.0.2.1",
            "1:2:3:4:5:6:7:8",
            "fe80::1:2:3:4",
        ];
        let parts = [
            "", "0", "00", "255", "256", "ffff", "fffff", "1.2.3.4", ":", ".",
        ];
        for base in bases {
            for (i, _) in base.char_indices() {
                for p in parts {
                    let t = format!("{}{p}{}", &base[..i], &base[i + 1..]);
                    assert_eq!(is_ip(&t), t.parse::<std::net::IpAddr>().is_ok(), "{t:?}");
                    compared += 1;
                }
            }
        }
        assert!(compared > 60_000, "{compared}");
    }

    #[test]
    fn printable_keys() {
        assert_eq!(printable_key("schedules"), "schedules");
        assert_eq!(printable_key("4111111111111111"), "(unprintable key)");
        assert_eq!(printable_key("카드"), "(unprintable key)");
        assert_eq!(printable_key(""), "(unprintable key)");
    }
}
