//! The HTTP-level checks before any operation runs: the route, the origin and
//! CORS, the content type, the strict JSON body.

use super::code::{ProxyCode, ProxyError};
use crate::api::operation::{self, OpName, RouteMiss};
use crate::api::{parse_json_bytes, JsonError, Value};
#[allow(unused_imports)]
use crate::prelude::*;

/// A matched route: the operation and its decoded path parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The operation.
    pub op: OpName,
    /// Path parameters, percent-decoded (not yet validated).
    pub params: Vec<String>,
}

/// Matches `method` and the URL path against the operation table under
/// `base_path`. Paths match exactly (case-sensitive, no trailing slash, no
/// `.`/`..` segments); uid segments are percent-decoded and left to the builders.
///
/// # Errors
/// `NOT_FOUND` (404) or `METHOD_NOT_ALLOWED` (405).
pub fn route(method: &str, path: &str, base_path: &str) -> Result<Route, ProxyError> {
    let not_found = || ProxyError::new(ProxyCode::NotFound, "not found");
    let rest = path
        .strip_prefix(base_path)
        .filter(|r| r.starts_with('/'))
        .ok_or_else(not_found)?;
    match operation::route(method, rest) {
        Ok((op, params)) => Ok(Route { op, params }),
        Err(RouteMiss::NotFound) => Err(not_found()),
        Err(RouteMiss::MethodNotAllowed) => Err(ProxyError::new(
            ProxyCode::MethodNotAllowed,
            "method not allowed",
        )),
    }
}

/// The CORS answer for an allowed cross-origin caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cors {
    /// `Access-Control-Allow-Origin`: the caller's origin, or a literal `*`.
    pub allow_origin: String,
    /// `Access-Control-Allow-Credentials: true` (listed origins only, never `*`).
    pub credentials: bool,
}

/// What to do about the request's `Origin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginDecision {
    /// No `Origin`, or the proxy's own: serve, with no CORS headers.
    SameOrigin,
    /// An allowed cross origin: serve, with these CORS headers.
    Allowed(Cors),
    /// Refuse with 403 before anything else.
    Refused,
}

/// Decides on the `Origin` header. With no `allowed_origins`, only same-origin
/// requests are served (and no CORS headers are ever sent). A listed origin is
/// echoed (with credentials when `allow_credentials`); `"*"` lets any other
/// origin in with a literal `*` and never with credentials.
pub fn check_origin(
    origin: Option<&str>,
    own_origin: &str,
    allowed_origins: &[String],
    allow_credentials: bool,
) -> OriginDecision {
    match origin {
        None => OriginDecision::SameOrigin,
        Some(o) if o == own_origin => OriginDecision::SameOrigin,
        Some(o) if allowed_origins.iter().any(|a| a == o) => OriginDecision::Allowed(Cors {
            allow_origin: o.to_owned(),
            credentials: allow_credentials,
        }),
        Some(_) if allowed_origins.iter().any(|a| a == "*") => OriginDecision::Allowed(Cors {
            allow_origin: "*".to_owned(),
            credentials: false,
        }),
        Some(_) => OriginDecision::Refused,
    }
}

/// The CORS headers for an allowed origin. `requested` is a preflight's
/// `Access-Control-Request-Headers`: echoed when it is a plain header list (the
/// merchant's own headers, e.g. a CSRF token, must pass), else a default list.
pub fn cors_headers(cors: &Cors, requested: Option<&str>) -> Vec<(&'static str, String)> {
    let plain = |h: &&str| {
        !h.is_empty()
            && h.len() <= 512
            && h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b',' | b' '))
    };
    let allow = requested
        .filter(plain)
        .unwrap_or("content-type, authorization, x-requested-with");
    let mut h = vec![
        ("access-control-allow-origin", cors.allow_origin.clone()),
        (
            "access-control-allow-methods",
            "GET, POST, DELETE, OPTIONS".to_owned(),
        ),
        ("access-control-allow-headers", allow.to_owned()),
        ("access-control-max-age", "600".to_owned()),
    ];
    if cors.credentials {
        h.push(("access-control-allow-credentials", "true".to_owned()));
    }
    if cors.allow_origin != "*" {
        h.push(("vary", "Origin".to_owned()));
    }
    h
}

/// The headers of every answer the proxy gives (its own and Iamport's passed
/// on): always JSON, never sniffed, never cached (look-ups carry personal data).
pub const ANSWER_HEADERS: [(&str, &str); 3] = [
    ("content-type", "application/json; charset=utf-8"),
    ("x-content-type-options", "nosniff"),
    ("cache-control", "no-store"),
];

/// Checks `allowedOrigins` and `allowCredentials` at `createProxy`.
///
/// # Errors
/// The `TypeError` message.
pub fn check_origins_option(allowed: &[String], allow_credentials: bool) -> Result<(), String> {
    for o in allowed {
        if o == "null" {
            return Err("createProxy: allowedOrigins must not list \"null\" (every sandboxed frame and file: page shares it)".into());
        }
        if o != "*" && !(o.starts_with("https://") || o.starts_with("http://")) {
            return Err(
                "createProxy: allowedOrigins holds exact origins (https://shop.example) or \"*\""
                    .into(),
            );
        }
    }
    if allow_credentials && (allowed.is_empty() || allowed.iter().any(|o| o == "*")) {
        return Err(
            "createProxy: allowCredentials needs allowedOrigins listing exact origins, never \"*\""
                .into(),
        );
    }
    Ok(())
}

/// Whether a `Content-Type` is JSON (`application/json`, any parameters).
pub fn is_json_content_type(ct: Option<&str>) -> bool {
    ct.and_then(|c| c.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}

/// Parses a JSON body strictly.
///
/// # Errors
/// `MALFORMED_JSON` (400).
pub fn parse_body(bytes: &[u8]) -> Result<Value, ProxyError> {
    parse_json_bytes(bytes).map_err(|e| {
        let msg = match e {
            JsonError::InvalidUtf8 => "body is not valid UTF-8",
            JsonError::Syntax(_) => "body is not valid JSON",
            JsonError::TooDeep => "body is nested too deeply",
            JsonError::NumberOutOfRange => "a number in the body is out of range",
        };
        ProxyError::new(ProxyCode::MalformedJson, msg)
    })
}
