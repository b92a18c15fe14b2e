//! `KeyinClient`'s decisions in plain Rust, tested natively with a fake
//! transport: how each operation's answer is read, when a charge's outcome is
//! unknown, how an unknown outcome is settled by looking the `merchant_uid`
//! up (bounded back-off), and which error each failure is. The wasm adapter
//! (`web`) only sends, with the global `fetch`, and converts to JS.
//!
//! The client never sends the same charge twice on its own.

#[allow(unused_imports)]
use crate::prelude::*;
mod charge;
mod options;
mod refund;
// (Refunds, which these tests run, are not in the browser build.)
#[cfg(all(test, any(not(target_arch = "wasm32"), feature = "proxy")))]
mod server_tests;
#[cfg(test)]
mod tests;
#[cfg(all(target_arch = "wasm32", feature = "full"))]
pub mod web;
mod webhook;

pub use charge::{
    run, Answered, ClientError, ClientOutcome, Operation, Step, Transport, TransportError,
};
pub use options::ClientOptions;
pub use refund::{refund_applied, Applied, RefundOutcome, RefundStatus};
pub use webhook::{verify_webhook, Verified};

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
    /// A refund: the payment's balance is still what it was before it.
    NotApplied,
    /// A refund: the balance is neither before nor after it (another refund ran).
    BalanceChanged,
}

impl UnknownReason {
    /// The JS string (`unknownReason`).
    pub const fn as_str(self) -> &'static str {
        match self {
            UnknownReason::NotFound => "not_found",
            UnknownReason::LookupFailed => "lookup_failed",
            UnknownReason::StillReady => "still_ready",
            UnknownReason::UnrecognisedStatus => "unrecognised_status",
            UnknownReason::NotApplied => "not_applied",
            UnknownReason::BalanceChanged => "balance_changed",
        }
    }

    /// What the merchant should do (the outcome's `message`).
    pub const fn advice(self) -> &'static str {
        match self {
            UnknownReason::NotApplied | UnknownReason::BalanceChanged => self.refund_advice(),
            _ => self.charge_advice(),
        }
    }

    /// What the merchant should do about a charge whose outcome is unknown. A charge
    /// never has a refund's reason; were it given one, the answer is the cautious
    /// "look it up later". (Separate from [`UnknownReason::advice`] so that the
    /// browser build, which has no refunds, carries none of the refund texts.)
    pub(crate) const fn charge_advice(self) -> &'static str {
        match self {
            UnknownReason::NotFound => "no payment exists for this merchant_uid: it was most likely never created; retry deliberately with the same merchant_uid",
            UnknownReason::StillReady => "the payment is still pending: look the merchant_uid up later (or wait for the webhook)",
            UnknownReason::UnrecognisedStatus => "the payment has a status this version does not know: check it in the Iamport console",
            _ => "the outcome is unknown and the look-up failed: look the merchant_uid up later; do not charge again with a new merchant_uid",
        }
    }

    /// What the merchant should do about a refund whose outcome is unknown.
    pub const fn refund_advice(self) -> &'static str {
        match self {
            UnknownReason::NotApplied => "the refund has not been applied (the balance is unchanged): look the payment up later; sending the same refund again with the same checksum is safe, since Iamport refuses it once the balance has changed",
            UnknownReason::BalanceChanged => "the payment's refundable balance changed by another amount: check its cancel_history before refunding again",
            UnknownReason::NotFound => "no payment has this id: nothing was refunded",
            _ => "the refund's outcome is unknown and the look-up failed: look the payment up later before refunding again",
        }
    }
}

/// Joins the proxy base URL and an Iamport path (`/subscribe/...`).
pub fn join(base: &str, path_and_query: &str) -> String {
    let mut s = without_trailing_slashes(base).to_owned();
    s.push_str(path_and_query);
    s
}

/// `s` without its trailing `/`s: `trim_end_matches('/')`, by bytes (the str
/// searcher behind that costs the browser wasm several hundred bytes).
pub(crate) fn without_trailing_slashes(s: &str) -> &str {
    let end = s.bytes().rposition(|b| b != b'/').map_or(0, |i| i + 1);
    s.get(..end).unwrap_or_default()
}
