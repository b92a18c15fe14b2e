//! Typed wire bodies, one per POST endpoint, in the style of async-stripe:
//! `Option` fields are left out of the JSON when absent. Card fields are
//! [`Secret`]s, so `Debug` of any body is safe to log.

#[allow(unused_imports)]
use crate::prelude::*;
use serde::Serialize;

use super::request::Secret;

/// The card fields of a key-in request, in wire form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardWire {
    /// `dddd-dddd-dddd-dddd`.
    pub card_number: Secret,
    /// `YYYY-MM`.
    pub expiry: String,
    /// `YYMMDD` or the 10-digit business number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth: Option<Secret>,
    /// The first two PIN digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pwd_2digit: Option<Secret>,
}

/// Buyer details shared by the charge bodies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Buyer {
    /// ≤16 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_name: Option<String>,
    /// ≤64 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_email: Option<String>,
    /// ≤16 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_tel: Option<String>,
    /// ≤128 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_addr: Option<String>,
    /// ≤8 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_postcode: Option<String>,
}

/// Fields every charge may carry (onetime, again, each schedule).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ChargeExtras {
    /// The order name, ≤40 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The tax-exempt part of the amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_free: Option<u64>,
    /// Buyer details.
    #[serde(flatten)]
    pub buyer: Buyer,
    /// Installment months: 0 (lump sum) or 2–36.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_quota: Option<u32>,
    /// A JSON string stored with the payment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_data: Option<String>,
    /// The webhook URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice_url: Option<String>,
}

/// Fields of the direct charges (onetime and again) that schedules lack.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DirectExtras {
    /// The buyer's IP address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub browser_ip: Option<String>,
    /// `real` or `digital`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_type: Option<String>,
    /// Not supported by KCP (only with the `any` profile).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vat_amount: Option<u64>,
    /// Not supported by KCP (only with the `any` profile).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interest_free_by_merchant: Option<bool>,
    /// Not supported by KCP (only with the `any` profile).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_card_point: Option<bool>,
}

/// `POST /subscribe/payments/onetime`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OnetimePayment {
    /// The card.
    #[serde(flatten)]
    pub card: CardWire,
    /// The order id, fixed before sending; the idempotency anchor.
    pub merchant_uid: String,
    /// KRW.
    pub amount: u64,
    /// Store the billing key under this id if the payment succeeds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_uid: Option<String>,
    /// `kcp` or `kcp.{site code}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pg: Option<String>,
    /// Shared charge fields.
    #[serde(flatten)]
    pub extras: ChargeExtras,
    /// Direct-charge fields.
    #[serde(flatten)]
    pub direct: DirectExtras,
}

/// `POST /subscribe/customers/{customer_uid}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BillingKey {
    /// The card.
    #[serde(flatten)]
    pub card: CardWire,
    /// `kcp` or `kcp.{site code}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pg: Option<String>,
    /// ≤55 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_key: Option<String>,
    /// ≤20 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    /// ≤20 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_tel: Option<String>,
    /// ≤200 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_email: Option<String>,
    /// ≤200 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_addr: Option<String>,
    /// ≤8 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_postcode: Option<String>,
    /// The merchant's own customer id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
}

/// `POST /subscribe/payments/again`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgainPayment {
    /// The billing key's id.
    pub customer_uid: String,
    /// The order id.
    pub merchant_uid: String,
    /// KRW.
    pub amount: u64,
    /// Shared charge fields (`name` is required here).
    #[serde(flatten)]
    pub extras: ChargeExtras,
    /// Direct-charge fields.
    #[serde(flatten)]
    pub direct: DirectExtras,
    /// ≤55 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_key: Option<String>,
}

/// One entry of `schedules`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduleEntry {
    /// Unique per schedule.
    pub merchant_uid: String,
    /// UNIX seconds, after `now`.
    pub schedule_at: i64,
    /// KRW.
    pub amount: u64,
    /// `KRW`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Shared charge fields.
    #[serde(flatten)]
    pub extras: ChargeExtras,
}

/// `POST /subscribe/payments/schedule`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchedulePayments {
    /// The billing key's id.
    pub customer_uid: String,
    /// The card, when the customer has no billing key yet.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub card: Option<CardWire>,
    /// `kcp` or `kcp.{site code}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pg: Option<String>,
    /// A test charge, cancelled at once, when the key is issued.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checking_amount: Option<u64>,
    /// At least one.
    pub schedules: Vec<ScheduleEntry>,
}

/// `POST /subscribe/payments/unschedule`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unschedule {
    /// Revoke this customer's schedules (all, or those in `merchant_uid`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_uid: Option<String>,
    /// Revoke these schedules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_uid: Option<Vec<String>>,
}

/// `POST /payments/cancel`: a refund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CancelPayment {
    /// Iamport's id of the payment (used when both ids are given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imp_uid: Option<String>,
    /// The merchant's order id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_uid: Option<String>,
    /// The amount to refund; absent for a full refund.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<u64>,
    /// The tax-exempt part of the refund.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_free: Option<u64>,
    /// The VAT part of the refund (not on KCP).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vat_amount: Option<u64>,
    /// The refundable balance before this refund: Iamport refuses the refund
    /// when its own balance differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checksum: Option<u64>,
    /// Why.
    pub reason: String,
}

/// Any request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Body {
    /// Key-in payment.
    OnetimePayment(OnetimePayment),
    /// Billing key issue.
    BillingKey(BillingKey),
    /// Billing key charge.
    AgainPayment(AgainPayment),
    /// Schedules.
    SchedulePayments(SchedulePayments),
    /// Schedule revocation.
    Unschedule(Unschedule),
    /// A refund.
    CancelPayment(CancelPayment),
}
