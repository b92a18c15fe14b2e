//! The access-token cache's decisions: when a cached token is still good,
//! what getToken's answer means, and how long a failure is remembered (so a
//! failing getToken is not called again by every request: no storm).
//! Concurrent callers share one fetch; the adapter holds that promise.

use super::code::{ProxyCode, ProxyError};
use super::{TOKEN_FAILURE_BACKOFF_MS, TOKEN_REFRESH_MARGIN_MS};
use crate::api::Value;
#[allow(unused_imports)]
use crate::prelude::*;

/// A cached access token and when to stop using it (local clock, ms).
#[derive(Clone, PartialEq)]
pub struct CachedToken {
    /// The token.
    pub access_token: String,
    /// Local time (ms) after which it must be refreshed.
    pub refresh_at_ms: f64,
}

impl core::fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CachedToken")
            .field("access_token", &"<redacted>")
            .field("refresh_at_ms", &self.refresh_at_ms)
            .finish()
    }
}

impl CachedToken {
    /// Reads getToken's `response` against the local clock: the local expiry is
    /// `local_now + (expired_at − now)` (server times, so clock skew cancels out),
    /// less a 30 s margin (half the lifetime for a short one).
    pub fn from_response(response: &Value, local_now_ms: f64) -> Option<CachedToken> {
        let token = response.get("access_token")?.as_str()?.to_owned();
        let now = response.get("now")?.as_f64()?;
        let expired_at = response.get("expired_at")?.as_f64()?;
        let lifetime_ms = (expired_at - now) * 1000.0;
        if token.is_empty() || lifetime_ms <= 0.0 || !lifetime_ms.is_finite() {
            return None;
        }
        Some(CachedToken {
            access_token: token,
            refresh_at_ms: local_now_ms + lifetime_ms
                - TOKEN_REFRESH_MARGIN_MS.min(lifetime_ms / 2.0),
        })
    }

    /// Whether it is still good at `local_now_ms`.
    pub fn fresh(&self, local_now_ms: f64) -> bool {
        local_now_ms < self.refresh_at_ms
    }
}

/// What a request should do for a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenStep {
    /// Use this cached token.
    Use(String),
    /// Fetch one (or join the fetch in flight).
    Fetch,
    /// getToken failed moments ago: answer `TOKEN_FAILED` without asking again.
    Failing,
}

/// The cache: a token, or a recent failure.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TokenCache {
    cached: Option<CachedToken>,
    failed_until_ms: f64,
}

impl TokenCache {
    /// What to do at `now_ms`.
    pub fn step(&self, now_ms: f64) -> TokenStep {
        match &self.cached {
            Some(t) if t.fresh(now_ms) => TokenStep::Use(t.access_token.clone()),
            _ if now_ms < self.failed_until_ms => TokenStep::Failing,
            _ => TokenStep::Fetch,
        }
    }

    /// Keeps a fresh token (and forgets any failure).
    pub fn store(&mut self, token: CachedToken) {
        self.cached = Some(token);
        self.failed_until_ms = 0.0;
    }

    /// Remembers a failure for [`TOKEN_FAILURE_BACKOFF_MS`].
    pub fn fail(&mut self, now_ms: f64) {
        self.failed_until_ms = now_ms + TOKEN_FAILURE_BACKOFF_MS;
    }

    /// Drops `token` after Iamport refused it (a 401), unless a newer one replaced it.
    pub fn invalidate(&mut self, token: &str) {
        if self
            .cached
            .as_ref()
            .is_some_and(|t| t.access_token == token)
        {
            self.cached = None;
        }
    }
}

/// Reads getToken's answer. The error's message is ours, never Iamport's
/// (its wording would reach the browser).
///
/// # Errors
/// `TOKEN_FAILED` (502).
pub fn read_token_answer(
    status: u16,
    body: Option<&Value>,
    now_ms: f64,
) -> Result<CachedToken, ProxyError> {
    let response = body
        .filter(|v| v.get("code").and_then(Value::as_i64) == Some(0))
        .and_then(|v| v.get("response"));
    match (status, response) {
        (200, Some(r)) => CachedToken::from_response(r, now_ms).ok_or_else(|| {
            ProxyError::new(ProxyCode::TokenFailed, "getToken gave no usable token")
        }),
        (401 | 403, _) => Err(ProxyError::new(
            ProxyCode::TokenFailed,
            "getToken refused the credentials",
        )),
        _ => Err(ProxyError::new(ProxyCode::TokenFailed, "getToken failed")),
    }
}
