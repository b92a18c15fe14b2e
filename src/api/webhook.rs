//! Iamport's webhook (V1 "notification"): what it claims, read from its body.
//!
//! The body is unsigned and can come from anyone, so nothing in it is trusted:
//! it only names a payment (`imp_uid`) to look up. `merchant_uid` and
//! `status` are kept as the *claim*, to be compared with the look-up.

#[allow(unused_imports)]
use crate::prelude::*;
use serde::Serialize;

use super::operation::query_pairs;
use super::read::check_uid;
use super::refund::IMP_UID_MAX;
use super::value::Value;

/// What a webhook body claims. Only `imp_uid` is acted on (looked up).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookClaim {
    /// The payment to look up.
    pub imp_uid: String,
    /// The order id the sender claims.
    pub merchant_uid: Option<String>,
    /// The status the sender claims (`paid`, `failed`, `cancelled`, `ready`).
    pub status: Option<String>,
}

/// Why a webhook body names no payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookBodyError {
    /// Neither a JSON object nor a form body.
    Malformed,
    /// No `imp_uid`, or one that is not a plain id.
    NoImpUid,
}

impl WebhookBodyError {
    /// The message (never the body's content).
    pub const fn message(self) -> &'static str {
        match self {
            WebhookBodyError::Malformed => {
                "the webhook body is neither a JSON object nor a form body"
            }
            WebhookBodyError::NoImpUid => "the webhook body has no valid imp_uid",
        }
    }
}

/// Reads a webhook body: a JSON object, or `application/x-www-form-urlencoded`
/// (Iamport sends either, by the merchant's console setting). Other fields
/// are ignored (Iamport adds some, e.g. `cancellation_id`).
///
/// # Errors
/// [`WebhookBodyError`].
pub fn parse_webhook_body(text: &str) -> Result<WebhookClaim, WebhookBodyError> {
    let trimmed = text.trim_start_matches([' ', '\t', '\r', '\n', '\u{feff}']);
    let fields: Vec<(String, Value)> = if trimmed.starts_with('{') {
        match super::json::parse_json(trimmed) {
            Ok(Value::Object(fields)) => fields,
            _ => return Err(WebhookBodyError::Malformed),
        }
    } else if trimmed.contains('=') {
        query_pairs(trimmed)
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect()
    } else {
        return Err(WebhookBodyError::Malformed);
    };
    webhook_claim(&fields)
}

/// The claim of an already-parsed body (a JS object handed to `verifyWebhook`).
///
/// # Errors
/// [`WebhookBodyError`].
pub fn webhook_claim_of(v: &Value) -> Result<WebhookClaim, WebhookBodyError> {
    match v {
        Value::Object(fields) => webhook_claim(fields),
        Value::String(s) => parse_webhook_body(s),
        _ => Err(WebhookBodyError::Malformed),
    }
}

fn webhook_claim(fields: &[(String, Value)]) -> Result<WebhookClaim, WebhookBodyError> {
    let text = |key: &str| -> Option<String> {
        let mut values = fields.iter().filter(|(k, _)| k == key);
        let first = values.next()?;
        // A repeated field is ambiguous: take none of it.
        if values.next().is_some() {
            return None;
        }
        first.1.as_str().map(str::to_owned)
    };
    let imp_uid = text("imp_uid")
        .filter(|u| check_uid(u, IMP_UID_MAX).is_ok())
        .ok_or(WebhookBodyError::NoImpUid)?;
    let short = |s: String| (super::read::char_count(&s) <= 80).then_some(s);
    Ok(WebhookClaim {
        imp_uid,
        merchant_uid: text("merchant_uid").and_then(short),
        status: text("status").and_then(short),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_form_bodies_name_the_same_payment() {
        let json = r#"{"imp_uid":"imp_123","merchant_uid":"m-1","status":"paid"}"#;
        let form = "imp_uid=imp_123&merchant_uid=m-1&status=paid";
        let want = WebhookClaim {
            imp_uid: "imp_123".into(),
            merchant_uid: Some("m-1".into()),
            status: Some("paid".into()),
        };
        assert_eq!(parse_webhook_body(json), Ok(want.clone()));
        assert_eq!(parse_webhook_body(form), Ok(want));
    }

    #[test]
    fn extra_fields_are_ignored_and_missing_ones_are_none() {
        let c = parse_webhook_body(r#"{"imp_uid":"imp_1","cancellation_id":"c1","x":[1]}"#);
        assert_eq!(
            c,
            Ok(WebhookClaim {
                imp_uid: "imp_1".into(),
                merchant_uid: None,
                status: None
            })
        );
    }

    #[test]
    fn bodies_that_name_no_payment_are_refused() {
        for body in [
            "",
            "null",
            "[1]",
            "{",
            r#"{"merchant_uid":"m"}"#,
            r#"{"imp_uid":1}"#,
            r#"{"imp_uid":""}"#,
            r#"{"imp_uid":"../users/getToken"}"#,
            r#"{"imp_uid":"a","imp_uid":"b"}"#,
            "imp_uid=a%2Fb",
            "status=paid",
            "hello",
        ] {
            assert!(parse_webhook_body(body).is_err(), "{body}");
        }
        let long = format!(r#"{{"imp_uid":"{}"}}"#, "i".repeat(IMP_UID_MAX + 1));
        assert_eq!(parse_webhook_body(&long), Err(WebhookBodyError::NoImpUid));
    }

    #[test]
    fn a_parsed_object_or_string_reads_the_same() {
        let v = super::super::json::parse_json(r#"{"imp_uid":"imp_9","status":"failed"}"#)
            .unwrap_or(Value::Null);
        let c = webhook_claim_of(&v);
        assert_eq!(c.map(|c| c.status), Ok(Some("failed".into())));
        assert!(webhook_claim_of(&Value::Number(1.0)).is_err());
    }
}
