//! The merchant proxy's decisions, in plain Rust: routing over the allow-list,
//! origin checks, body limits, re-validation with the builders, the operation
//! handed to merchant hooks, the token cache's timing, and the proxy's own
//! error answers. The wasm adapter (`worker`) only does the I/O.

#[cfg(all(target_arch = "wasm32", feature = "proxy"))]
pub mod worker;

use serde::Serialize;

use crate::api::body::Body;
use crate::api::request::percent_decode_segment as decode_segment;
use crate::api::{self, parse_json_bytes, BuildOptions, JsonError, Request, Value};
use crate::error::FieldError;

/// The default `basePath`.
pub const DEFAULT_BASE_PATH: &str = "/iamport";
/// The default `maxBodyBytes` (16 KiB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 16 * 1024;
/// Refresh the token this long before the server says it expires.
pub const TOKEN_REFRESH_MARGIN_MS: f64 = 30_000.0;

/// An operation the proxy forwards: exactly the builders' operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum OpName {
    /// `POST /subscribe/payments/onetime`.
    Onetime,
    /// `POST /subscribe/customers/{customer_uid}`.
    BillingKey,
    /// `GET /subscribe/customers/{customer_uid}`.
    GetBillingKey,
    /// `DELETE /subscribe/customers/{customer_uid}`.
    DeleteBillingKey,
    /// `GET /subscribe/customers?customer_uid[]=…`.
    GetBillingKeys,
    /// `POST /subscribe/payments/again`.
    Again,
    /// `POST /subscribe/payments/schedule`.
    Schedule,
    /// `POST /subscribe/payments/unschedule`.
    Unschedule,
    /// `GET /subscribe/payments/schedule/{merchant_uid}`.
    GetSchedule,
    /// `GET /subscribe/payments/schedule/customers/{customer_uid}`.
    GetSchedulesByCustomer,
    /// `GET /payments/find/{merchant_uid}`: the read-only look-up for unknown outcomes.
    FindPayment,
}

impl OpName {
    /// Whether this operation charges a card (its outcome may be unknown after a timeout).
    pub fn is_charge(self) -> bool {
        matches!(self, OpName::Onetime | OpName::Again)
    }
}

/// A proxy refusal: `{"error": {"code", "message", "fields"?}}` with a status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProxyError {
    /// HTTP status.
    #[serde(skip)]
    pub status: u16,
    /// A stable code, e.g. `NOT_FOUND`, `INVALID_INPUT`.
    pub code: &'static str,
    /// A short English message; never contains input.
    pub message: String,
    /// Field errors for 400 `INVALID_INPUT`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

impl ProxyError {
    /// A refusal without field errors.
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        ProxyError {
            status,
            code,
            message: message.into(),
            fields: Vec::new(),
        }
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

/// Every error code the proxy answers with, and its status.
pub const ERROR_CODES: &[(&str, u16, &str)] = &[
    (
        "INVALID_INPUT",
        400,
        "the request failed the same checks the builders apply; `fields` lists them",
    ),
    (
        "MALFORMED_JSON",
        400,
        "the body is not valid JSON (or is nested too deep, or holds a number out of range)",
    ),
    (
        "ORIGIN_NOT_ALLOWED",
        403,
        "a cross-origin request from an origin not in allowedOrigins",
    ),
    ("FORBIDDEN", 403, "the authorize hook returned false"),
    ("NOT_FOUND", 404, "not an operation the proxy forwards"),
    (
        "METHOD_NOT_ALLOWED",
        405,
        "a known path with the wrong method",
    ),
    (
        "AMOUNT_MISMATCH",
        409,
        "the amount differs from resolveAmount's server-side price",
    ),
    (
        "BODY_TOO_LARGE",
        413,
        "the body is larger than maxBodyBytes",
    ),
    (
        "UNSUPPORTED_MEDIA_TYPE",
        415,
        "a body that is not application/json",
    ),
    (
        "HOOK_FAILED",
        500,
        "a merchant hook threw; the detail goes to the log hook only",
    ),
    (
        "MISCONFIGURED",
        500,
        "a required env binding (IMP_KEY, IMP_SECRET) is missing or IAMPORT_API_URL is invalid",
    ),
    (
        "TOKEN_FAILED",
        502,
        "getToken failed (bad credentials, upstream error)",
    ),
    (
        "UPSTREAM_UNREACHABLE",
        502,
        "the upstream could not be reached (not a charge: nothing happened)",
    ),
    (
        "OUTCOME_UNKNOWN",
        504,
        "a charge timed out or its connection failed: look the merchant_uid up, never re-send",
    ),
    ("UPSTREAM_TIMEOUT", 504, "a non-charge request timed out"),
];

/// A matched route: the operation and its decoded path parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The operation.
    pub op: OpName,
    /// Path parameters, percent-decoded (not yet validated).
    pub params: Vec<String>,
}

/// Matches `method` and the URL path against the allow-list under `base_path`.
/// Paths match exactly (case-sensitive, no trailing slash, no `.`/`..`
/// segments); uid segments are percent-decoded and left to the builders.
///
/// # Errors
/// `NOT_FOUND` (404) or `METHOD_NOT_ALLOWED` (405).
pub fn route(method: &str, path: &str, base_path: &str) -> Result<Route, ProxyError> {
    let not_found = || ProxyError::new(404, "NOT_FOUND", "not found");
    let rest = path
        .strip_prefix(base_path)
        .filter(|r| r.starts_with('/'))
        .ok_or_else(not_found)?;
    let segs: Vec<&str> = rest[1..].split('/').collect();
    if segs.iter().any(|s| s.is_empty() || *s == "." || *s == "..") {
        return Err(not_found());
    }
    let param = |i: usize| {
        segs.get(i)
            .and_then(|s| decode_segment(s))
            .ok_or_else(not_found)
    };
    let (allowed, op, params): (&[&str], OpName, Vec<String>) = match segs.as_slice() {
        ["subscribe", "payments", "onetime"] => (&["POST"], OpName::Onetime, vec![]),
        ["subscribe", "payments", "again"] => (&["POST"], OpName::Again, vec![]),
        ["subscribe", "payments", "schedule"] => (&["POST"], OpName::Schedule, vec![]),
        ["subscribe", "payments", "unschedule"] => (&["POST"], OpName::Unschedule, vec![]),
        ["subscribe", "payments", "schedule", "customers", _] => {
            (&["GET"], OpName::GetSchedulesByCustomer, vec![param(4)?])
        }
        ["subscribe", "payments", "schedule", _] => {
            (&["GET"], OpName::GetSchedule, vec![param(3)?])
        }
        ["subscribe", "customers"] => (&["GET"], OpName::GetBillingKeys, vec![]),
        ["subscribe", "customers", _] => {
            let op = match method {
                "GET" => OpName::GetBillingKey,
                "DELETE" => OpName::DeleteBillingKey,
                _ => OpName::BillingKey,
            };
            (&["GET", "POST", "DELETE"], op, vec![param(2)?])
        }
        ["payments", "find", _] => (&["GET"], OpName::FindPayment, vec![param(2)?]),
        _ => return Err(not_found()),
    };
    if allowed.contains(&method) {
        Ok(Route { op, params })
    } else {
        Err(ProxyError::new(
            405,
            "METHOD_NOT_ALLOWED",
            "method not allowed",
        ))
    }
}

/// What to do about the request's `Origin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginDecision {
    /// No `Origin`, or the proxy's own: serve, with no CORS headers.
    SameOrigin,
    /// An allowed cross origin: serve, echoing it in CORS headers.
    Allowed(String),
    /// Refuse with 403 before anything else.
    Refused,
}

/// Decides on the `Origin` header. With no `allowed_origins`, only same-origin
/// requests are served (and no CORS headers are ever sent).
pub fn check_origin(
    origin: Option<&str>,
    own_origin: &str,
    allowed_origins: &[String],
) -> OriginDecision {
    match origin {
        None => OriginDecision::SameOrigin,
        Some(o) if o == own_origin => OriginDecision::SameOrigin,
        Some(o) if allowed_origins.iter().any(|a| a == o || a == "*") => {
            OriginDecision::Allowed(o.to_owned())
        }
        Some(_) => OriginDecision::Refused,
    }
}

/// The CORS headers for an allowed origin. `requested` is a preflight's
/// `Access-Control-Request-Headers`: echoed when it is a plain header list (the
/// merchant's own headers, e.g. a CSRF token, must pass), else a default list.
pub fn cors_headers(origin: &str, requested: Option<&str>) -> [(&'static str, String); 5] {
    let plain = |h: &&str| {
        !h.is_empty()
            && h.len() <= 512
            && h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b',' | b' '))
    };
    let allow = requested
        .filter(plain)
        .unwrap_or("content-type, authorization, x-requested-with");
    [
        ("access-control-allow-origin", origin.to_owned()),
        (
            "access-control-allow-methods",
            "GET, POST, DELETE, OPTIONS".to_owned(),
        ),
        ("access-control-allow-headers", allow.to_owned()),
        ("access-control-max-age", "600".to_owned()),
        ("vary", "Origin".to_owned()),
    ]
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
        ProxyError::new(400, "MALFORMED_JSON", msg)
    })
}

/// What merchant hooks see: names, uids and amounts, **never card fields**.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationInfo {
    /// The operation's name (`onetime`, `again`, …).
    pub name: OpName,
    /// The order id, for charges and look-ups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_uid: Option<String>,
    /// The billing key id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_uid: Option<String>,
    /// Several uids (multi look-ups, unschedule, schedules).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub merchant_uids: Vec<String>,
    /// Several billing key ids.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub customer_uids: Vec<String>,
    /// The amount of a charge (or the sum of a schedule's charges).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<u64>,
    /// The order name (`name` in Iamport's body).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_name: Option<String>,
    /// The buyer's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_name: Option<String>,
}

/// A request that passed every check: what to send upstream, and what hooks see.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The exact upstream request, rebuilt by the builders (never the raw body).
    pub request: Request,
    /// The operation for the hooks.
    pub operation: OperationInfo,
}

fn info(name: OpName) -> OperationInfo {
    OperationInfo {
        name,
        merchant_uid: None,
        customer_uid: None,
        merchant_uids: Vec::new(),
        customer_uids: Vec::new(),
        amount: None,
        order_name: None,
        buyer_name: None,
    }
}

/// Parses a query string into loose pairs (percent-decoded; `+` is a space).
fn query_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let dec = |s: &str| decode_segment(&s.replace('+', " "));
            Some((dec(k)?, dec(v)?))
        })
        .collect()
}

/// Re-validates a routed request with the builders and derives the hook view.
/// `body` is the parsed JSON body for POSTs; `query` the raw query string.
///
/// # Errors
/// `INVALID_INPUT` (400) with every field error.
pub fn prepare(
    route: &Route,
    body: Option<&Value>,
    query: &str,
    opts: &BuildOptions,
) -> Result<Prepared, ProxyError> {
    let p = |i: usize| {
        route
            .params
            .get(i)
            .map_or(Value::Null, |s| Value::String(s.clone()))
    };
    let empty = Value::Object(Vec::new());
    let body = body.unwrap_or(&empty);
    let built = match route.op {
        OpName::Onetime => api::build_onetime_payment(body, opts),
        OpName::BillingKey => api::build_billing_key(&p(0), body, opts),
        OpName::GetBillingKey => api::build_get_billing_key(&p(0), opts),
        OpName::DeleteBillingKey => {
            let reason = query_pairs(query)
                .into_iter()
                .find(|(k, _)| k == "reason")
                .map_or(Value::Null, |(_, v)| Value::String(v));
            api::build_delete_billing_key(&p(0), &reason, opts)
        }
        OpName::GetBillingKeys => {
            let uids = query_pairs(query)
                .into_iter()
                .filter(|(k, _)| k == "customer_uid[]")
                .map(|(_, v)| Value::String(v))
                .collect();
            api::build_get_billing_keys(&Value::Array(uids), opts)
        }
        OpName::Again => api::build_again_payment(body, opts),
        OpName::Schedule => api::build_schedule(body, opts),
        OpName::Unschedule => api::build_unschedule(body, opts),
        OpName::GetSchedule => api::build_get_schedule(&p(0), opts),
        OpName::GetSchedulesByCustomer => {
            let mut fields = Vec::new();
            for (k, v) in query_pairs(query) {
                let key = if k == "schedule-status" {
                    "status".to_owned()
                } else {
                    k
                };
                let val = match key.as_str() {
                    "from" | "to" | "page" => v
                        .parse::<i64>()
                        .map_or(Value::String(v), |n| Value::Number(n as f64)),
                    _ => Value::String(v),
                };
                fields.push((key, val));
            }
            api::build_get_schedules_by_customer(&p(0), &Value::Object(fields), opts)
        }
        OpName::FindPayment => api::build_find_payment(&p(0), &Value::Null, opts),
    };
    let request = built.map_err(|fields| ProxyError {
        status: 400,
        code: "INVALID_INPUT",
        message: "invalid input".into(),
        fields,
    })?;
    let operation = operation_of(route, &request);
    Ok(Prepared { request, operation })
}

fn operation_of(route: &Route, request: &Request) -> OperationInfo {
    let mut op = info(route.op);
    match &request.body {
        Some(Body::OnetimePayment(b)) => {
            op.merchant_uid = Some(b.merchant_uid.clone());
            op.customer_uid = b.customer_uid.clone();
            op.amount = Some(b.amount);
            op.order_name = b.extras.name.clone();
            op.buyer_name = b.extras.buyer.buyer_name.clone();
        }
        Some(Body::AgainPayment(b)) => {
            op.merchant_uid = Some(b.merchant_uid.clone());
            op.customer_uid = Some(b.customer_uid.clone());
            op.amount = Some(b.amount);
            op.order_name = b.extras.name.clone();
            op.buyer_name = b.extras.buyer.buyer_name.clone();
        }
        Some(Body::SchedulePayments(b)) => {
            op.customer_uid = Some(b.customer_uid.clone());
            op.merchant_uids = b.schedules.iter().map(|s| s.merchant_uid.clone()).collect();
            op.amount = Some(b.schedules.iter().map(|s| s.amount).sum());
        }
        Some(Body::Unschedule(b)) => {
            op.customer_uid = b.customer_uid.clone();
            op.merchant_uids = b.merchant_uid.clone().unwrap_or_default();
        }
        Some(Body::BillingKey(b)) => {
            op.customer_uid = route.params.first().cloned();
            op.buyer_name = b.customer_name.clone();
        }
        None => match route.op {
            OpName::GetBillingKeys => {
                op.customer_uids = request.query.0.iter().map(|(_, v)| v.clone()).collect()
            }
            OpName::GetSchedule | OpName::FindPayment => {
                op.merchant_uid = route.params.first().cloned()
            }
            _ => op.customer_uid = route.params.first().cloned(),
        },
    }
    op
}

/// Checks a charge's amount against the merchant's server-side price.
///
/// # Errors
/// `AMOUNT_MISMATCH` (409).
pub fn check_amount(op: &OperationInfo, price: Option<f64>) -> Result<(), ProxyError> {
    match (op.amount, price) {
        (Some(amount), Some(price)) if amount as f64 != price => Err(ProxyError::new(
            409,
            "AMOUNT_MISMATCH",
            "the amount differs from the server-side price",
        )),
        _ => Ok(()),
    }
}

/// Sets `browser_ip` from the runtime's client-IP header, overriding the browser's value.
pub fn set_browser_ip(request: &mut Request, ip: &str) {
    if !api::read::is_ip(ip) {
        return;
    }
    match &mut request.body {
        Some(Body::OnetimePayment(b)) => b.direct.browser_ip = Some(ip.to_owned()),
        Some(Body::AgainPayment(b)) => b.direct.browser_ip = Some(ip.to_owned()),
        _ => {}
    }
}

/// A cached access token and when to stop using it (local clock, ms).
#[derive(Debug, Clone, PartialEq)]
pub struct CachedToken {
    /// The token.
    pub access_token: String,
    /// Local time (ms) after which it must be refreshed.
    pub refresh_at_ms: f64,
}

impl CachedToken {
    /// Reads getToken's `response` against the local clock: the local expiry is
    /// `local_now + (expired_at − now)` (server times, so clock skew cancels out),
    /// less a 30 s margin.
    pub fn from_response(response: &Value, local_now_ms: f64) -> Option<CachedToken> {
        let token = response.get("access_token")?.as_str()?.to_owned();
        let now = response.get("now")?.as_f64()?;
        let expired_at = response.get("expired_at")?.as_f64()?;
        let lifetime_ms = (expired_at - now) * 1000.0;
        if token.is_empty() || lifetime_ms <= 0.0 {
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

#[cfg(test)]
mod tests;
