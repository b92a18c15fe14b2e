//! `KeyinClient`'s decisions in plain Rust: joining the proxy URL, when an
//! answer leaves a charge's outcome unknown, and how long to poll a `ready`
//! payment. The wasm adapter (`web`) does the sending, with gloo-net.
//!
//! The client never sends the same charge twice on its own: an unknown outcome
//! is resolved by looking the `merchant_uid` up through the proxy.

#[cfg(target_arch = "wasm32")]
pub mod web;

use crate::api::{Outcome, OutcomeStatus};

/// The default timeout for every call, charges included (ms).
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
/// Delays between look-ups while a payment is `ready`, not found yet, or the
/// look-up fails (ms): bounded, 7.5 s in all.
pub const READY_BACKOFF_MS: &[u32] = &[500, 1_000, 2_000, 4_000];

/// Why a charge's outcome stayed unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownReason {
    /// The look-up found no payment: it was probably never created, so the same
    /// `merchant_uid` may be sent again (by the merchant, deliberately).
    NotFound,
    /// The look-up failed too (network, timeout, proxy error).
    LookupFailed,
    /// Still `ready` after the bounded polling.
    StillReady,
    /// The payment has a status this version does not know.
    UnrecognisedStatus,
}

impl UnknownReason {
    /// The JS string (`unknownReason`).
    pub const fn as_str(self) -> &'static str {
        match self {
            UnknownReason::NotFound => "not_found",
            UnknownReason::LookupFailed => "lookup_failed",
            UnknownReason::StillReady => "still_ready",
            UnknownReason::UnrecognisedStatus => "unrecognised_status",
        }
    }
}

/// How a charge attempt ended, before any look-up.
#[derive(Debug, Clone, PartialEq)]
pub enum Attempt {
    /// An answer that settles it (paid, failed, cancelled) or needs polling (ready).
    Answered(Box<Outcome>),
    /// No answer that can be trusted: timeout, dropped connection, the proxy's
    /// `OUTCOME_UNKNOWN`, a 5xx, a malformed body. Look it up.
    Unknown,
}

/// Classifies a decoded charge answer: `Unknown` means "look it up first".
pub fn classify(outcome: Outcome) -> Attempt {
    match outcome.status {
        OutcomeStatus::Unknown => Attempt::Unknown,
        _ => Attempt::Answered(Box::new(outcome)),
    }
}

/// Joins the proxy base URL and an Iamport path (`/subscribe/...`).
pub fn join(base: &str, path_and_query: &str) -> String {
    let mut s = base.trim_end_matches('/').to_owned();
    s.push_str(path_and_query);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::decode_outcome;
    use crate::api::value::test_json::json;

    #[test]
    fn joins() {
        assert_eq!(
            join("https://shop.example/iamport/", "/payments/find/m1"),
            "https://shop.example/iamport/payments/find/m1"
        );
        assert_eq!(
            join("/iamport", "/subscribe/customers?customer_uid%5B%5D=a"),
            "/iamport/subscribe/customers?customer_uid%5B%5D=a"
        );
    }

    #[test]
    fn only_trustworthy_answers_settle_a_charge() {
        let paid = json(r#"{"code":0,"message":null,"response":{"amount":1000,"status":"paid"}}"#);
        assert!(
            matches!(classify(decode_outcome(200, Some(&paid), Some(1000))), Attempt::Answered(o) if o.status == OutcomeStatus::Paid)
        );
        let declined = json(r#"{"code":-1,"message":"x","response":null}"#);
        assert!(
            matches!(classify(decode_outcome(200, Some(&declined), None)), Attempt::Answered(o) if o.status == OutcomeStatus::Failed)
        );
        let proxy_unknown = json(r#"{"error":{"code":"OUTCOME_UNKNOWN","message":"m"}}"#);
        assert_eq!(
            classify(decode_outcome(504, Some(&proxy_unknown), None)),
            Attempt::Unknown
        );
        assert_eq!(classify(decode_outcome(502, None, None)), Attempt::Unknown);
        assert_eq!(classify(decode_outcome(0, None, None)), Attempt::Unknown);
        assert_eq!(classify(decode_outcome(200, None, None)), Attempt::Unknown);
    }

    #[test]
    fn polling_is_bounded() {
        let total: u32 = READY_BACKOFF_MS.iter().sum();
        assert!(total <= 10_000, "{total}");
        assert!(READY_BACKOFF_MS.windows(2).all(|w| w[0] < w[1]));
    }
}
