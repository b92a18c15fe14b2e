//! Forwarding's decisions: one deadline for token, forward and retry; what a
//! lost answer means for each operation; when a 401 is retried.

use super::code::{ProxyCode, ProxyError};
use crate::api::operation::OpName;

/// Why a send got no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendFailure {
    /// The deadline passed while waiting.
    Timeout,
    /// The connection failed.
    Network,
}

/// The answer when a forwarded request got no answer. For a charge the
/// outcome is unknown: the caller must look the `merchant_uid` up.
pub fn send_failure(op: OpName, failure: SendFailure) -> ProxyError {
    match (op.charges_now(), failure) {
        (true, SendFailure::Timeout) => ProxyError::new(
            ProxyCode::OutcomeUnknown,
            "the charge timed out: its outcome is unknown; look the merchant_uid up, do not re-send",
        ),
        (true, SendFailure::Network) => ProxyError::new(
            ProxyCode::OutcomeUnknown,
            "the connection failed during a charge: its outcome is unknown; look the merchant_uid up, do not re-send",
        )
        .with_status(502),
        (false, SendFailure::Timeout) => {
            ProxyError::new(ProxyCode::UpstreamTimeout, "upstream timed out")
        }
        (false, SendFailure::Network) => {
            ProxyError::new(ProxyCode::UpstreamUnreachable, "upstream unreachable")
        }
    }
}

/// What to do with an upstream answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterAnswer {
    /// Pass it on.
    Answer,
    /// A 401 means "not processed": drop the token, fetch a fresh one, send once more.
    RetryWithFreshToken,
}

/// Decides on an upstream status; `retried` says whether this was the retry.
pub fn after_answer(status: u16, retried: bool) -> AfterAnswer {
    if status == 401 && !retried {
        AfterAnswer::RetryWithFreshToken
    } else {
        AfterAnswer::Answer
    }
}

/// One deadline for everything a request sends upstream: getToken, the
/// forward and the retry share `upstreamTimeoutMs`, measured from the request's
/// arrival.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Deadline {
    at_ms: f64,
}

impl Deadline {
    /// `budget_ms` from `now_ms`.
    pub fn after(now_ms: f64, budget_ms: f64) -> Self {
        Deadline {
            at_ms: now_ms + budget_ms,
        }
    }

    /// The time left at `now_ms` for one upstream call.
    ///
    /// # Errors
    /// `UPSTREAM_TIMEOUT` (504) once it has passed: nothing more is sent, and a
    /// charge in particular is never forwarded late (its caller may have given up
    /// and concluded it was never made).
    pub fn remaining(&self, now_ms: f64) -> Result<f64, ProxyError> {
        let left = self.at_ms - now_ms;
        if left >= 1.0 {
            Ok(left)
        } else {
            Err(ProxyError::new(
                ProxyCode::UpstreamTimeout,
                "the deadline passed before the request could be sent; nothing was forwarded",
            ))
        }
    }
}
