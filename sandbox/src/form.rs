//! `application/x-www-form-urlencoded` bodies (Iamport accepts them besides
//! JSON), with PHP-style nesting: `merchant_uid[]=a` and
//! `schedules[0][amount]=1000`. Numeric and boolean fields arrive as strings,
//! so the known ones are converted before the builders judge them.

use iamport_keyin::api::Value;

/// Fields whose form value is a number.
const NUMERIC: &[&str] = &[
    "amount",
    "tax_free",
    "vat_amount",
    "card_quota",
    "schedule_at",
    "checking_amount",
];
/// Fields whose form value is a boolean.
const BOOLEAN: &[&str] = &["interest_free_by_merchant", "use_card_point"];

/// A form body that is not valid `application/x-www-form-urlencoded` UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormError;

impl std::fmt::Display for FormError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("form body is malformed")
    }
}

impl std::error::Error for FormError {}

fn unhex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

fn decode(s: &[u8]) -> Result<String, FormError> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = s.get(i + 1).copied().and_then(unhex).ok_or(FormError)?;
                let lo = s.get(i + 2).copied().and_then(unhex).ok_or(FormError)?;
                out.push(hi * 16 + lo);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| FormError)
}

/// The decoded `key=value` pairs, in order.
///
/// # Errors
/// Malformed percent-escapes or non-UTF-8 text.
pub fn pairs(body: &[u8]) -> Result<Vec<(String, String)>, FormError> {
    body.split(|&b| b == b'&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut kv = p.splitn(2, |&b| b == b'=');
            let k = decode(kv.next().unwrap_or_default())?;
            let v = decode(kv.next().unwrap_or_default())?;
            Ok((k, v))
        })
        .collect()
}

/// `schedules[0][amount]` → `["schedules", "0", "amount"]`.
fn key_path(key: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (base, mut rest) = key.split_once('[').map_or((key, ""), |(b, r)| (b, r));
    parts.push(base);
    while let Some((inner, after)) = rest.split_once(']') {
        parts.push(inner);
        rest = after.strip_prefix('[').unwrap_or("");
    }
    parts
}

fn typed(field: &str, v: String) -> Value {
    if NUMERIC.contains(&field) {
        if let Ok(n) = v.parse::<f64>() {
            return Value::Number(n);
        }
    }
    if BOOLEAN.contains(&field) {
        match v.as_str() {
            "true" => return Value::Bool(true),
            "false" => return Value::Bool(false),
            _ => {}
        }
    }
    Value::String(v)
}

fn insert(slot: &mut Value, rest: &[&str], value: Value) {
    let Some((&head, tail)) = rest.split_first() else {
        *slot = value;
        return;
    };
    if head.is_empty() || head.bytes().all(|b| b.is_ascii_digit()) {
        if !matches!(slot, Value::Array(_)) {
            *slot = Value::Array(Vec::new());
        }
        if let Value::Array(items) = slot {
            let idx = if head.is_empty() {
                items.len()
            } else {
                head.parse::<usize>().unwrap_or(usize::MAX).min(items.len())
            };
            if idx == items.len() {
                items.push(Value::Null);
            }
            insert(&mut items[idx], tail, value);
        }
    } else {
        if !matches!(slot, Value::Object(_)) {
            *slot = Value::Object(Vec::new());
        }
        if let Value::Object(fields) = slot {
            let pos = match fields.iter().position(|(k, _)| k == head) {
                Some(p) if !tail.is_empty() => p,
                _ => {
                    fields.push((head.to_owned(), Value::Null));
                    fields.len() - 1
                }
            };
            insert(&mut fields[pos].1, tail, value);
        }
    }
}

/// Parses a form body into a loose value.
///
/// # Errors
/// Malformed percent-escapes or non-UTF-8 text.
pub fn parse_form(body: &[u8]) -> Result<Value, FormError> {
    let mut root = Value::Object(Vec::new());
    for (k, v) in pairs(body)? {
        let path = key_path(&k);
        let field = path.last().copied().unwrap_or("");
        let value = typed(field, v);
        insert(&mut root, &path, value);
    }
    Ok(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_forms() {
        let v = parse_form(b"customer_uid=c+1&schedules[0][merchant_uid]=s1&schedules[0][amount]=1000&schedules[1][merchant_uid]=s%2F2&merchant_uid[]=a&merchant_uid[]=b&use_card_point=true").unwrap();
        assert_eq!(v.get("customer_uid").and_then(Value::as_str), Some("c 1"));
        let s = v.get("schedules").and_then(Value::as_array).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].get("amount").and_then(Value::as_i64), Some(1000));
        assert_eq!(
            s[1].get("merchant_uid").and_then(Value::as_str),
            Some("s/2")
        );
        assert_eq!(
            v.get("merchant_uid")
                .and_then(Value::as_array)
                .map(<[Value]>::len),
            Some(2)
        );
        assert_eq!(v.get("use_card_point"), Some(&Value::Bool(true)));
    }

    #[test]
    fn duplicates_stay_duplicates_and_bad_escapes_fail() {
        let v = parse_form(b"amount=1000&amount=1").unwrap();
        assert_eq!(v.as_object().map(<[(String, Value)]>::len), Some(2));
        assert!(parse_form(b"a=%zz").is_err());
        assert!(parse_form(b"a=%ff").is_err());
    }
}
