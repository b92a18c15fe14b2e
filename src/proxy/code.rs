//! The proxy's own answers: one typed code per refusal or failure, with its
//! HTTP status, its documentation, and whether a charge may have happened.
//! The client reads the same enum ([`ProxyCode::parse`]) to decide whether a
//! charge must be looked up.

#[allow(unused_imports)]
use crate::prelude::*;
use serde::{Serialize, Serializer};

use crate::error::FieldError;

macro_rules! proxy_codes {
    ($($(#[$doc:meta])* $name:ident = $code:literal, $status:literal, $charged:literal, $about:literal;)*) => {
        /// A proxy answer code (`{"error": {"code"}}`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ProxyCode {
            $($(#[$doc])* $name,)*
        }

        impl ProxyCode {
            /// Every code, in the order of the docs.
            pub const ALL: &'static [ProxyCode] = &[$(ProxyCode::$name,)*];

            /// The wire code, e.g. `NOT_FOUND`.
            pub const fn as_str(self) -> &'static str {
                match self { $(ProxyCode::$name => $code,)* }
            }

            /// The HTTP status it is answered with.
            pub const fn status(self) -> u16 {
                match self { $(ProxyCode::$name => $status,)* }
            }

            /// Whether a charge may have been made when the proxy answered this:
            /// the client must then look the `merchant_uid` up, never re-send.
            pub const fn may_have_charged(self) -> bool {
                match self { $(ProxyCode::$name => $charged,)* }
            }

            /// What it means (the README's table).
            pub const fn about(self) -> &'static str {
                match self { $(ProxyCode::$name => $about,)* }
            }
        }
    };
}

proxy_codes! {
    /// 400: the request failed the builders' checks; `fields` lists them.
    InvalidInput = "INVALID_INPUT", 400, false, "the request failed the same checks the builders apply; `fields` lists them (at most 20)";
    /// 400: not JSON, too deep, or a number out of range.
    MalformedJson = "MALFORMED_JSON", 400, false, "the body is not valid JSON (or is nested too deep, or holds a number out of range)";
    /// 400: a field the server owns (`pg`, `channel_key`, `notice_url`) sent with another value.
    ServerOwnedField = "SERVER_OWNED_FIELD", 400, false, "a field the proxy's options set (pg, channel_key, notice_url) was sent with another value; `fields` names it";
    /// 403: a cross-origin caller not in `allowedOrigins`.
    OriginNotAllowed = "ORIGIN_NOT_ALLOWED", 403, false, "a cross-origin request from an origin not in allowedOrigins";
    /// 403: `authorize` did not answer exactly `true`.
    Forbidden = "FORBIDDEN", 403, false, "authorize did not answer exactly true (false, a truthy non-true value, or nothing)";
    /// 404: not an operation the proxy serves.
    NotFound = "NOT_FOUND", 404, false, "not an operation the proxy serves (not in the table, or left out of operations)";
    /// 405: a known path with another method.
    MethodNotAllowed = "METHOD_NOT_ALLOWED", 405, false, "a known path with the wrong method";
    /// 409: the amount differs from the server's price.
    AmountMismatch = "AMOUNT_MISMATCH", 409, false, "the amount differs from resolveAmount's server-side price";
    /// 409: `resolveAmount` gave no whole positive price.
    AmountUnresolved = "AMOUNT_UNRESOLVED", 409, false, "resolveAmount gave no whole positive number for an amount to be charged (null, a string, NaN, …)";
    /// 429: a velocity limit tripped for this caller; nothing is forwarded until `Retry-After`.
    TooManyAttempts = "TOO_MANY_ATTEMPTS", 429, false, "a card-testing limit tripped for this caller (attempts, declines or distinct cards): nothing is forwarded until the Retry-After seconds pass";
    /// 429: a soft limit: the `challenge` hook did not answer `true`.
    ChallengeRequired = "CHALLENGE_REQUIRED", 429, false, "a soft limit (repeated declines, or the decline-rate breaker) and the challenge hook did not answer true: show the challenge (a CAPTCHA), then send again";
    /// 413: the body is larger than `maxBodyBytes`, or a list is longer than allowed.
    BodyTooLarge = "BODY_TOO_LARGE", 413, false, "the body is larger than maxBodyBytes";
    /// 415: a body that is not `application/json`.
    UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE", 415, false, "a body that is not application/json";
    /// 400: a webhook body that names no payment.
    WebhookMalformed = "WEBHOOK_MALFORMED", 400, false, "a webhook body that is neither JSON nor a form, or has no valid imp_uid";
    /// 400: a webhook the look-up does not bear out (no such payment).
    WebhookUnverified = "WEBHOOK_UNVERIFIED", 400, false, "a webhook whose imp_uid Iamport does not know (forged): onPayment is not called";
    /// 500: a merchant hook threw (before anything was forwarded).
    HookFailed = "HOOK_FAILED", 500, false, "a merchant hook threw; the detail goes to the log hook only";
    /// 500: an env binding is missing or invalid.
    Misconfigured = "MISCONFIGURED", 500, false, "a required env binding (IMP_KEY, IMP_SECRET) is missing or IAMPORT_API_URL is invalid";
    /// 500: the proxy failed inside (its instance trapped). A charge may already have been forwarded.
    Internal = "INTERNAL", 500, true, "the proxy failed inside (its WebAssembly instance trapped and was replaced); a charge may have been forwarded: look it up";
    /// 503: the limit store could not be reached; nothing was forwarded.
    LimiterUnavailable = "LIMITER_UNAVAILABLE", 503, false, "the card-testing counter store (the Durable Object, or the limits.store) failed: a card request is refused rather than let through uncounted";
    /// 502: getToken failed; nothing was charged.
    TokenFailed = "TOKEN_FAILED", 502, false, "getToken failed (bad credentials, upstream error); nothing was forwarded";
    /// 502: the upstream could not be reached for a request that charges nothing.
    UpstreamUnreachable = "UPSTREAM_UNREACHABLE", 502, false, "the upstream could not be reached (not a charge: nothing happened)";
    /// 503: a webhook's look-up failed; Iamport will send it again.
    WebhookLookupFailed = "WEBHOOK_LOOKUP_FAILED", 503, false, "a webhook could not be verified now (token, network, Iamport error): answered 5xx so that Iamport retries";
    /// 504 (502 for a dropped connection): a charge's answer never came.
    OutcomeUnknown = "OUTCOME_UNKNOWN", 504, true, "a charge timed out or its connection failed: look the merchant_uid up, never re-send";
    /// 504: a request that charges nothing timed out, or the deadline passed before a charge was sent.
    UpstreamTimeout = "UPSTREAM_TIMEOUT", 504, false, "a request timed out before anything that charges was sent";
}

impl ProxyCode {
    /// Reads a wire code. `None` for a code this version does not know: the
    /// client treats that as "may have charged" (it cannot know otherwise).
    pub fn parse(code: &str) -> Option<ProxyCode> {
        Self::ALL.iter().copied().find(|c| c.as_str() == code)
    }

    /// Whether an answer with this wire code may follow a charge. Unknown codes may.
    pub fn wire_may_have_charged(code: &str) -> bool {
        Self::parse(code).is_none_or(ProxyCode::may_have_charged)
    }
}

impl Serialize for ProxyCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The most field errors one answer lists.
pub const MAX_FIELD_ERRORS: usize = 20;

/// A proxy refusal: `{"error": {"code", "message", "fields"?}}` with a status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProxyError {
    /// HTTP status (the code's, except `OUTCOME_UNKNOWN` after a dropped connection: 502).
    #[serde(skip)]
    pub status: u16,
    /// The code.
    pub code: ProxyCode,
    /// A short English message; never contains input.
    pub message: String,
    /// Field errors for 400 `INVALID_INPUT` (at most [`MAX_FIELD_ERRORS`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// For `TOO_MANY_ATTEMPTS`: seconds until the cool-down ends (also the
    /// `Retry-After` header).
    #[serde(rename = "retryAfter", skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u32>,
}

impl ProxyError {
    /// A refusal with the code's status and no field errors.
    pub fn new(code: ProxyCode, message: impl Into<String>) -> Self {
        ProxyError {
            status: code.status(),
            code,
            message: message.into(),
            fields: Vec::new(),
            retry_after: None,
        }
    }

    /// `TOO_MANY_ATTEMPTS`, to be tried again after `seconds`.
    pub fn too_many_attempts(seconds: u32) -> Self {
        ProxyError {
            retry_after: Some(seconds.max(1)),
            ..ProxyError::new(
                ProxyCode::TooManyAttempts,
                "too many attempts: try again later",
            )
        }
    }

    /// `INVALID_INPUT` with the first [`MAX_FIELD_ERRORS`] field errors.
    pub fn invalid_input(mut fields: Vec<FieldError>) -> Self {
        fields.truncate(MAX_FIELD_ERRORS);
        ProxyError {
            fields,
            ..ProxyError::new(ProxyCode::InvalidInput, "invalid input")
        }
    }

    /// The same, answered with another status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// The JSON body.
    pub fn body(&self) -> ErrorBody<'_> {
        ErrorBody { error: self }
    }
}

/// `{"error": …}`.
#[derive(Debug, Serialize)]
pub struct ErrorBody<'a> {
    /// The error.
    pub error: &'a ProxyError,
}
