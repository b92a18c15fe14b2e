//! The Iamport routes: one per row of iamport-keyin's operation table
//! ([`OPERATIONS`]), plus [`EXTRA_ROUTES`] (getToken and three look-ups the
//! library does not build). [`iamport_routes`] lists them and [`router`] is
//! built from that list alone, so the sandbox serves exactly the table's
//! method + path templates.
//!
//! Every operation is validated the way the proxy validates it: the path
//! parameters (percent-decoded by axum's router), the raw query and the body go
//! through [`args_from_http`](iamport_keyin::api::operation::args_from_http)
//! and then the row's builder; only a request the builder accepts reaches the
//! [`Store`](crate::store::Store). Unless `--strict`, a body field the builder
//! does not know is removed and recorded first ([`lenient`]).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter};
use axum::Router;
use iamport_keyin::api::body::Body as WireBody;
use iamport_keyin::api::operation::{Arg, OpName, OPERATIONS};
use iamport_keyin::api::{self, BuildOptions, Method, PgProfile, Value};
use serde_json::json;

use crate::store::Reply;
use crate::{form, lenient, Sandbox, Token};

/// What answers one route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// A row of the operation table.
    Op(OpName),
    /// `POST /users/getToken`.
    GetToken,
    /// `GET /payments/find/{merchant_uid}/{status}`: the newest payment in that status.
    FindWithStatus,
    /// `GET /payments/findAll/{merchant_uid}`: every attempt, paged.
    FindAll,
    /// `GET /payments/findAll/{merchant_uid}/{status}`: every attempt in that
    /// status, paged.
    FindAllWithStatus,
}

/// One Iamport route the sandbox serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// The HTTP method.
    pub method: Method,
    /// The axum path template (`{…}` is one segment).
    pub path: &'static str,
    /// What answers it.
    pub endpoint: Endpoint,
}

/// The routes served besides the operation table's.
pub const EXTRA_ROUTES: &[Route] = &[
    Route {
        method: Method::Post,
        path: "/users/getToken",
        endpoint: Endpoint::GetToken,
    },
    Route {
        method: Method::Get,
        path: "/payments/find/{merchant_uid}/{status}",
        endpoint: Endpoint::FindWithStatus,
    },
    Route {
        method: Method::Get,
        path: "/payments/findAll/{merchant_uid}",
        endpoint: Endpoint::FindAll,
    },
    Route {
        method: Method::Get,
        path: "/payments/findAll/{merchant_uid}/{status}",
        endpoint: Endpoint::FindAllWithStatus,
    },
];

/// Every Iamport route the sandbox serves: each row of [`OPERATIONS`] (its
/// method and path template), then [`EXTRA_ROUTES`]. The router is built from
/// this list and nothing else.
pub fn iamport_routes() -> Vec<Route> {
    OPERATIONS
        .iter()
        .map(|op| Route {
            method: op.method,
            path: op.path,
            endpoint: Endpoint::Op(op.name),
        })
        .chain(EXTRA_ROUTES.iter().copied())
        .collect()
}

fn filter(m: Method) -> MethodFilter {
    match m {
        Method::Get => MethodFilter::GET,
        Method::Post => MethodFilter::POST,
        Method::Delete => MethodFilter::DELETE,
    }
}

/// The Iamport routes; a path no route matches answers 404, a method a path
/// does not serve 405 (HEAD included: axum would otherwise run the GET handler).
pub(crate) fn router() -> Router<Sandbox> {
    // Per path template: its method router, and whether it serves GET.
    let mut paths: Vec<(&'static str, MethodRouter<Sandbox>, bool)> = Vec::new();
    for route in iamport_routes() {
        let i = paths
            .iter()
            .position(|(p, _, _)| *p == route.path)
            .unwrap_or_else(|| {
                paths.push((route.path, MethodRouter::new(), false));
                paths.len() - 1
            });
        let Some((_, mr, has_get)) = paths.get_mut(i) else {
            continue;
        };
        let f = filter(route.method);
        *has_get |= route.method == Method::Get;
        let m = std::mem::take(mr);
        *mr = match route.endpoint {
            Endpoint::Op(op) => m.on(f, move |State(sb): State<Sandbox>, call: Call| async move {
                serve_op(&sb, op, &call).unwrap_or_else(|r| r)
            }),
            Endpoint::GetToken => m.on(f, get_token),
            Endpoint::FindWithStatus => m.on(f, find_with_status),
            Endpoint::FindAll | Endpoint::FindAllWithStatus => m.on(f, find_all),
        };
    }
    paths
        .into_iter()
        .fold(Router::new(), |router, (path, mr, has_get)| {
            let mr = if has_get {
                mr.head(method_not_allowed)
            } else {
                mr
            };
            router.route(path, mr.fallback(method_not_allowed))
        })
        .fallback(not_found)
}

async fn not_found() -> Reply {
    Reply::error(404, -1, "Not Found")
}

async fn method_not_allowed() -> Reply {
    Reply::error(405, -1, "Method Not Allowed")
}

/// What a route handler reads of a request: the decoded path parameters in
/// template order, the raw query (without `?`), the headers and the body.
pub(crate) struct Call {
    params: Vec<String>,
    query: String,
    headers: HeaderMap,
    body: Bytes,
}

impl FromRequest<Sandbox> for Call {
    type Rejection = Response;

    async fn from_request(req: Request, sb: &Sandbox) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        // axum percent-decodes each `{…}` segment. If one is not UTF-8 once
        // decoded, or (as iamport-keyin's decoder says) holds a malformed escape,
        // which axum would keep as text, there are none: the builder reports the
        // uid missing. (Static segments with a `%` match no route.)
        let params = match RawPathParams::from_request_parts(&mut parts, sb).await {
            Ok(p) if form::escapes_well_formed(parts.uri.path().as_bytes()) => {
                p.iter().map(|(_, v)| v.to_owned()).collect()
            }
            _ => Vec::new(),
        };
        let query = parts.uri.query().unwrap_or("").to_owned();
        let headers = parts.headers.clone();
        let body = Bytes::from_request(Request::from_parts(parts, body), sb)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Call {
            params,
            query,
            headers,
            body,
        })
    }
}

/// Reads a JSON or form body into a loose value (`{}` when empty).
pub(crate) fn body_value(headers: &HeaderMap, body: &Bytes) -> Result<Value, Reply> {
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

/// A request's token checked against the current one.
struct Granted {
    now: i64,
    slow_ms: u64,
    opts: BuildOptions,
}

fn authorize(sb: &Sandbox, headers: &HeaderMap) -> Result<Granted, Reply> {
    let now = sb.now();
    let inner = sb.lock();
    let valid = match (token_of(headers), inner.token.as_ref()) {
        (Some(given), Some(t)) => given == t.value && now < t.expires_at,
        _ => false,
    };
    if !valid {
        return Err(Reply::error(401, -1, "Unauthorized"));
    }
    Ok(Granted {
        now,
        slow_ms: inner.slow_ms.unwrap_or(sb.config.slow_ms),
        opts: BuildOptions {
            now,
            locale: iamport_keyin::Locale::Ko,
            pg_profile: PgProfile::Kcp,
        },
    })
}

fn unexpected() -> Reply {
    Reply::error(500, -1, "unexpected body")
}

/// An operation: token, body (only for operations that take one), the
/// arguments as the proxy reads them, the row's builder (unknown body fields
/// ignored unless `--strict`, see [`lenient`]), then the store; then the
/// webhooks the call owes go out (in the background).
fn serve_op(sb: &Sandbox, op: OpName, call: &Call) -> Result<Reply, Reply> {
    let g = authorize(sb, &call.headers)?;
    let spec = op.spec();
    let body = if spec.args.contains(&Arg::Body) {
        Some(body_value(&call.headers, &call.body)?)
    } else {
        None
    };
    let accepted = lenient::build(
        op,
        &call.params,
        &call.query,
        body,
        &g.opts,
        sb.config.strict,
    )
    .map_err(|e| invalid(&e))?;
    let (args, req) = (accepted.args, accepted.request);
    let uid = args.first().and_then(Value::as_str).unwrap_or_default();
    let (now, slow_ms) = (g.now, g.slow_ms);
    let mut inner = sb.lock();
    let route = format!("{} {}", spec.method.as_str(), spec.path);
    for (field, rule) in &accepted.lenient {
        inner.warnings.record(&route, field, *rule);
    }
    let store = &mut inner.store;
    let reply = match op {
        OpName::PayOnetime => match &req.body {
            Some(WireBody::OnetimePayment(b)) => store.onetime(b, now, slow_ms),
            _ => unexpected(),
        },
        OpName::RegisterBillingKey => match &req.body {
            Some(WireBody::BillingKey(b)) => store.billing_key(uid, b, now),
            _ => unexpected(),
        },
        OpName::GetBillingKey => store.get_customer(uid),
        OpName::DeleteBillingKey => store.delete_customer(uid),
        OpName::GetBillingKeys => {
            let uids: Vec<String> = args
                .first()
                .and_then(Value::as_array)
                .unwrap_or_default()
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            store.get_customers(&uids)
        }
        OpName::PayAgain => match &req.body {
            Some(WireBody::AgainPayment(b)) => store.again(b, now, slow_ms),
            _ => unexpected(),
        },
        OpName::Schedule => match &req.body {
            Some(WireBody::SchedulePayments(b)) => store.schedule(b, now),
            _ => unexpected(),
        },
        OpName::Unschedule => match &req.body {
            Some(WireBody::Unschedule(b)) => store.unschedule(b, now),
            _ => unexpected(),
        },
        OpName::GetSchedule => store.get_schedule(uid),
        OpName::GetSchedulesByCustomer => {
            let params = args.get(1).unwrap_or(&Value::Null);
            let num = |k: &str| params.get(k).and_then(Value::as_i64);
            store.schedules_by_customer(
                uid,
                num("from").unwrap_or(0),
                num("to").unwrap_or(0),
                params.get("status").and_then(Value::as_str),
                num("page").unwrap_or(1),
            )
        }
        OpName::FindPayment => store.find_payment(uid, None, now),
        OpName::GetPayment => store.get_payment(uid, now),
        OpName::CancelPayment => match &req.body {
            Some(WireBody::CancelPayment(b)) => store.cancel(b, now),
            _ => unexpected(),
        },
    };
    let notices = store.take_notices();
    drop(inner);
    sb.notify(notices);
    Ok(reply)
}

fn param(call: &Call, i: usize) -> Value {
    call.params
        .get(i)
        .map_or(Value::Null, |p| Value::String(p.clone()))
}

/// `GET /payments/find/{merchant_uid}/{status}`.
async fn find_with_status(State(sb): State<Sandbox>, call: Call) -> Reply {
    let run = || {
        let g = authorize(&sb, &call.headers)?;
        let (uid, status) = (param(&call, 0), param(&call, 1));
        api::build_find_payment(&uid, &status, &g.opts).map_err(|e| invalid(&e))?;
        Ok(sb
            .lock()
            .store
            .find_payment(uid.as_str().unwrap_or_default(), status.as_str(), g.now))
    };
    run().unwrap_or_else(|r: Reply| r)
}

/// `GET /payments/findAll/{merchant_uid}[/{status}][?page=n]`.
async fn find_all(State(sb): State<Sandbox>, call: Call) -> Reply {
    let run = || {
        let g = authorize(&sb, &call.headers)?;
        let uid = param(&call, 0);
        let status = param(&call, 1);
        if status.is_null() {
            api::build_get_schedule(&uid, &g.opts).map_err(|e| invalid(&e))?;
        } else {
            // The same uid and status rules as the single look-up.
            api::build_find_payment(&uid, &status, &g.opts).map_err(|e| invalid(&e))?;
        }
        let page = form_urlencoded::parse(call.query.as_bytes())
            .find(|(k, _)| k == "page")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(1);
        Ok(sb
            .lock()
            .store
            .find_all(uid.as_str().unwrap_or_default(), status.as_str(), page))
    };
    run().unwrap_or_else(|r: Reply| r)
}

/// `POST /users/getToken`, with Iamport's reissue rules.
async fn get_token(State(sb): State<Sandbox>, call: Call) -> Reply {
    let v = match body_value(&call.headers, &call.body) {
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
