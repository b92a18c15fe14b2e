//! iamport-sandbox: a local server that behaves like the Iamport (PortOne V1)
//! REST API for the endpoints iamport-keyin speaks, with test cards and fault
//! injection. State lives in memory.
//!
//! Requests are validated with iamport-keyin's own builders (the KCP profile),
//! so the sandbox refuses exactly what the library refuses. Logs never contain
//! card data: only the method, the route template and the status are logged.
#![forbid(unsafe_code)]

pub mod cards;
pub mod form;
pub mod store;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::{Extension, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode, Uri};
use axum::Router;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use iamport_keyin::api::request::percent_decode_segment as decode_segment;
use iamport_keyin::api::{self, body::Body as WireBody, BuildOptions, PgProfile, Value};
use serde_json::{json, Value as Json};
use tokio::net::TcpListener;
use tokio::sync::Notify;

use store::{envelope, After, Reply, Store};

/// Settings, from the command line.
#[derive(Debug, Clone)]
pub struct Config {
    /// The REST API key getToken accepts.
    pub imp_key: String,
    /// The REST API secret getToken accepts.
    pub imp_secret: String,
    /// Token lifetime in seconds (Iamport: 1800).
    pub token_ttl: i64,
    /// The delay of the "slow" test card, in milliseconds.
    pub slow_ms: u64,
    /// Print one line per request (method, route template, status) to stderr.
    pub log: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            imp_key: "sandbox_key".into(),
            imp_secret: "sandbox_secret".into(),
            token_ttl: 1800,
            slow_ms: 2000,
            log: false,
        }
    }
}

/// A fault to inject into the next requests to one path.
#[derive(Debug, Clone)]
struct Fault {
    path: String,
    mode: FaultMode,
    remaining: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FaultMode {
    Status500,
    Drop,
    Delay(u64),
}

#[derive(Debug)]
struct Token {
    value: String,
    expires_at: i64,
}

/// Everything mutable, behind one lock.
#[derive(Debug, Default)]
struct Inner {
    store: Store,
    /// Seconds added to the wall clock (`POST /__sandbox/clock`).
    clock_offset: i64,
    token: Option<Token>,
    token_seq: u64,
    get_token_failures: u64,
    faults: Vec<Fault>,
    stats: BTreeMap<String, u64>,
    /// Requests per `Tier` header value (agency accounts).
    tiers: BTreeMap<String, u64>,
    slow_ms: Option<u64>,
}

/// The sandbox: configuration plus shared state.
#[derive(Debug, Clone)]
pub struct Sandbox {
    config: Arc<Config>,
    inner: Arc<Mutex<Inner>>,
}

/// Lets a handler close its own connection without answering.
#[derive(Clone, Debug)]
struct Killer(Arc<Notify>);

fn wall_clock() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

impl Sandbox {
    /// A sandbox with empty state.
    pub fn new(config: Config) -> Self {
        Sandbox {
            config: Arc::new(config),
            inner: Arc::new(Mutex::new(Inner::default())),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock would poison it; the data is still consistent
        // enough for a test server, so keep serving.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The sandbox clock (UNIX seconds): the wall clock plus the offset set at
    /// `POST /__sandbox/clock`. Tokens and schedules both use it.
    pub fn now(&self) -> i64 {
        wall_clock() + self.lock().clock_offset
    }

    /// Serves on `listener` until the process ends.
    ///
    /// # Errors
    /// Only if accepting connections fails.
    pub async fn serve(self, listener: TcpListener) -> std::io::Result<()> {
        let router = self.router();
        loop {
            let (stream, _) = listener.accept().await?;
            let kill = Arc::new(Notify::new());
            let app = router.clone().layer(Extension(Killer(kill.clone())));
            tokio::spawn(async move {
                let conn = hyper::server::conn::http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app));
                tokio::select! {
                    _ = conn => {}
                    // Dropping the connection future closes the socket with no answer.
                    () = kill.notified() => {}
                }
            });
        }
    }

    /// Binds `addr` and serves in a background task; returns the bound address.
    ///
    /// # Errors
    /// If the address cannot be bound.
    pub async fn spawn(self, addr: SocketAddr) -> std::io::Result<SocketAddr> {
        let listener = TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        tokio::spawn(self.serve(listener));
        Ok(local)
    }

    fn router(&self) -> Router {
        Router::new().fallback(handle).with_state(self.clone())
    }
}

fn cors(h: &mut HeaderMap) {
    h.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    h.insert(
        "access-control-allow-methods",
        HeaderValue::from_static("GET, POST, DELETE, OPTIONS"),
    );
    h.insert(
        "access-control-allow-headers",
        HeaderValue::from_static("authorization, content-type, x-imptokenheader, tier"),
    );
    h.insert("access-control-max-age", HeaderValue::from_static("600"));
}

fn respond(status: u16, body: &Json) -> Response<Body> {
    let (text, ctype) = match body {
        Json::String(html) => (html.clone(), "text/html; charset=utf-8"),
        other => (other.to_string(), "application/json; charset=utf-8"),
    };
    let mut res = Response::new(Body::from(text));
    *res.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    cors(res.headers_mut());
    res
}

/// The route a request addresses: its template (for stats and logs) and the
/// decoded path parameters.
fn route_of(method: &Method, path: &str) -> (String, Vec<String>) {
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let m = method.as_str();
    let params = |idx: &[usize]| {
        idx.iter()
            .filter_map(|&i| segs.get(i).and_then(|s| decode_segment(s)))
            .collect::<Vec<_>>()
    };
    let (template, params): (&str, Vec<String>) = match segs.as_slice() {
        ["users", "getToken"] => ("/users/getToken", vec![]),
        ["subscribe", "payments", "onetime"] => ("/subscribe/payments/onetime", vec![]),
        ["subscribe", "payments", "again"] => ("/subscribe/payments/again", vec![]),
        ["subscribe", "payments", "schedule"] => ("/subscribe/payments/schedule", vec![]),
        ["subscribe", "payments", "unschedule"] => ("/subscribe/payments/unschedule", vec![]),
        ["subscribe", "payments", "schedule", "customers", _] => (
            "/subscribe/payments/schedule/customers/{customer_uid}",
            params(&[4]),
        ),
        ["subscribe", "payments", "schedule", _] => {
            ("/subscribe/payments/schedule/{merchant_uid}", params(&[3]))
        }
        ["subscribe", "customers"] => ("/subscribe/customers", vec![]),
        ["subscribe", "customers", _] => ("/subscribe/customers/{customer_uid}", params(&[2])),
        ["payments", "find", _] => ("/payments/find/{merchant_uid}", params(&[2])),
        ["payments", "find", _, _] => ("/payments/find/{merchant_uid}/{status}", params(&[2, 3])),
        ["payments", "findAll", _] => ("/payments/findAll/{merchant_uid}", params(&[2])),
        _ => ("(unknown)", vec![]),
    };
    (format!("{m} {template}"), params)
}

/// Reads a JSON or form body into a loose value (`{}` when empty).
fn body_value(headers: &HeaderMap, body: &Bytes) -> Result<Value, Reply> {
    if body.is_empty() {
        return Ok(Value::Object(vec![]));
    }
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ctype.starts_with("application/x-www-form-urlencoded") {
        form::parse_form(body).map_err(|_| Reply::error(400, -1, "form body is malformed"))
    } else if ctype.starts_with("application/json") || ctype.is_empty() {
        api::parse_json_bytes(body).map_err(|e| Reply::error(400, -1, &e.to_string()))
    } else {
        Err(Reply::error(
            400,
            -1,
            "body must be application/json or application/x-www-form-urlencoded",
        ))
    }
}

/// A 400 listing every field error (codes and field names only: no values).
fn invalid(errors: &[iamport_keyin::FieldError]) -> Reply {
    let msg = errors
        .iter()
        .map(|e| format!("{}: {} ({})", e.field, e.message, e.code))
        .collect::<Vec<_>>()
        .join("; ");
    Reply::error(400, -1, &msg)
}

fn token_of(headers: &HeaderMap) -> Option<String> {
    if let Some(v) = headers
        .get("x-imptokenheader")
        .and_then(|v| v.to_str().ok())
    {
        return Some(v.trim().to_owned());
    }
    let auth = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    Some(
        auth.strip_prefix("Bearer ")
            .unwrap_or(auth)
            .trim()
            .to_owned(),
    )
}

async fn handle(
    State(sb): State<Sandbox>,
    Extension(killer): Extension<Killer>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    if method == Method::OPTIONS {
        let mut res = Response::new(Body::empty());
        *res.status_mut() = StatusCode::NO_CONTENT;
        cors(res.headers_mut());
        return res;
    }
    let path = uri.path().to_owned();
    if let Some(control) = path.strip_prefix("/__sandbox/") {
        let reply = control_route(&sb, &method, control, &headers, &body);
        return respond(reply.status, &reply.body);
    }
    let (label, params) = route_of(&method, &path);
    let fault = {
        let mut inner = sb.lock();
        *inner.stats.entry(label.clone()).or_insert(0) += 1;
        if let Some(tier) = headers.get("tier").and_then(|v| v.to_str().ok()) {
            *inner.tiers.entry(tier.to_owned()).or_insert(0) += 1;
        }
        let hit = inner
            .faults
            .iter_mut()
            .find(|f| f.path == path && f.remaining > 0)
            .map(|f| {
                f.remaining -= 1;
                f.mode
            });
        inner.faults.retain(|f| f.remaining > 0);
        hit
    };
    match fault {
        Some(FaultMode::Status500) => {
            return log(
                &sb,
                &label,
                500,
                respond(
                    500,
                    &envelope(-1, Some("sandbox fault: internal error"), Json::Null),
                ),
            )
        }
        Some(FaultMode::Drop) => {
            log(&sb, &label, 0, ());
            killer.0.notify_one();
            return std::future::pending().await;
        }
        Some(FaultMode::Delay(ms)) => tokio::time::sleep(Duration::from_millis(ms)).await,
        None => {}
    }
    let reply = dispatch(
        &sb,
        &method,
        &label,
        &params,
        uri.query().unwrap_or(""),
        &headers,
        &body,
    );
    match reply.after {
        After::Answer => {}
        After::Delay(ms) => tokio::time::sleep(Duration::from_millis(ms)).await,
        After::Drop => {
            log(&sb, &label, 0, ());
            killer.0.notify_one();
            return std::future::pending().await;
        }
    }
    log(
        &sb,
        &label,
        reply.status,
        respond(reply.status, &reply.body),
    )
}

/// One log line per request: method, route template, status. Never a body.
fn log<T>(sb: &Sandbox, label: &str, status: u16, value: T) -> T {
    if sb.config.log {
        if status == 0 {
            eprintln!("[sandbox] {label} -> connection dropped");
        } else {
            eprintln!("[sandbox] {label} -> {status}");
        }
    }
    value
}

fn get_token(sb: &Sandbox, headers: &HeaderMap, body: &Bytes) -> Reply {
    let v = match body_value(headers, body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let now = sb.now();
    let mut inner = sb.lock();
    if inner.get_token_failures > 0 {
        inner.get_token_failures -= 1;
        return Reply::error(500, -1, "sandbox fault: getToken failed");
    }
    let key = v.get("imp_key").and_then(Value::as_str);
    let secret = v.get("imp_secret").and_then(Value::as_str);
    if key != Some(sb.config.imp_key.as_str()) || secret != Some(sb.config.imp_secret.as_str()) {
        return Reply::error(401, -1, "Unauthorized");
    }
    // Iamport's reissue rules: the same token while valid; asked in its last
    // minute, its expiry is extended by 5 minutes; after expiry, a new one.
    let valid = inner.token.as_ref().is_some_and(|t| now < t.expires_at);
    if valid {
        if let Some(t) = inner.token.as_mut() {
            if t.expires_at - now <= 60 {
                t.expires_at += 300;
            }
        }
    } else {
        inner.token_seq += 1;
        let value = format!("sandbox_token_{:08}_{}", inner.token_seq, now);
        inner.token = Some(Token {
            value,
            expires_at: now + sb.config.token_ttl,
        });
    }
    let t = inner
        .token
        .as_ref()
        .map(|t| (t.value.clone(), t.expires_at))
        .unwrap_or_default();
    Reply::ok(json!({ "access_token": t.0, "now": now, "expired_at": t.1 }))
}

fn authorized(sb: &Sandbox, headers: &HeaderMap) -> bool {
    let now = sb.now();
    let inner = sb.lock();
    match (token_of(headers), inner.token.as_ref()) {
        (Some(given), Some(t)) => given == t.value && now < t.expires_at,
        _ => false,
    }
}

fn query_pairs(q: &str) -> Vec<(String, String)> {
    form::pairs(q.as_bytes()).unwrap_or_default()
}

/// Every (method, route) the sandbox serves besides getToken.
const ROUTES: &[(&str, &str)] = &[
    ("POST", "/subscribe/payments/onetime"),
    ("POST", "/subscribe/customers/{customer_uid}"),
    ("GET", "/subscribe/customers/{customer_uid}"),
    ("DELETE", "/subscribe/customers/{customer_uid}"),
    ("GET", "/subscribe/customers"),
    ("POST", "/subscribe/payments/again"),
    ("POST", "/subscribe/payments/schedule"),
    ("POST", "/subscribe/payments/unschedule"),
    ("GET", "/subscribe/payments/schedule/{merchant_uid}"),
    (
        "GET",
        "/subscribe/payments/schedule/customers/{customer_uid}",
    ),
    ("GET", "/payments/find/{merchant_uid}"),
    ("GET", "/payments/find/{merchant_uid}/{status}"),
    ("GET", "/payments/findAll/{merchant_uid}"),
];

fn dispatch(
    sb: &Sandbox,
    method: &Method,
    label: &str,
    params: &[String],
    query: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Reply {
    let template = label.split_once(' ').map_or("", |(_, t)| t);
    if template == "/users/getToken" {
        return if method == Method::POST {
            get_token(sb, headers, body)
        } else {
            Reply::error(405, -1, "Method Not Allowed")
        };
    }
    if template == "(unknown)" {
        return Reply::error(404, -1, "Not Found");
    }
    if !ROUTES.contains(&(method.as_str(), template)) {
        return Reply::error(405, -1, "Method Not Allowed");
    }
    if !authorized(sb, headers) {
        return Reply::error(401, -1, "Unauthorized");
    }
    let now = sb.now();
    let opts = BuildOptions {
        now,
        locale: iamport_keyin::Locale::Ko,
        pg_profile: PgProfile::Kcp,
    };
    let slow_ms = sb.lock().slow_ms.unwrap_or(sb.config.slow_ms);
    let param = |i: usize| {
        params
            .get(i)
            .map_or(Value::Null, |p| Value::String(p.clone()))
    };
    let body_v = || body_value(headers, body);
    macro_rules! built {
        ($e:expr) => {
            match $e {
                Ok(r) => r,
                Err(errors) => return invalid(&errors),
            }
        };
    }
    macro_rules! with_body {
        () => {
            match body_v() {
                Ok(v) => v,
                Err(r) => return r,
            }
        };
    }
    let mut inner = sb.lock();
    let store = &mut inner.store;
    match (method.as_str(), template) {
        ("POST", "/subscribe/payments/onetime") => {
            let req = built!(api::build_onetime_payment(&with_body!(), &opts));
            match req.body {
                Some(WireBody::OnetimePayment(b)) => store.onetime(&b, now, slow_ms),
                _ => Reply::error(500, -1, "unexpected body"),
            }
        }
        ("POST", "/subscribe/customers/{customer_uid}") => {
            let req = built!(api::build_billing_key(&param(0), &with_body!(), &opts));
            match (&req.body, params.first()) {
                (Some(WireBody::BillingKey(b)), Some(uid)) => store.billing_key(uid, b, now),
                _ => Reply::error(500, -1, "unexpected body"),
            }
        }
        ("GET", "/subscribe/customers/{customer_uid}") => {
            built!(api::build_get_billing_key(&param(0), &opts));
            store.get_customer(&params[0])
        }
        ("DELETE", "/subscribe/customers/{customer_uid}") => {
            built!(api::build_get_billing_key(&param(0), &opts));
            store.delete_customer(&params[0])
        }
        ("GET", "/subscribe/customers") => {
            let uids: Vec<Value> = query_pairs(query)
                .into_iter()
                .filter(|(k, _)| k == "customer_uid[]")
                .map(|(_, v)| Value::String(v))
                .collect();
            built!(api::build_get_billing_keys(
                &Value::Array(uids.clone()),
                &opts
            ));
            let uids: Vec<String> = uids
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            store.get_customers(&uids)
        }
        ("POST", "/subscribe/payments/again") => {
            let req = built!(api::build_again_payment(&with_body!(), &opts));
            match req.body {
                Some(WireBody::AgainPayment(b)) => store.again(&b, now, slow_ms),
                _ => Reply::error(500, -1, "unexpected body"),
            }
        }
        ("POST", "/subscribe/payments/schedule") => {
            let req = built!(api::build_schedule(&with_body!(), &opts));
            match req.body {
                Some(WireBody::SchedulePayments(b)) => store.schedule(&b, now),
                _ => Reply::error(500, -1, "unexpected body"),
            }
        }
        ("POST", "/subscribe/payments/unschedule") => {
            let req = built!(api::build_unschedule(&with_body!(), &opts));
            match req.body {
                Some(WireBody::Unschedule(b)) => store.unschedule(&b, now),
                _ => Reply::error(500, -1, "unexpected body"),
            }
        }
        ("GET", "/subscribe/payments/schedule/{merchant_uid}") => {
            built!(api::build_get_schedule(&param(0), &opts));
            store.get_schedule(&params[0])
        }
        ("GET", "/subscribe/payments/schedule/customers/{customer_uid}") => {
            let mut p: Vec<(String, Value)> = Vec::new();
            for (k, v) in query_pairs(query) {
                let key = if k == "schedule-status" {
                    "status".to_owned()
                } else {
                    k
                };
                let val = match key.as_str() {
                    "from" | "to" | "page" => {
                        v.parse::<f64>().map_or(Value::String(v), Value::Number)
                    }
                    _ => Value::String(v),
                };
                p.push((key, val));
            }
            let params_v = Value::Object(p);
            built!(api::build_get_schedules_by_customer(
                &param(0),
                &params_v,
                &opts
            ));
            let num = |k: &str| params_v.get(k).and_then(Value::as_i64);
            store.schedules_by_customer(
                &params[0],
                num("from").unwrap_or(0),
                num("to").unwrap_or(0),
                params_v.get("status").and_then(Value::as_str),
                num("page").unwrap_or(1),
            )
        }
        ("GET", "/payments/find/{merchant_uid}")
        | ("GET", "/payments/find/{merchant_uid}/{status}") => {
            built!(api::build_find_payment(&param(0), &param(1), &opts));
            store.find_payment(&params[0], params.get(1).map(String::as_str), now)
        }
        ("GET", "/payments/findAll/{merchant_uid}") => {
            built!(api::build_get_schedule(&param(0), &opts));
            let page = query_pairs(query)
                .into_iter()
                .find(|(k, _)| k == "page")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(1);
            store.find_all(&params[0], page)
        }
        _ => Reply::error(405, -1, "Method Not Allowed"),
    }
}

/// `/__sandbox/…`: the control endpoints (not counted in the stats).
fn control_route(
    sb: &Sandbox,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Reply {
    let v = || body_value(headers, body);
    match (method.as_str(), path) {
        ("GET", "cards") => Reply {
            status: 200,
            body: cards::cards_json(),
            after: After::Answer,
        },
        ("GET", "stats") => {
            let inner = sb.lock();
            let total: u64 = inner.stats.values().sum();
            Reply {
                status: 200,
                body: json!({ "total": total, "routes": inner.stats, "tiers": inner.tiers }),
                after: After::Answer,
            }
        }
        ("GET", "clock") => Reply {
            status: 200,
            body: json!({ "now": sb.now() }),
            after: After::Answer,
        },
        ("POST", "clock") => {
            let v = match v() {
                Ok(v) => v,
                Err(r) => return r,
            };
            let wall = wall_clock();
            let mut inner = sb.lock();
            if let Some(now) = v.get("now").and_then(Value::as_i64) {
                inner.clock_offset = now - wall;
            } else if let Some(adv) = v.get("advance").and_then(Value::as_i64) {
                inner.clock_offset += adv;
            } else if v.get("reset").is_some() {
                inner.clock_offset = 0;
            } else {
                return Reply::error(
                    400,
                    -1,
                    "give {\"now\": unix_seconds}, {\"advance\": seconds} or {\"reset\": true}",
                );
            }
            Reply {
                status: 200,
                body: json!({ "now": wall + inner.clock_offset }),
                after: After::Answer,
            }
        }
        ("POST", "schedules/run") => {
            let now = sb.now();
            let executed = sb.lock().store.run_due_schedules(now);
            Reply {
                status: 200,
                body: json!({ "now": now, "executed": executed }),
                after: After::Answer,
            }
        }
        ("POST", "faults") => {
            let v = match v() {
                Ok(v) => v,
                Err(r) => return r,
            };
            let mut inner = sb.lock();
            let mut applied = Vec::new();
            if v.get("expire_tokens").and_then(|b| {
                if let Value::Bool(b) = b {
                    Some(*b)
                } else {
                    None
                }
            }) == Some(true)
            {
                inner.token = None;
                applied.push("expire_tokens");
            }
            if let Some(n) = v.get("get_token_fail").and_then(Value::as_i64) {
                inner.get_token_failures = n.max(0) as u64;
                applied.push("get_token_fail");
            }
            if let Some(ms) = v.get("slow_ms").and_then(Value::as_i64) {
                inner.slow_ms = Some(ms.max(0) as u64);
                applied.push("slow_ms");
            }
            if let Some(path) = v.get("path").and_then(Value::as_str) {
                let count = v.get("count").and_then(Value::as_i64).unwrap_or(1).max(1) as u64;
                let mode = match v.get("mode").and_then(Value::as_str) {
                    Some("500") => FaultMode::Status500,
                    Some("drop") => FaultMode::Drop,
                    Some("delay") => FaultMode::Delay(
                        v.get("delay_ms")
                            .and_then(Value::as_i64)
                            .unwrap_or(1000)
                            .max(0) as u64,
                    ),
                    _ => {
                        return Reply::error(400, -1, "mode must be \"500\", \"drop\" or \"delay\"")
                    }
                };
                inner.faults.push(Fault {
                    path: path.to_owned(),
                    mode,
                    remaining: count,
                });
                applied.push("path");
            }
            if applied.is_empty() {
                return Reply::error(400, -1, "nothing to apply: give path+mode(+count,+delay_ms), expire_tokens, get_token_fail or slow_ms");
            }
            Reply {
                status: 200,
                body: json!({ "applied": applied }),
                after: After::Answer,
            }
        }
        ("POST", "reset") => {
            let mut inner = sb.lock();
            *inner = Inner::default();
            Reply {
                status: 200,
                body: json!({ "reset": true }),
                after: After::Answer,
            }
        }
        ("GET", p) if p.starts_with("payments/count/") => {
            let uid = decode_segment(p.trim_start_matches("payments/count/")).unwrap_or_default();
            let n = sb.lock().store.payment_count(&uid);
            Reply {
                status: 200,
                body: json!({ "merchant_uid": uid, "count": n }),
                after: After::Answer,
            }
        }
        _ => Reply::error(404, -1, "unknown control endpoint"),
    }
}
