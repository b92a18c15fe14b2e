//! iamport-sandbox: a local server that behaves like the Iamport (PortOne V1)
//! REST API for the endpoints iamport-keyin speaks, with test cards and fault
//! injection. State lives in memory.
//!
//! The Iamport routes are an axum [`Router`] built from iamport-keyin's
//! operation table ([`iamport_keyin::api::operation::OPERATIONS`], see
//! [`routes`]); requests are validated with the library's own builders (the
//! KCP profile), reading their arguments exactly as the proxy does. Like
//! Iamport, it ignores body fields it does not use (listed at
//! `GET /__sandbox/warnings`, see [`lenient`]); with `--strict` it refuses
//! exactly what the library refuses. Fault injection, the
//! per-route counters and the log are one middleware around those routes
//! ([`faults`]); the `/__sandbox/…` control endpoints sit beside them.
//! Webhooks go out from background tasks ([`webhook`]).
//! Logs never contain card data: only the method, the route template and the
//! status are logged.
#![forbid(unsafe_code)]

pub mod cards;
mod control;
mod faults;
pub mod form;
pub mod lenient;
pub mod routes;
pub mod store;
mod webhook;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::{Extension, Request};
use axum::http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode};
use axum::middleware::{self, Next};
use axum::response::IntoResponse;
use axum::Router;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use serde_json::Value as Json;
use tokio::net::TcpListener;
use tokio::sync::Notify;

pub use routes::{iamport_routes, Endpoint, Route, EXTRA_ROUTES};
use store::{Reply, Store};

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
    /// Where webhooks go when the request gave no `notice_url` (none: not sent).
    pub webhook_url: Option<String>,
    /// Refuse what the builders refuse (`--strict`): no unknown body field is
    /// ignored, and a billing key's body `customer_uid` is refused.
    pub strict: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            imp_key: "sandbox_key".into(),
            imp_secret: "sandbox_secret".into(),
            token_ttl: 1800,
            slow_ms: 2000,
            log: false,
            webhook_url: None,
            strict: false,
        }
    }
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
    faults: Vec<faults::Fault>,
    /// Requests per `"METHOD template"` (`(unknown)` for a path no route matches).
    stats: BTreeMap<String, u64>,
    /// Requests per `Tier` header value (agency accounts).
    tiers: BTreeMap<String, u64>,
    slow_ms: Option<u64>,
    /// Every webhook delivery, in creation order.
    deliveries: Vec<webhook::Delivery>,
    /// What was accepted although the builders would refuse it.
    warnings: lenient::Warnings,
}

/// The sandbox: configuration plus shared state.
#[derive(Debug, Clone)]
pub struct Sandbox {
    config: Arc<Config>,
    inner: Arc<Mutex<Inner>>,
    /// The last webhook delivery id. Outside [`Inner`] so that a reset never
    /// reuses an id a delivery still in flight holds.
    delivery_seq: Arc<AtomicU64>,
}

/// Lets a handler or layer close its own connection without answering.
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
            delivery_seq: Arc::new(AtomicU64::new(0)),
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

    /// The whole app: the Iamport routes (with their 404 fallback) under the
    /// fault/stats/log layer, the control routes beside them (not counted, never
    /// faulted), and CORS preflight answered before any of it.
    fn router(&self) -> Router {
        let iamport =
            routes::router().layer(middleware::from_fn_with_state(self.clone(), faults::layer));
        Router::new()
            .merge(control::router())
            .merge(iamport)
            .layer(middleware::from_fn(preflight))
            .with_state(self.clone())
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

/// `OPTIONS` on any path: 204 with the CORS headers (browser tests call the
/// sandbox directly). Not counted, never faulted.
async fn preflight(req: Request, next: Next) -> Response<Body> {
    if req.method() == Method::OPTIONS {
        let mut res = Response::new(Body::empty());
        *res.status_mut() = StatusCode::NO_CONTENT;
        cors(res.headers_mut());
        return res;
    }
    next.run(req).await
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

/// The reply as an HTTP answer; what to do after it ([`store::After`]) rides
/// in the response's extensions for the fault layer to carry out.
impl IntoResponse for Reply {
    fn into_response(self) -> Response<Body> {
        let mut res = respond(self.status, &self.body);
        res.extensions_mut().insert(self.after);
        res
    }
}
