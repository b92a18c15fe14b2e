//! `/__sandbox/…`: the control endpoints (cards, stats, clock, schedule runs,
//! faults, webhooks, warnings, reset, payment counts). Outside the fault layer: never
//! counted, never faulted. Any other path or method under `/__sandbox/`
//! answers 404.

use axum::body::Bytes;
use axum::extract::rejection::RawPathParamsRejection;
use axum::extract::{RawPathParams, State};
use axum::http::{HeaderMap, Uri};
use axum::routing::{any, get, post, MethodRouter};
use axum::Router;
use iamport_keyin::api::Value;
use serde_json::json;

use crate::store::{After, Reply};
use crate::{cards, faults, form, routes::body_value, wall_clock, webhook, Inner, Sandbox};

pub(crate) fn router() -> Router<Sandbox> {
    // A wrong method (HEAD included) is an unknown endpoint, as any unknown path.
    let known = |mr: MethodRouter<Sandbox>| mr.head(unknown).fallback(unknown);
    Router::new()
        .route("/__sandbox/cards", known(get(cards)))
        .route("/__sandbox/stats", known(get(stats)))
        .route("/__sandbox/clock", known(get(clock).post(set_clock)))
        .route("/__sandbox/schedules/run", known(post(run_schedules)))
        .route("/__sandbox/faults", known(post(faults::arm)))
        .route("/__sandbox/webhooks", known(get(webhook::list)))
        .route("/__sandbox/webhooks/send", known(post(webhook::send)))
        .route("/__sandbox/warnings", known(get(warnings)))
        .route("/__sandbox/reset", known(post(reset)))
        .route(
            "/__sandbox/payments/count/{*merchant_uid}",
            known(get(payment_count)),
        )
        .route("/__sandbox/", any(unknown))
        .route("/__sandbox/{*rest}", any(unknown))
}

fn answer(body: serde_json::Value) -> Reply {
    Reply {
        status: 200,
        body,
        after: After::Answer,
    }
}

async fn unknown() -> Reply {
    Reply::error(404, -1, "unknown control endpoint")
}

async fn cards() -> Reply {
    answer(cards::cards_json())
}

async fn stats(State(sb): State<Sandbox>) -> Reply {
    let inner = sb.lock();
    let total: u64 = inner.stats.values().sum();
    answer(json!({ "total": total, "routes": inner.stats, "tiers": inner.tiers }))
}

async fn clock(State(sb): State<Sandbox>) -> Reply {
    answer(json!({ "now": sb.now() }))
}

/// `{"now": unix_seconds}`, `{"advance": seconds}` or `{"reset": true}`.
async fn set_clock(State(sb): State<Sandbox>, headers: HeaderMap, body: Bytes) -> Reply {
    let v = match body_value(&headers, &body) {
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
    answer(json!({ "now": wall + inner.clock_offset }))
}

/// Executes the due schedules, then sends their webhooks (paid or failed).
async fn run_schedules(State(sb): State<Sandbox>) -> Reply {
    let now = sb.now();
    let (executed, notices) = {
        let mut inner = sb.lock();
        let executed = inner.store.run_due_schedules(now);
        (executed, inner.store.take_notices())
    };
    sb.notify(notices);
    answer(json!({ "now": now, "executed": executed }))
}

/// What the sandbox accepted although iamport-keyin's builders would refuse
/// it: `{"warnings": [{"route", "field", "rule", "count"}]}` (never a value).
async fn warnings(State(sb): State<Sandbox>) -> Reply {
    answer(sb.lock().warnings.to_json())
}

/// Forgets everything: payments, keys, schedules, tokens, faults, counters,
/// the clock offset, the warnings and the webhook deliveries (those in flight
/// finish unlisted).
async fn reset(State(sb): State<Sandbox>) -> Reply {
    *sb.lock() = Inner::default();
    answer(json!({ "reset": true }))
}

/// How many payments a merchant_uid has (the uid percent-decoded by axum;
/// one with a malformed escape, or not UTF-8 once decoded, reads as empty).
async fn payment_count(
    State(sb): State<Sandbox>,
    uri: Uri,
    params: Result<RawPathParams, RawPathParamsRejection>,
) -> Reply {
    let uid = params
        .ok()
        .filter(|_| form::escapes_well_formed(uri.path().as_bytes()))
        .and_then(|p| p.iter().next().map(|(_, v)| v.to_owned()))
        .unwrap_or_default();
    let n = sb.lock().store.payment_count(&uid);
    answer(json!({ "merchant_uid": uid, "count": n }))
}
