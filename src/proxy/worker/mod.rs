//! The proxy's I/O adapter for workerd (and any runtime with `fetch`): reads
//! the request, calls the merchant hooks, fetches the token, forwards,
//! answers. Every decision is made by the pure functions in [`crate::proxy`].

mod direct;
mod io;
mod limit;
mod options;
mod server;
mod token;
mod ts;
mod webhook;

use std::rc::Rc;

use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::{Request as WebRequest, Response};

use self::io::{
    add_cors, answer_headers, call_hook, error_response, new_headers, read_body, response, send,
    Body,
};
use self::options::{read_env, resolve_env, user_agent, ClientIp, Options};
use crate::api::{BuildOptions, PgProfile, Request, Value};
use crate::error::Locale;
use crate::proxy::{
    after_answer, card_tag, check_origin, check_price, is_decline, is_json_content_type,
    is_webhook_path, is_workers, parse_body, prepare, price_requests, route, scopes, send_failure,
    set_browser_ip, submitted_card, trusted_ip, Admission, AfterAnswer, ClientIpRule, Cors,
    Deadline, OpName, OriginDecision, PriceAnswer, ProxyCode, ProxyError,
};

const DEFAULT_API_URL: &str = "https://api.iamport.kr";

struct Inner {
    options: Options,
    /// Catches what a `log` hook's promise rejects with: a log sink's outage must
    /// never become an unhandled rejection (which ends a Node process).
    swallow: Closure<dyn FnMut(JsValue)>,
}

/// Creates the proxy: `export default createProxy({ basePath, allowedOrigins,
/// maxBodyBytes, upstreamTimeoutMs, authorize, resolveAmount, log })`. Returns a
/// plain `{ fetch }` object, a worker module's default export.
///
/// # Errors
/// A `TypeError` for malformed options (at load, where it belongs). Missing env
/// bindings are reported per request instead, never at load.
#[wasm_bindgen(js_name = createProxy, skip_typescript)]
pub fn create_proxy(options: JsValue) -> Result<JsValue, JsValue> {
    let inner = Rc::new(Inner {
        options: options::read(&options)?,
        swallow: Closure::new(|_: JsValue| {}),
    });
    let fetch = Closure::<dyn Fn(WebRequest, JsValue, JsValue) -> Promise>::new(
        move |request: WebRequest, env: JsValue, _ctx: JsValue| {
            let inner = inner.clone();
            future_to_promise(async move {
                let started = js_sys::Date::now();
                // `raw`: the handler's second argument as the runtime passed it (a
                // worker's env; Deno's serve info; @hono/node-server's { incoming }).
                let raw = env;
                let env = resolve_env(&inner.options, &raw);
                let (response, status, op) = handle(&inner, &request, &env, &raw, started).await;
                log(
                    &inner,
                    Entry {
                        level: "info",
                        event: "request",
                        op,
                        status: Some(status),
                        ms: Some(js_sys::Date::now() - started),
                        ..Entry::default()
                    },
                );
                Ok(response.into())
            })
        },
    );
    let handler = js_sys::Object::new();
    // The proxy lives as long as the isolate (it is the module's default export),
    // so its closure is handed to JS for good.
    Reflect::set(&handler, &"fetch".into(), &fetch.into_js_value())?;
    Ok(handler.into())
}

/// One event for the merchant's `log` hook. Never holds card data: only names,
/// codes, statuses and timings (and a hook's own error message).
#[derive(Default)]
struct Entry<'a> {
    level: &'a str,
    event: &'a str,
    code: Option<ProxyCode>,
    op: Option<OpName>,
    status: Option<u16>,
    ms: Option<f64>,
    detail: Option<JsValue>,
}

fn log(inner: &Inner, e: Entry<'_>) {
    let Some(f) = &inner.options.log else { return };
    let o = js_sys::Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &v);
    };
    set("level", e.level.into());
    set("event", e.event.into());
    if let Some(c) = e.code {
        set("code", c.as_str().into());
    }
    if let Some(op) = e.op {
        set("operation", op.hook_name().into());
    }
    if let Some(s) = e.status {
        set("status", JsValue::from(s));
    }
    if let Some(ms) = e.ms {
        set("ms", JsValue::from_f64(ms));
    }
    if let Some(d) = e.detail {
        set("detail", d);
    }
    // A throwing log hook must not break the request, nor a rejecting one the process.
    if let Ok(r) = f.call1(&JsValue::NULL, &o) {
        if r.is_object() || r.is_function() {
            let _ = Promise::resolve(&r).catch(&inner.swallow);
        }
    }
}

fn hook_failed(inner: &Inner, hook: &str, op: OpName, err: JsValue) -> ProxyError {
    let detail = js_sys::Object::new();
    let _ = Reflect::set(&detail, &"hook".into(), &hook.into());
    // An Error object serialises as {}: hand the log hook its message instead.
    let message = err
        .as_string()
        .or_else(|| {
            Reflect::get(&err, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| "non-Error value thrown".to_owned());
    let _ = Reflect::set(&detail, &"error".into(), &message.into());
    log(
        inner,
        Entry {
            level: "error",
            event: "hook_failed",
            code: Some(ProxyCode::HookFailed),
            op: Some(op),
            status: Some(500),
            detail: Some(detail.into()),
            ..Entry::default()
        },
    );
    ProxyError::new(ProxyCode::HookFailed, "internal error")
}

async fn handle(
    inner: &Rc<Inner>,
    request: &WebRequest,
    env: &JsValue,
    raw: &JsValue,
    started: f64,
) -> (Response, u16, Option<OpName>) {
    let Ok(url) = web_sys::Url::new(&request.url()) else {
        let e = ProxyError::new(ProxyCode::NotFound, "not found");
        return (error_response(&e, None), e.status, None);
    };
    // The webhook route: Iamport's server, never a browser (no CORS, no operations).
    if let Some(on_payment) = &inner.options.on_payment {
        if is_webhook_path(&url.pathname(), &inner.options.base_path) {
            let (res, status) = webhook::serve(inner, on_payment, request, env, raw).await;
            return (res, status, None);
        }
    }
    // 1. Origin, before anything else.
    let origin = request.headers().get("origin").ok().flatten();
    let cors = match check_origin(
        origin.as_deref(),
        &url.origin(),
        &inner.options.allowed_origins,
        inner.options.allow_credentials,
    ) {
        OriginDecision::Refused => {
            let e = ProxyError::new(ProxyCode::OriginNotAllowed, "origin not allowed");
            log(
                inner,
                Entry {
                    level: "warn",
                    event: "origin_refused",
                    code: Some(e.code),
                    status: Some(e.status),
                    ..Entry::default()
                },
            );
            return (error_response(&e, None), e.status, None);
        }
        OriginDecision::Allowed(o) => Some(o),
        OriginDecision::SameOrigin => None,
    };
    let cors: Option<&Cors> = cors.as_ref();
    let method = request.method();
    if method == "OPTIONS" {
        let headers = new_headers();
        let requested = request
            .headers()
            .get("access-control-request-headers")
            .ok()
            .flatten();
        add_cors(&headers, cors, requested.as_deref());
        return (response(204, None, &headers), 204, None);
    }
    match serve(inner, request, env, raw, &url, &method, started).await {
        Ok((res, status, op)) => {
            // Upstream answers are passed through; add the CORS headers on the way.
            add_cors(&res.headers(), cors, None);
            (res, status, Some(op))
        }
        Err((e, op)) => {
            if e.status >= 500 {
                log(
                    inner,
                    Entry {
                        level: "error",
                        event: "refused",
                        code: Some(e.code),
                        op,
                        status: Some(e.status),
                        ..Entry::default()
                    },
                );
            }
            (error_response(&e, cors), e.status, op)
        }
    }
}

type Served = Result<(Response, u16, OpName), (ProxyError, Option<OpName>)>;

async fn serve(
    inner: &Rc<Inner>,
    request: &WebRequest,
    env: &JsValue,
    raw: &JsValue,
    url: &web_sys::Url,
    method: &str,
    started: f64,
) -> Served {
    // 2. The operation table, and the operations the merchant serves.
    let r = route(method, &url.pathname(), &inner.options.base_path).map_err(|e| (e, None))?;
    let op = r.op;
    if !inner.options.policy.serves(op) {
        return Err((ProxyError::new(ProxyCode::NotFound, "not found"), None));
    }
    let fail = |e: ProxyError| (e, Some(op));
    // 3. Body: JSON only, bounded while reading.
    let body: Option<Value> = if method == "POST" {
        let ct = request.headers().get("content-type").ok().flatten();
        if !is_json_content_type(ct.as_deref()) {
            return Err(fail(ProxyError::new(
                ProxyCode::UnsupportedMediaType,
                "body must be application/json",
            )));
        }
        let bytes = read_body(request, inner.options.max_body_bytes)
            .await
            .map_err(fail)?;
        Some(parse_body(&bytes).map_err(fail)?)
    } else {
        None
    };
    // 4. Re-validation with the same builders
    let query = url.search();
    let opts = BuildOptions {
        now: crate::js::now_unix(),
        locale: Locale::En,
        pg_profile: PgProfile::Kcp,
    };
    // (with the fields the server owns put on it).
    let hooks = &inner.options;
    let mut prepared = prepare(
        &r,
        body.as_ref(),
        query.strip_prefix('?').unwrap_or(&query),
        &opts,
        &hooks.policy.server_fields,
    )
    .map_err(fail)?;
    // 5. The hooks: they see what goes upstream (never card fields). Both hooks
    // exist (createProxy refused otherwise).
    let Some(authorize) = &hooks.authorize else {
        return Err(fail(ProxyError::new(ProxyCode::Forbidden, "forbidden")));
    };
    let op_js = crate::js::serde_js(&prepared.operation);
    match call_hook(authorize, &[request.as_ref(), &op_js, env]).await {
        // Exactly `true`: a truthy object, a string "false" or a forgotten await is a no.
        Ok(v) if v.as_bool() == Some(true) => {}
        Ok(_) => return Err(fail(ProxyError::new(ProxyCode::Forbidden, "forbidden"))),
        Err(err) => return Err(fail(hook_failed(inner, "authorize", op, err))),
    }
    for item in price_requests(&prepared.operation) {
        let Some(resolve) = &hooks.resolve_amount else {
            return Err(fail(ProxyError::new(
                ProxyCode::AmountUnresolved,
                "no server-side price for this amount",
            )));
        };
        let priced = crate::js::serde_js(&item);
        let answer = match call_hook(resolve, &[&priced, request.as_ref(), env]).await {
            Ok(v) => v.as_f64().map_or(PriceAnswer::Other, PriceAnswer::Number),
            Err(err) => return Err(fail(hook_failed(inner, "resolveAmount", op, err))),
        };
        let amount = item.operation.amount.unwrap_or(0);
        check_price(amount, answer).map_err(fail)?;
    }
    // 6. Credentials.
    let creds = credentials(env).map_err(fail)?;
    // The card a request submits, as the limits count it (a keyed hash, never the number).
    let card = hooks
        .limits
        .as_ref()
        .and_then(|_| submitted_card(op, &prepared.request))
        .map(|number| card_tag(creds.limit_salt(), number));
    // `browser_ip`: from a source the merchant trusts, or not at all.
    let ip = if op.charges_now() || card.is_some() {
        client_ip(inner, request, raw, op).await.map_err(fail)?
    } else {
        None
    };
    if op.charges_now() {
        set_browser_ip(&mut prepared.request, ip.as_deref());
    }
    // 7. The card-testing limits: nothing is forwarded past a tripped one.
    let mut gate = match (&hooks.limits, card) {
        (Some(lo), Some(tag)) => Some(
            limit_gate(
                inner,
                lo,
                request,
                env,
                &op_js,
                op,
                ip.as_deref(),
                tag,
                &creds,
            )
            .await
            .map_err(fail)?,
        ),
        _ => None,
    };
    // 8. Token, forward: one deadline for all of it.
    let deadline = Deadline::after(started, hooks.upstream_timeout_ms);
    let slot = token::slot_for(&creds);
    let mut retried = false;
    loop {
        let token = token::get_token(&slot, &creds, deadline)
            .await
            .map_err(fail)?;
        let answer = forward(&creds, &token, &prepared.request, op, deadline)
            .await
            .map_err(fail)?;
        #[cfg(feature = "test-trap")]
        if creds.trap_after_charge && op.charges_now() {
            panic!("test trap after a forwarded charge");
        }
        if after_answer(answer.status, retried) == AfterAnswer::RetryWithFreshToken {
            retried = true;
            slot.invalidate(&token);
            continue;
        }
        if let (Some(g), Body::Text(t)) = (gate.as_mut(), &answer.body) {
            let body = crate::api::json::parse_json(t).ok();
            if is_decline(answer.status, body.as_ref()) {
                g.declined(inner, op).await;
            }
        }
        // Always JSON from the shop's own origin, whatever the upstream labelled it.
        let headers = answer_headers();
        let res = match answer.body {
            Body::Text(t) => response(answer.status, Some(&t), &headers),
            Body::Stream(stream) => {
                let init = web_sys::ResponseInit::new();
                init.set_status(answer.status);
                init.set_headers(&headers);
                Response::new_with_opt_readable_stream_and_init(stream.as_ref(), &init)
                    .unwrap_or_else(|_| io::fallback_response())
            }
        };
        return Ok((res, answer.status, op));
    }
}

/// A request the limits let through, and where to count its answer.
struct Gate<'a> {
    backend: limit::Backend<'a>,
    limits: &'a crate::proxy::Limits,
    scopes: Vec<crate::proxy::Scope>,
    breaker_open: bool,
}

impl Gate<'_> {
    /// Counts a decline. The answer is given whatever happens here (it has
    /// happened); a store failure is logged.
    async fn declined(&mut self, inner: &Inner, op: OpName) {
        match self
            .backend
            .record(self.limits, &self.scopes, self.breaker_open)
            .await
        {
            Ok(events) => log_limit_events(inner, op, &events),
            Err(_) => log(
                inner,
                Entry {
                    level: "error",
                    event: "limiter_unavailable",
                    code: Some(ProxyCode::LimiterUnavailable),
                    op: Some(op),
                    ..Entry::default()
                },
            ),
        }
    }
}

fn log_limit_events(inner: &Inner, op: OpName, events: &[crate::proxy::LimitEvent]) {
    for e in events {
        log(
            inner,
            Entry {
                level: if e.event == "breaker_open" {
                    "error"
                } else {
                    "warn"
                },
                event: e.event,
                op: Some(op),
                detail: Some(crate::js::serde_js(e)),
                ..Entry::default()
            },
        );
    }
}

/// The limits, before anything is forwarded: the merchant's key, the counters,
/// and the challenge of a soft limit.
///
/// # Errors
/// `TOO_MANY_ATTEMPTS` (429), `CHALLENGE_REQUIRED` (429), `LIMITER_UNAVAILABLE`
/// (503: the store failed, and an uncounted card request is not let through),
/// `HOOK_FAILED`.
#[allow(clippy::too_many_arguments)]
async fn limit_gate<'a>(
    inner: &'a Inner,
    lo: &'a limit::LimitOptions,
    request: &WebRequest,
    env: &JsValue,
    op_js: &JsValue,
    op: OpName,
    ip: Option<&str>,
    card: Option<String>,
    creds: &Creds,
) -> Result<Gate<'a>, ProxyError> {
    let key = match &inner.options.limit_key {
        Some(f) => match call_hook(f, &[request.as_ref(), op_js, env]).await {
            Ok(v) => v.as_string(),
            Err(err) => return Err(hook_failed(inner, "limitKey", op, err)),
        },
        None => None,
    };
    let scopes = scopes(ip, key.as_deref(), creds.limit_salt());
    // No address and no key: every such caller shares one scope (fail closed). Said
    // once, so that the merchant sets `clientIp` or `limitKey`.
    let shared = scopes
        .iter()
        .any(|s| s.kind == crate::proxy::ScopeKind::Unknown);
    if shared && !lo.warned_shared.replace(true) {
        log(
            inner,
            Entry {
                level: "warn",
                event: "limits_shared_scope",
                op: Some(op),
                ..Entry::default()
            },
        );
    }
    let mut backend = limit::backend(lo, env);
    if backend.is_memory() && !lo.warned.replace(true) && is_workers(user_agent().as_deref()) {
        log(
            inner,
            Entry {
                level: "warn",
                event: "limits_per_isolate",
                op: Some(op),
                ..Entry::default()
            },
        );
    }
    let admitted = match backend.admit(&lo.limits, &scopes, card.as_deref()).await {
        Ok(a) => a,
        Err(_) => {
            let e = ProxyError::new(
                ProxyCode::LimiterUnavailable,
                "the attempt counters could not be reached",
            );
            log(
                inner,
                Entry {
                    level: "error",
                    event: "limiter_unavailable",
                    code: Some(e.code),
                    op: Some(op),
                    status: Some(e.status),
                    ..Entry::default()
                },
            );
            return Err(e);
        }
    };
    log_limit_events(inner, op, &admitted.events);
    match admitted.admission {
        Admission::Allow => {}
        Admission::Refuse { retry_after, .. } => {
            return Err(ProxyError::too_many_attempts(retry_after));
        }
        Admission::Challenge(reason) => {
            if let Some(f) = &inner.options.challenge {
                let reason_js = JsValue::from_str(reason.as_str());
                match call_hook(f, &[request.as_ref(), op_js, &reason_js, env]).await {
                    // Exactly `true`, as for authorize.
                    Ok(v) if v.as_bool() == Some(true) => {}
                    Ok(_) => {
                        return Err(ProxyError::new(
                            ProxyCode::ChallengeRequired,
                            "a challenge must be passed first",
                        ))
                    }
                    Err(err) => return Err(hook_failed(inner, "challenge", op, err)),
                }
            }
        }
    }
    Ok(Gate {
        backend,
        limits: &lo.limits,
        scopes,
        breaker_open: admitted.breaker_open,
    })
}

/// The client's address by the `clientIp` rule; `None` without a trusted source.
/// The hook gets the handler's second argument as the runtime passed it (`raw`).
///
/// # Errors
/// `HOOK_FAILED` when the `clientIp` hook throws.
async fn client_ip(
    inner: &Inner,
    request: &WebRequest,
    raw: &JsValue,
    op: OpName,
) -> Result<Option<String>, ProxyError> {
    let raw = match &inner.options.client_ip {
        ClientIp::Rule(ClientIpRule::Header(h)) => request.headers().get(h).ok().flatten(),
        ClientIp::Rule(ClientIpRule::Socket) => socket_address(request, raw),
        ClientIp::Rule(_) => None,
        ClientIp::Hook(f) => match call_hook(f, &[request.as_ref(), raw]).await {
            Ok(v) => v.as_string(),
            Err(err) => return Err(hook_failed(inner, "clientIp", op, err)),
        },
    };
    Ok(trusted_ip(raw.as_deref()))
}

/// The TCP peer's address, where the runtime hands it over with the request:
/// `@hono/node-server`'s `{ incoming }`, Deno's serve info (`remoteAddr`), Bun's
/// server (`requestIP(request)`). `None` anywhere else.
fn socket_address(request: &WebRequest, raw: &JsValue) -> Option<String> {
    use crate::js::prop;
    let node = prop(&prop(&prop(raw, "incoming"), "socket"), "remoteAddress");
    if let Some(a) = node.as_string() {
        return Some(a);
    }
    if let Some(a) = prop(&prop(raw, "remoteAddr"), "hostname").as_string() {
        return Some(a);
    }
    let request_ip = prop(raw, "requestIP");
    let f = wasm_bindgen::JsCast::dyn_ref::<js_sys::Function>(&request_ip)?;
    let found = f.call1(raw, request.as_ref()).ok()?;
    prop(&found, "address").as_string()
}

struct Creds {
    api_url: String,
    key: String,
    secret: String,
    tier: Option<String>,
    limit_salt: Option<String>,
    #[cfg(feature = "test-trap")]
    trap_after_charge: bool,
}

fn credentials(env: &JsValue) -> Result<Creds, ProxyError> {
    let env = read_env(env);
    let (Some(key), Some(secret)) = (env.imp_key, env.imp_secret.clone()) else {
        let missing = if env.imp_secret.is_some() {
            "IMP_KEY"
        } else {
            "IMP_SECRET"
        };
        return Err(ProxyError::new(
            ProxyCode::Misconfigured,
            format!("binding {missing} is missing"),
        ));
    };
    let mut creds = Creds::new(key, secret, env.api_url, env.tier).map_err(|_| {
        ProxyError::new(
            ProxyCode::Misconfigured,
            "IAMPORT_API_URL must be an http(s) URL",
        )
    })?;
    creds.limit_salt = env.limit_salt;
    #[cfg(feature = "test-trap")]
    {
        creds.trap_after_charge = env.trap_after_charge;
    }
    Ok(creds)
}

impl Creds {
    /// Credentials with the API URL checked (`https://api.iamport.kr` by default).
    ///
    /// # Errors
    /// The API URL is not http(s).
    fn new(
        key: String,
        secret: String,
        api_url: Option<String>,
        tier: Option<String>,
    ) -> Result<Creds, &'static str> {
        let api_url = api_url.unwrap_or_else(|| DEFAULT_API_URL.to_owned());
        let api_url = api_url.trim_end_matches('/').to_owned();
        if !(api_url.starts_with("https://") || api_url.starts_with("http://")) {
            return Err("apiUrl must be an http(s) URL");
        }
        Ok(Creds {
            api_url,
            key,
            secret,
            tier,
            limit_salt: None,
            #[cfg(feature = "test-trap")]
            trap_after_charge: false,
        })
    }

    /// The key of the limits' hashes: `KEYIN_LIMIT_SALT`, else the REST secret
    /// (never stored or sent anywhere by the limits).
    fn limit_salt(&self) -> &[u8] {
        self.limit_salt
            .as_deref()
            .unwrap_or(&self.secret)
            .as_bytes()
    }
}

async fn forward(
    creds: &Creds,
    token: &str,
    req: &Request,
    op: OpName,
    deadline: Deadline,
) -> Result<io::Answer, ProxyError> {
    let headers = new_headers();
    let _ = headers.set("authorization", &format!("Bearer {token}"));
    if let Some(t) = &creds.tier {
        let _ = headers.set("Tier", t);
    }
    let body = match &req.body {
        Some(b) => {
            let _ = headers.set("content-type", "application/json");
            crate::json_out::to_string(b).ok()
        }
        None => None,
    };
    let url = format!("{}{}", creds.api_url, req.path_and_query());
    // Never sent late: past the deadline the caller may have given up on it.
    let timeout = deadline.remaining(js_sys::Date::now())?;
    send(
        &url,
        req.method.as_str(),
        &headers,
        body.as_deref(),
        timeout,
        // Look-ups stream through; anything with a body (charges above all) is read whole.
        req.body.is_none(),
    )
    .await
    .map_err(|f| send_failure(op, f))
}
