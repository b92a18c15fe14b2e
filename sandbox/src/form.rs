//! `application/x-www-form-urlencoded` bodies (Iamport accepts them besides
//! JSON), with PHP-style nesting: `merchant_uid[]=a` and
//! `schedules[0][amount]=1000`. Numeric and boolean fields arrive as strings,
//! so the known ones are converted before the builders judge them.

use iamport_keyin::api::Value;
use percent_encoding::percent_decode;

/// Fields whose form value is a number.
const NUMERIC: &[&str] = &[
    "amount",
    "tax_free",
    "vat_amount",
    "card_quota",
    "schedule_at",
    "checking_amount",
    "checksum",
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

/// `percent-encoding` (under `form_urlencoded` and axum's path parameters)
/// passes a malformed escape through as text; the sandbox, like iamport-keyin's
/// decoder, refuses it, with the same check.
pub(crate) use iamport_keyin::api::request::escapes_well_formed;

/// The decoded `key=value` pairs, in order (decoded by `form_urlencoded`:
/// `+` is a space, `%XX` a byte).
///
/// # Errors
/// Malformed percent-escapes or text that is not UTF-8 once decoded.
pub fn pairs(body: &[u8]) -> Result<Vec<(String, String)>, FormError> {
    // `form_urlencoded` decodes leniently (bad escapes kept, bad UTF-8 replaced);
    // refuse both first, so what it returns is exactly the bytes sent. The
    // separators `&`, `=` and `+` are ASCII, so the whole body decodes to UTF-8
    // exactly when every key and value does.
    if !escapes_well_formed(body) || percent_decode(body).decode_utf8().is_err() {
        return Err(FormError);
    }
    Ok(form_urlencoded::parse(body).into_owned().collect())
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
        assert!(parse_form(b"a=%4").is_err() && parse_form(b"%%41=1").is_err());
        assert_eq!(
            pairs(b"a+b=%ED%95%9C&&c&d=1=2").unwrap(),
            [
                ("a b".to_owned(), "한".to_owned()),
                ("c".to_owned(), String::new()),
                ("d".to_owned(), "1=2".to_owned())
            ]
        );
    }
}
