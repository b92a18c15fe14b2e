//! The webhook route's decisions: who may post to it, what a failed
//! verification answers (5xx when Iamport should retry), and the amount check.
//! The route exists only when the merchant gives `onPayment`.

#[allow(unused_imports)]
use crate::prelude::*;
use serde::Serialize;

use super::code::{ProxyCode, ProxyError};
use super::policy::PriceAnswer;
use crate::api::Payment;
use crate::client::ClientError;

/// The webhook route's path under `basePath`.
pub const WEBHOOK_PATH: &str = "/webhook";

/// Whether `path` is the webhook route under `base_path`.
pub fn is_webhook_path(path: &str, base_path: &str) -> bool {
    path.strip_prefix(base_path) == Some(WEBHOOK_PATH)
}

/// Who may post a webhook: a POST with no `Origin` (a browser always sends one
/// on a cross-origin POST, and a webhook is never served to a page), from an
/// address in `allowed_ips` when the merchant gives that list. There are no
/// CORS headers on this route, ever.
///
/// # Errors
/// `ORIGIN_NOT_ALLOWED`, `METHOD_NOT_ALLOWED`, or `FORBIDDEN` (a sender outside
/// `webhookIps`, or no trusted client address to check).
pub fn check_webhook_sender(
    method: &str,
    origin: Option<&str>,
    client_ip: Option<&str>,
    allowed_ips: Option<&[String]>,
) -> Result<(), ProxyError> {
    if origin.is_some() {
        return Err(ProxyError::new(
            ProxyCode::OriginNotAllowed,
            "the webhook route is not served to browsers",
        ));
    }
    if method != "POST" {
        return Err(ProxyError::new(
            ProxyCode::MethodNotAllowed,
            "method not allowed",
        ));
    }
    if let Some(list) = allowed_ips {
        let ip = client_ip.map(str::trim).unwrap_or("");
        if ip.is_empty() || !list.iter().any(|a| a == ip) {
            return Err(ProxyError::new(
                ProxyCode::Forbidden,
                "webhook sender not in webhookIps",
            ));
        }
    }
    Ok(())
}

/// The answer when verification fails. A forged webhook is a 400 (Iamport never
/// sends one; nothing is retried); anything that may pass later (no token, a
/// network error, an Iamport 5xx) is a 5xx, so that Iamport sends it again.
pub fn webhook_failure(e: &ClientError) -> ProxyError {
    match e {
        ClientError::Unverified { message, .. } => {
            ProxyError::new(ProxyCode::WebhookUnverified, *message)
        }
        ClientError::InvalidInput(_) => ProxyError::new(
            ProxyCode::WebhookMalformed,
            "the webhook body has no valid imp_uid",
        ),
        _ => ProxyError::new(
            ProxyCode::WebhookLookupFailed,
            "the webhook's payment could not be looked up now; send it again",
        ),
    }
}

/// What `resolveAmount` is asked for a webhook's payment: the verified values
/// (never the body's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookPrice {
    /// Always `"webhook"` (as hooks see operation names).
    pub name: &'static str,
    /// Always `"webhook"`: a notification, not a request to charge.
    pub pricing: &'static str,
    /// The payment's order id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_uid: Option<String>,
    /// Iamport's id.
    pub imp_uid: String,
    /// The billing key, for a charge of one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_uid: Option<String>,
    /// The amount Iamport recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<u64>,
    /// The verified status.
    pub status: String,
}

impl WebhookPrice {
    /// The question for a verified payment.
    pub fn of(payment: &Payment, imp_uid: &str) -> Self {
        WebhookPrice {
            name: "webhook",
            pricing: "webhook",
            merchant_uid: payment.merchant_uid.clone(),
            imp_uid: imp_uid.to_owned(),
            customer_uid: payment.customer_uid.clone(),
            amount: payment
                .amount
                .filter(|a| crate::num::is_whole(*a) && *a >= 0.0)
                .map(|a| a as u64),
            status: payment.status.as_str().to_owned(),
        }
    }
}

/// The amount check handed to `onPayment`: `(expectedAmount, amountMismatch)`.
/// Fails closed: no hook, no whole positive price, or no amount on the payment
/// is a mismatch.
pub fn webhook_amount(payment: &Payment, answer: Option<PriceAnswer>) -> (Option<u64>, bool) {
    let expected = match answer {
        Some(PriceAnswer::Number(n))
            if crate::num::is_whole(n)
                && (1.0..=crate::api::value::MAX_SAFE_INTEGER).contains(&n) =>
        {
            Some(n as u64)
        }
        _ => None,
    };
    let paid = payment
        .amount
        .filter(|a| crate::num::is_whole(*a) && *a >= 0.0);
    let mismatch = match (expected, paid) {
        (Some(e), Some(p)) => e as f64 != p,
        _ => true,
    };
    (expected, mismatch)
}
