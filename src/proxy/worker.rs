//! The proxy's I/O adapter for workerd (and any runtime with `fetch`): reads
//! the request, calls the merchant hooks, caches the token, forwards, answers.
//! Every decision is made by the pure functions in [`super`].

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{
    AbortSignal, Headers, ReadableStreamDefaultReader, Request as WebRequest, RequestInit,
    Response, ResponseInit,
};

use super::{
    check_amount, check_origin, cors_headers, is_json_content_type, parse_body, prepare, route,
    set_browser_ip, CachedToken, OpName, OriginDecision, ProxyError, DEFAULT_BASE_PATH,
    DEFAULT_MAX_BODY_BYTES,
};
use crate::api::{BuildOptions, PgProfile, Request, Value};
use crate::error::Locale;
use crate::js::prop;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Result<Promise, JsValue>;
}

const DEFAULT_API_URL: &str = "https://api.iamport.kr";
const DEFAULT_UPSTREAM_TIMEOUT_MS: f64 = 25_000.0;

#[derive(Default)]
struct TokenSlot {
    cached: Option<CachedToken>,
    inflight: Option<Promise>,
}

struct Inner {
    base_path: String,
    allowed_origins: Vec<String>,
    max_body_bytes: usize,
    upstream_timeout_ms: f64,
    authorize: Option<Function>,
    resolve_amount: Option<Function>,
    log: Option<Function>,
    token: RefCell<TokenSlot>,
}

fn type_error(msg: &str) -> JsValue {
    js_sys::TypeError::new(msg).into()
}

fn hook(options: &JsValue, key: &str) -> Result<Option<Function>, JsValue> {
    let v = prop(options, key);
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else {
        v.dyn_into::<Function>()
            .map(Some)
            .map_err(|_| type_error(&format!("createProxy: {key} must be a function")))
    }
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
    let inner = Rc::new(configure(&options)?);
    let fetch = Closure::<dyn Fn(WebRequest, JsValue, JsValue) -> Promise>::new(
        move |request: WebRequest, env: JsValue, _ctx: JsValue| {
            let inner = inner.clone();
            future_to_promise(async move {
                let started = js_sys::Date::now();
                let (response, status, op) = handle(&inner, &request, &env).await;
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

fn configure(options: &JsValue) -> Result<Inner, JsValue> {
    let options = options.clone();
    if !(options.is_undefined() || options.is_null() || options.is_object()) {
        return Err(type_error("createProxy: options must be an object"));
    }
    let base_path = match prop(&options, "basePath").as_string() {
        Some(p) if p.starts_with('/') && !p.ends_with('/') && !p.contains("//") => p,
        Some(_) => {
            return Err(type_error(
                "createProxy: basePath must start with / and not end with /",
            ))
        }
        None if prop(&options, "basePath").is_undefined() => DEFAULT_BASE_PATH.to_owned(),
        None => return Err(type_error("createProxy: basePath must be a string")),
    };
    let origins = prop(&options, "allowedOrigins");
    let allowed_origins = if origins.is_undefined() || origins.is_null() {
        Vec::new()
    } else if js_sys::Array::is_array(&origins) {
        let arr = js_sys::Array::from(&origins);
        let list: Option<Vec<String>> = arr.iter().map(|o| o.as_string()).collect();
        list.ok_or_else(|| type_error("createProxy: allowedOrigins must be an array of strings"))?
    } else {
        return Err(type_error(
            "createProxy: allowedOrigins must be an array of strings",
        ));
    };
    let number = |key: &str, default: f64| -> Result<f64, JsValue> {
        let v = prop(&options, key);
        match v.as_f64() {
            None if v.is_undefined() => Ok(default),
            Some(n) if n.is_finite() && n > 0.0 => Ok(n),
            _ => Err(type_error(&format!(
                "createProxy: {key} must be a positive number"
            ))),
        }
    };
    Ok(Inner {
        base_path,
        allowed_origins,
        max_body_bytes: number("maxBodyBytes", DEFAULT_MAX_BODY_BYTES as f64)? as usize,
        upstream_timeout_ms: number("upstreamTimeoutMs", DEFAULT_UPSTREAM_TIMEOUT_MS)?,
        authorize: hook(&options, "authorize")?,
        resolve_amount: hook(&options, "resolveAmount")?,
        log: hook(&options, "log")?,
        token: RefCell::new(TokenSlot::default()),
    })
}

/// Env bindings, read per request.
struct Env {
    imp_key: Option<String>,
    imp_secret: Option<String>,
    api_url: Option<String>,
    tier: Option<String>,
}

fn read_env(env: &JsValue) -> Env {
    let s = |k: &str| prop(env, k).as_string().filter(|v| !v.is_empty());
    Env {
        imp_key: s("IMP_KEY"),
        imp_secret: s("IMP_SECRET"),
        api_url: s("IAMPORT_API_URL"),
        tier: s("IAMPORT_TIER"),
    }
}

/// One event for the merchant's `log` hook. Never holds card data: only names,
/// codes, statuses and timings (and a hook's own error message).
#[derive(Default)]
struct Entry<'a> {
    level: &'a str,
    event: &'a str,
    code: Option<&'a str>,
    op: Option<OpName>,
    status: Option<u16>,
    ms: Option<f64>,
    detail: Option<JsValue>,
}

fn log(inner: &Inner, e: Entry<'_>) {
    let Entry {
        level,
        event,
        code,
        op,
        status,
        ms,
        detail,
    } = e;
    let Some(f) = &inner.log else { return };
    let o = js_sys::Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &v);
    };
    set("level", level.into());
    set("event", event.into());
    if let Some(c) = code {
        set("code", c.into());
    }
    if let Some(op) = op {
        set("operation", crate::js::to_js(&op));
    }
    if let Some(s) = status {
        set("status", JsValue::from(s));
    }
    if let Some(ms) = ms {
        set("ms", JsValue::from_f64(ms));
    }
    if let Some(d) = detail {
        set("detail", d);
    }
    // A throwing log hook must not break the request.
    let _ = f.call1(&JsValue::NULL, &o);
}

fn json_response(status: u16, body: &str, cors: Option<&str>) -> Response {
    let headers = new_headers();
    let _ = headers.set("content-type", "application/json; charset=utf-8");
    if let Some(origin) = cors {
        for (k, v) in cors_headers(origin, None) {
            let _ = headers.set(k, &v);
        }
    }
    let init = ResponseInit::new();
    init.set_status(status);
    init.set_headers(&headers);
    Response::new_with_opt_str_and_init(Some(body), &init).unwrap_or_else(|_| fallback_response())
}

/// `Headers::new` cannot fail in a conforming runtime; keep the code total anyway.
fn new_headers() -> Headers {
    Headers::new().unwrap_or_else(|_| JsValue::UNDEFINED.unchecked_into())
}

fn fallback_response() -> Response {
    Response::new().unwrap_or_else(|_| JsValue::UNDEFINED.unchecked_into())
}

fn error_response(e: &ProxyError, cors: Option<&str>) -> Response {
    let body = js_sys::JSON::stringify(&crate::js::to_js(&e.body()))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| {
            r#"{"error":{"code":"INTERNAL","message":"internal error"}}"#.to_owned()
        });
    json_response(e.status, &body, cors)
}

/// Reads the body, refusing more than `max` bytes while reading (so a body
/// without a length cannot exhaust memory).
async fn read_body(request: &WebRequest, max: usize) -> Result<Vec<u8>, ProxyError> {
    let too_large = || ProxyError::new(413, "BODY_TOO_LARGE", "body too large");
    let has_length = match request.headers().get("content-length") {
        Ok(Some(len)) => {
            if len.trim().parse::<u64>().map_or(true, |n| n > max as u64) {
                return Err(too_large());
            }
            true
        }
        _ => false,
    };
    let Some(stream) = request.body() else {
        return Ok(Vec::new());
    };
    // With a length (checked above against `max`), the runtime delimits the body by it:
    // read it in one go. Without one (chunked), read chunk by chunk and stop at `max`.
    if has_length {
        let read = request
            .array_buffer()
            .map_err(|_| ProxyError::new(400, "MALFORMED_JSON", "body could not be read"))?;
        let buf = JsFuture::from(read)
            .await
            .map_err(|_| ProxyError::new(400, "MALFORMED_JSON", "body could not be read"))?;
        let bytes = Uint8Array::new(&buf);
        if bytes.length() as usize > max {
            return Err(too_large());
        }
        return Ok(bytes.to_vec());
    }
    let reader: ReadableStreamDefaultReader = stream
        .get_reader()
        .dyn_into()
        .map_err(|_| ProxyError::new(400, "MALFORMED_JSON", "body could not be read"))?;
    let mut out = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|_| ProxyError::new(400, "MALFORMED_JSON", "body could not be read"))?;
        if Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            == Some(true)
        {
            return Ok(out);
        }
        let value = Reflect::get(&chunk, &"value".into()).unwrap_or(JsValue::UNDEFINED);
        let bytes = Uint8Array::new(&value);
        if out.len() + bytes.length() as usize > max {
            let _ = reader.cancel();
            return Err(too_large());
        }
        let start = out.len();
        out.resize(start + bytes.length() as usize, 0);
        bytes.copy_to(&mut out[start..]);
    }
}

/// Calls a hook (sync or async). `Err` holds what it threw.
async fn call_hook(f: &Function, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    let r = match args {
        [a] => f.call1(&JsValue::NULL, a),
        [a, b] => f.call2(&JsValue::NULL, a, b),
        _ => f.call0(&JsValue::NULL),
    }?;
    if r.is_instance_of::<Promise>() {
        JsFuture::from(r.unchecked_into::<Promise>()).await
    } else {
        Ok(r)
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
            code: Some("HOOK_FAILED"),
            op: Some(op),
            status: Some(500),
            detail: Some(detail.into()),
            ..Entry::default()
        },
    );
    ProxyError::new(500, "HOOK_FAILED", "internal error")
}

async fn handle(
    inner: &Rc<Inner>,
    request: &WebRequest,
    env: &JsValue,
) -> (Response, u16, Option<OpName>) {
    let url = match web_sys::Url::new(&request.url()) {
        Ok(u) => u,
        Err(_) => {
            let e = ProxyError::new(404, "NOT_FOUND", "not found");
            return (error_response(&e, None), 404, None);
        }
    };
    // 1. Origin, before anything else.
    let origin = request.headers().get("origin").ok().flatten();
    let cors = match check_origin(origin.as_deref(), &url.origin(), &inner.allowed_origins) {
        OriginDecision::Refused => {
            let e = ProxyError::new(403, "ORIGIN_NOT_ALLOWED", "origin not allowed");
            log(
                inner,
                Entry {
                    level: "warn",
                    event: "origin_refused",
                    code: Some(e.code),
                    status: Some(403),
                    ..Entry::default()
                },
            );
            return (error_response(&e, None), 403, None);
        }
        OriginDecision::Allowed(o) => Some(o),
        OriginDecision::SameOrigin => None,
    };
    let cors_ref = cors.as_deref();
    let method = request.method();
    if method == "OPTIONS" {
        let init = ResponseInit::new();
        init.set_status(204);
        let headers = new_headers();
        let requested = request
            .headers()
            .get("access-control-request-headers")
            .ok()
            .flatten();
        if let Some(o) = cors_ref {
            for (k, v) in cors_headers(o, requested.as_deref()) {
                let _ = headers.set(k, &v);
            }
        }
        init.set_headers(&headers);
        let res = Response::new_with_opt_str_and_init(None, &init)
            .unwrap_or_else(|_| fallback_response());
        return (res, 204, None);
    }
    match serve(inner, request, env, &url, &method).await {
        Ok((res, status, op)) => {
            if let Some(o) = cors_ref {
                // Upstream answers are passed through; add the CORS headers on the way.
                for (k, v) in cors_headers(o, None) {
                    let _ = res.headers().set(k, &v);
                }
            }
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
            (error_response(&e, cors_ref), e.status, op)
        }
    }
}

type Served = Result<(Response, u16, OpName), (ProxyError, Option<OpName>)>;

async fn serve(
    inner: &Rc<Inner>,
    request: &WebRequest,
    env: &JsValue,
    url: &web_sys::Url,
    method: &str,
) -> Served {
    // 2. The allow-list.
    let path = url.pathname();
    let r = route(method, &path, &inner.base_path).map_err(|e| (e, None))?;
    let op = r.op;
    let fail = |e: ProxyError| (e, Some(op));
    // 3. Body: JSON only, bounded while reading.
    let body: Option<Value> = if method == "POST" {
        let ct = request.headers().get("content-type").ok().flatten();
        if !is_json_content_type(ct.as_deref()) {
            return Err(fail(ProxyError::new(
                415,
                "UNSUPPORTED_MEDIA_TYPE",
                "body must be application/json",
            )));
        }
        let bytes = read_body(request, inner.max_body_bytes)
            .await
            .map_err(fail)?;
        Some(parse_body(&bytes).map_err(fail)?)
    } else {
        None
    };
    // 4. Re-validation with the same builders.
    let query = url.search();
    let opts = BuildOptions {
        now: (js_sys::Date::now() / 1000.0).floor() as i64,
        locale: Locale::En,
        pg_profile: PgProfile::Kcp,
    };
    let mut prepared = prepare(
        &r,
        body.as_ref(),
        query.strip_prefix('?').unwrap_or(&query),
        &opts,
    )
    .map_err(fail)?;
    // 5. Merchant hooks: they see the operation, never card fields.
    // (Built only for a hook: it is a JSON round trip.)
    let op_js = if inner.authorize.is_some() || inner.resolve_amount.is_some() {
        crate::js::to_js(&prepared.operation)
    } else {
        JsValue::UNDEFINED
    };
    if let Some(f) = &inner.authorize {
        match call_hook(f, &[request.as_ref(), &op_js]).await {
            Ok(v) if v.is_truthy() => {}
            Ok(_) => return Err(fail(ProxyError::new(403, "FORBIDDEN", "forbidden"))),
            Err(err) => return Err(fail(hook_failed(inner, "authorize", op, err))),
        }
    }
    if let (Some(f), Some(_)) = (&inner.resolve_amount, prepared.operation.amount) {
        if op.is_charge() || op == OpName::Schedule {
            let price = match call_hook(f, &[&op_js]).await {
                Ok(v) => v.as_f64(),
                Err(err) => return Err(fail(hook_failed(inner, "resolveAmount", op, err))),
            };
            check_amount(&prepared.operation, price).map_err(fail)?;
        }
    }
    if let Ok(Some(ip)) = request.headers().get("cf-connecting-ip") {
        set_browser_ip(&mut prepared.request, ip.trim());
    }
    // 6. Credentials, token, forward.
    let env = read_env(env);
    let (Some(key), Some(secret)) = (env.imp_key.as_deref(), env.imp_secret.as_deref()) else {
        let missing = if env.imp_key.is_none() {
            "IMP_KEY"
        } else {
            "IMP_SECRET"
        };
        return Err(fail(ProxyError::new(
            500,
            "MISCONFIGURED",
            format!("binding {missing} is missing"),
        )));
    };
    let api_url = env
        .api_url
        .clone()
        .unwrap_or_else(|| DEFAULT_API_URL.to_owned());
    let api_url = api_url.trim_end_matches('/').to_owned();
    if !(api_url.starts_with("https://") || api_url.starts_with("http://")) {
        return Err(fail(ProxyError::new(
            500,
            "MISCONFIGURED",
            "IAMPORT_API_URL must be an http(s) URL",
        )));
    }
    let creds = Creds {
        api_url,
        key: key.to_owned(),
        secret: secret.to_owned(),
        tier: env.tier.clone(),
    };
    let mut retried = false;
    loop {
        let token = get_token(inner, &creds).await.map_err(fail)?;
        let (status, text, ctype) = forward(inner, &creds, &token, &prepared.request, op)
            .await
            .map_err(fail)?;
        if status == 401 && !retried {
            // A 401 means "not processed": refresh once and retry once.
            retried = true;
            invalidate(inner, &token);
            continue;
        }
        let headers = new_headers();
        let _ = headers.set(
            "content-type",
            ctype
                .as_deref()
                .unwrap_or("application/json; charset=utf-8"),
        );
        let init = ResponseInit::new();
        init.set_status(status);
        init.set_headers(&headers);
        let res = match text {
            Answer::Text(t) => Response::new_with_opt_str_and_init(Some(&t), &init),
            Answer::Stream(body) => {
                Response::new_with_opt_readable_stream_and_init(body.as_ref(), &init)
            }
        }
        .unwrap_or_else(|_| fallback_response());
        return Ok((res, status, op));
    }
}

struct Creds {
    api_url: String,
    key: String,
    secret: String,
    tier: Option<String>,
}

fn invalidate(inner: &Inner, token: &str) {
    let mut slot = inner.token.borrow_mut();
    if slot
        .cached
        .as_ref()
        .is_some_and(|t| t.access_token == token)
    {
        slot.cached = None;
    }
}

/// The cached token, or one fetch shared by every concurrent caller.
async fn get_token(inner: &Rc<Inner>, creds: &Creds) -> Result<String, ProxyError> {
    let promise = {
        let mut slot = inner.token.borrow_mut();
        if let Some(t) = slot
            .cached
            .as_ref()
            .filter(|t| t.fresh(js_sys::Date::now()))
        {
            return Ok(t.access_token.clone());
        }
        match &slot.inflight {
            Some(p) => p.clone(),
            None => {
                let p = future_to_promise(fetch_token(
                    inner.clone(),
                    creds.api_url.clone(),
                    creds.key.clone(),
                    creds.secret.clone(),
                    creds.tier.clone(),
                ));
                slot.inflight = Some(p.clone());
                p
            }
        }
    };
    let result = JsFuture::from(promise).await;
    inner.token.borrow_mut().inflight = None;
    match result {
        Ok(t) => t
            .as_string()
            .ok_or_else(|| ProxyError::new(502, "TOKEN_FAILED", "getToken failed")),
        Err(msg) => Err(ProxyError::new(
            502,
            "TOKEN_FAILED",
            msg.as_string()
                .unwrap_or_else(|| "getToken failed".to_owned()),
        )),
    }
}

async fn fetch_token(
    inner: Rc<Inner>,
    api_url: String,
    key: String,
    secret: String,
    tier: Option<String>,
) -> Result<JsValue, JsValue> {
    let body = js_sys::Object::new();
    let _ = Reflect::set(&body, &"imp_key".into(), &key.into());
    let _ = Reflect::set(&body, &"imp_secret".into(), &secret.into());
    let text = js_sys::JSON::stringify(&body)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default();
    let headers = new_headers();
    let _ = headers.set("content-type", "application/json");
    if let Some(t) = &tier {
        let _ = headers.set("Tier", t);
    }
    let (status, text, _) = send(
        &format!("{api_url}/users/getToken"),
        "POST",
        &headers,
        Some(&text),
        inner.upstream_timeout_ms,
        false,
    )
    .await
    .map_err(|_| JsValue::from_str("getToken: upstream unreachable"))?;
    let text = text.text();
    let parsed = js_sys::JSON::parse(&text)
        .ok()
        .map(|v| crate::js::to_value(&v));
    let response = parsed
        .as_ref()
        .filter(|v| v.get("code").and_then(Value::as_i64) == Some(0))
        .and_then(|v| v.get("response"));
    match (
        status,
        response.and_then(|r| CachedToken::from_response(r, js_sys::Date::now())),
    ) {
        (200, Some(t)) => {
            let token = t.access_token.clone();
            inner.token.borrow_mut().cached = Some(t);
            Ok(JsValue::from_str(&token))
        }
        (401, _) => Err(JsValue::from_str("getToken: credentials refused")),
        _ => Err(JsValue::from_str("getToken failed")),
    }
}

/// Why a send did not produce an answer.
enum SendError {
    Timeout,
    Network,
}

/// An upstream answer's body: read whole, or handed on as it streams.
enum Answer {
    Text(String),
    Stream(Option<web_sys::ReadableStream>),
}

impl Answer {
    fn text(self) -> String {
        match self {
            Answer::Text(t) => t,
            Answer::Stream(_) => String::new(),
        }
    }
}

/// One upstream call with a timeout. Returns (status, body, content-type). With
/// `stream`, the body is handed on unread once the headers are in (look-ups); else it
/// is read whole within the timeout (charges, whose outcome a cut-off body leaves unknown).
async fn send(
    url: &str,
    method: &str,
    headers: &Headers,
    body: Option<&str>,
    timeout_ms: f64,
    stream: bool,
) -> Result<(u16, Answer, Option<String>), SendError> {
    // The runtime's own timeout signal: no controller, closure or timer of ours per call.
    let signal = AbortSignal::timeout_with_f64(timeout_ms);
    let init = RequestInit::new();
    init.set_method(method);
    init.set_headers(headers);
    if let Some(b) = body {
        init.set_body(&JsValue::from_str(b));
    }
    init.set_signal(Some(&signal));
    let outcome = async {
        let resp: Response =
            JsFuture::from(global_fetch(url, &init).map_err(|_| SendError::Network)?)
                .await
                .map_err(|_| SendError::Network)?
                .unchecked_into();
        let answer = if stream {
            Answer::Stream(resp.body())
        } else {
            let text = JsFuture::from(resp.text().map_err(|_| SendError::Network)?)
                .await
                .map_err(|_| SendError::Network)?;
            Answer::Text(text.as_string().unwrap_or_default())
        };
        Ok((
            resp.status(),
            answer,
            resp.headers().get("content-type").ok().flatten(),
        ))
    }
    .await;
    match outcome {
        Err(_) if signal.aborted() => Err(SendError::Timeout),
        other => other,
    }
}

async fn forward(
    inner: &Inner,
    creds: &Creds,
    token: &str,
    req: &Request,
    op: OpName,
) -> Result<(u16, Answer, Option<String>), ProxyError> {
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
    match send(
        &url,
        req.method.as_str(),
        &headers,
        body.as_deref(),
        inner.upstream_timeout_ms,
        // Look-ups stream through; anything with a body (charges above all) is read whole.
        req.body.is_none(),
    )
    .await
    {
        Ok(answer) => Ok(answer),
        Err(kind) => {
            let timeout = matches!(kind, SendError::Timeout);
            Err(match (op.is_charge(), timeout) {
                (true, true) => ProxyError::new(504, "OUTCOME_UNKNOWN", "the charge timed out: its outcome is unknown; look the merchant_uid up, do not re-send"),
                (true, false) => ProxyError::new(502, "OUTCOME_UNKNOWN", "the connection failed during a charge: its outcome is unknown; look the merchant_uid up, do not re-send"),
                (false, true) => ProxyError::new(504, "UPSTREAM_TIMEOUT", "upstream timed out"),
                (false, false) => ProxyError::new(502, "UPSTREAM_UNREACHABLE", "upstream unreachable"),
            })
        }
    }
}
