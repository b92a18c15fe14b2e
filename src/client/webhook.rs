//! Verifying a webhook: its body only names a payment; everything reported
//! comes from looking that payment up.

#[allow(unused_imports)]
use crate::prelude::*;
use serde::Serialize;

use super::charge::{
    answer_error, answered_payment, proxy_code, transport_error, ClientError, Transport,
};
use crate::api::webhook::WebhookClaim;
use crate::api::{self, BuildOptions, Payment, Value};

/// A webhook, verified: every field but `claimed` comes from the look-up.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verified {
    /// The payment as Iamport has it now.
    pub payment: Payment,
    /// Its status now (`paid`, `failed`, `cancelled`, `ready`, or a new one).
    pub status: String,
    /// Its order id.
    pub merchant_uid: Option<String>,
    /// Iamport's id.
    pub imp_uid: String,
    /// `imp_uid:status`: the same for every repeat of one notification, for
    /// the merchant's own de-duplication.
    pub delivery_key: String,
    /// What the body claimed (never acted on).
    pub claimed: WebhookClaim,
    /// Whether the claim agrees with the look-up (`merchant_uid`, `status`).
    /// `false` for a forged or stale notification.
    pub matches_claim: bool,
}

/// Looks the claimed payment up and reports it as Iamport has it.
///
/// # Errors
/// `WEBHOOK_UNKNOWN_PAYMENT` when no payment has the claimed `imp_uid` (a
/// forged webhook), `WEBHOOK_UNVERIFIED` when the look-up answers with another
/// payment, and the look-up's own errors (which merit a retry: answer 5xx).
pub async fn verify_webhook<T: Transport>(
    t: &T,
    claim: &WebhookClaim,
    opts: &BuildOptions,
) -> Result<Verified, ClientError> {
    let req = api::build_get_payment(&Value::String(claim.imp_uid.clone()), opts)
        .map_err(ClientError::InvalidInput)?;
    let (status, body) = t.send(&req).await.map_err(transport_error)?;
    let body = body.as_ref();
    if proxy_code(body).is_some() {
        return Err(answer_error(status, body));
    }
    if status == 404 {
        return Err(ClientError::Unverified {
            code: "WEBHOOK_UNKNOWN_PAYMENT",
            message: "no payment has the webhook's imp_uid: it did not come from Iamport",
        });
    }
    let Some(payment) = answered_payment(status, body) else {
        return Err(answer_error(status, body));
    };
    if payment.imp_uid.as_deref() != Some(claim.imp_uid.as_str()) {
        return Err(ClientError::Unverified {
            code: "WEBHOOK_UNVERIFIED",
            message: "the look-up answered with another payment than the webhook names",
        });
    }
    let status = payment.status.as_str().to_owned();
    let merchant_uid = payment.merchant_uid.clone();
    let matches_claim = claim.status.as_deref().is_none_or(|s| s == status)
        && claim
            .merchant_uid
            .as_ref()
            .is_none_or(|m| Some(m) == merchant_uid.as_ref());
    Ok(Verified {
        delivery_key: format!("{}:{}", claim.imp_uid, status),
        imp_uid: claim.imp_uid.clone(),
        status,
        merchant_uid,
        payment,
        claimed: claim.clone(),
        matches_claim,
    })
}
