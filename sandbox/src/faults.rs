//! The middleware around the Iamport routes: per-route and per-tier counters,
//! the faults armed at `POST /__sandbox/faults` (before the route runs, or,
//! for `commit_then_drop`, after it), the delay or dropped connection a test
//! card asks for, and the one log line per request.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, Response};
use axum::middleware::Next;
use iamport_keyin::api::Value;
use serde_json::{json, Value as Json};

use crate::store::{envelope, After, Reply};
use crate::{respond, routes::body_value, Killer, Sandbox};

/// A fault to inject into the next requests to one path: a request path
/// (`/payments/find/m1`) or a route template (`/payments/find/{merchant_uid}`,
/// every uid).
#[derive(Debug, Clone)]
pub(crate) struct Fault {
    path: String,
    mode: FaultMode,
    remaining: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FaultMode {
    /// HTTP 500 without running the route.
    Status500,
    /// The connection closed without running the route.
    Drop,
    /// A wait, then the route.
    Delay(u64),
    /// The route runs (its change persists), then the connection is closed
    /// without its answer.
    CommitThenDrop,
}

/// Counts the request, applies the first armed fault for its path, runs the
/// route, then drops the connection (`commit_then_drop`) or carries out the
/// reply's [`After`]. Routes and the 404 fallback are all under it; a request
/// no route matches is counted as `(unknown)`.
pub(crate) async fn layer(State(sb): State<Sandbox>, req: Request, next: Next) -> Response<Body> {
    let template = req.extensions().get::<MatchedPath>().cloned();
    let template = template.as_ref().map(MatchedPath::as_str);
    let label = format!("{} {}", req.method(), template.unwrap_or("(unknown)"));
    let killer = req.extensions().get::<Killer>().cloned();
    let fault = {
        let mut inner = sb.lock();
        *inner.stats.entry(label.clone()).or_insert(0) += 1;
        if let Some(tier) = req.headers().get("tier").and_then(|v| v.to_str().ok()) {
            *inner.tiers.entry(tier.to_owned()).or_insert(0) += 1;
        }
        let path = req.uri().path();
        let hit = inner
            .faults
            .iter_mut()
            .find(|f| (f.path == path || Some(f.path.as_str()) == template) && f.remaining > 0)
            .map(|f| {
                f.remaining -= 1;
                f.mode
            });
        inner.faults.retain(|f| f.remaining > 0);
        hit
    };
    match fault {
        Some(FaultMode::Status500) => {
            let body = envelope(-1, Some("sandbox fault: internal error"), Json::Null);
            log(&sb, &label, Some(500));
            return respond(500, &body);
        }
        Some(FaultMode::Drop) => return drop_connection(&sb, &label, killer).await,
        Some(FaultMode::Delay(ms)) => tokio::time::sleep(Duration::from_millis(ms)).await,
        Some(FaultMode::CommitThenDrop) | None => {}
    }
    let res = next.run(req).await;
    if fault == Some(FaultMode::CommitThenDrop) {
        return drop_connection(&sb, &label, killer).await;
    }
    match res.extensions().get::<After>().copied() {
        Some(After::Delay(ms)) => tokio::time::sleep(Duration::from_millis(ms)).await,
        Some(After::Drop) => return drop_connection(&sb, &label, killer).await,
        Some(After::Answer) | None => {}
    }
    log(&sb, &label, Some(res.status().as_u16()));
    res
}

/// Closes the connection without answering: never returns.
async fn drop_connection(sb: &Sandbox, label: &str, killer: Option<Killer>) -> Response<Body> {
    log(sb, label, None);
    if let Some(k) = killer {
        k.0.notify_one();
    }
    std::future::pending().await
}

/// One log line per request: method, route template, status. Never a body.
fn log(sb: &Sandbox, label: &str, status: Option<u16>) {
    if sb.config.log {
        match status {
            Some(status) => eprintln!("[sandbox] {label} -> {status}"),
            None => eprintln!("[sandbox] {label} -> connection dropped"),
        }
    }
}

/// `POST /__sandbox/faults`: `{path, mode: "500"|"drop"|"delay"|"commit_then_drop",
/// count?, delay_ms?}`, `{expire_tokens: true}`, `{get_token_fail: n}`,
/// `{slow_ms: ms}`, `{decline_schedule: merchant_uid}`, or several at once.
pub(crate) async fn arm(State(sb): State<Sandbox>, headers: HeaderMap, body: Bytes) -> Reply {
    let v = match body_value(&headers, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut inner = sb.lock();
    let mut applied = Vec::new();
    if v.get("expire_tokens") == Some(&Value::Bool(true)) {
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
    if let Some(merchant_uid) = v.get("decline_schedule").and_then(Value::as_str) {
        inner.store.decline_schedule(merchant_uid);
        applied.push("decline_schedule");
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
            Some("commit_then_drop") => FaultMode::CommitThenDrop,
            _ => {
                return Reply::error(
                    400,
                    -1,
                    "mode must be \"500\", \"drop\", \"delay\" or \"commit_then_drop\"",
                )
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
        return Reply::error(400, -1, "nothing to apply: give path+mode(+count,+delay_ms), expire_tokens, get_token_fail, slow_ms or decline_schedule");
    }
    Reply {
        status: 200,
        body: json!({ "applied": applied }),
        after: After::Answer,
    }
}
