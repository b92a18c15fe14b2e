//! `KeyinClient`'s I/O: sends built requests to the merchant's proxy with the
//! global `fetch` (pages, web workers, Node), with a timeout, and converts
//! results to JS. Every decision is made in [`super::charge`].

#[allow(unused_imports)]
use crate::prelude::*;
use alloc::rc::Rc;
use core::cell::Cell;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};

use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{AbortSignal, Response};

use super::{join, run, Answered, ClientError, Transport, TransportError, DEFAULT_TIMEOUT_MS};
use crate::api::operation::OpName;
use crate::api::{BuildOptions, PgProfile, Request, Value};
use crate::error::Locale;
use crate::js::{json_text_to_value, prop, to_js, to_value};

#[wasm_bindgen(typescript_custom_section)]
const TS_CLIENT: &'static str = r#"
/** Every code a `KeyinError` carries: the client's own, then the proxy's (`ProxyCode`). */
export type KeyinErrorCode =
  | "INVALID_INPUT" | "INVALID_CONFIG" | "NETWORK_ERROR" | "TIMEOUT" | "MALFORMED_RESPONSE" | "NOT_FOUND"
  | "IAMPORT_REFUSED" | "IAMPORT_ERROR" | "INTERNAL_ERROR" | "PROXY_ERROR"
  | "MALFORMED_JSON" | "SERVER_OWNED_FIELD" | "ORIGIN_NOT_ALLOWED" | "FORBIDDEN" | "METHOD_NOT_ALLOWED"
  | "AMOUNT_MISMATCH" | "AMOUNT_UNRESOLVED" | "BODY_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "HOOK_FAILED" | "MISCONFIGURED" | "INTERNAL" | "TOKEN_FAILED"
  | "UPSTREAM_UNREACHABLE" | "UPSTREAM_TIMEOUT" | "OUTCOME_UNKNOWN"
  | "WEBHOOK_MALFORMED" | "WEBHOOK_UNVERIFIED" | "WEBHOOK_LOOKUP_FAILED" | "WEBHOOK_UNKNOWN_PAYMENT"
  | "TOO_MANY_ATTEMPTS" | "CHALLENGE_REQUIRED" | "LIMITER_UNAVAILABLE";
/** What the client rejects with: `name` is "KeyinError". */
export interface KeyinError extends Error {
  name: "KeyinError";
  code: KeyinErrorCode;
  httpStatus: number | null;
  /** INVALID_INPUT: every field error (also from the proxy's 400). */
  errors?: FieldError[];
  fields?: FieldError[];
  /** Iamport's envelope code for IAMPORT_* errors. */
  iamportCode?: number | null;
  /** INTERNAL_ERROR during a charge: the order to look up before charging again. */
  merchantUid?: string;
  /** TOO_MANY_ATTEMPTS: seconds until the caller may try again. */
  retryAfter?: number;
}
export interface ClientOutcome extends Outcome {
  /** The outcome came from a look-up by merchant_uid after a timeout, a dropped connection or a 5xx. */
  resolvedByLookup: boolean;
  /** Why `status` is "unknown" (null otherwise). */
  unknownReason: "not_found" | "lookup_failed" | "still_ready" | "unrecognised_status" | null;
}
export interface KeyinClientOptions {
  /** The merchant proxy's base URL; relative in a page, absolute in Node and workers. */
  proxyUrl: string;
  /** Sent with every request (e.g. a CSRF token). */
  headers?: Record<string, string>;
  /** Per request, charges included. Default 30000. */
  timeoutMs?: number;
  locale?: Locale;
  credentials?: "omit" | "same-origin" | "include";
}
/** A `KeyinClient` method: one per operation (the proxy's `operations` option uses the same names). */
export type ClientOperation = "payOnetime" | "registerBillingKey" | "getBillingKey" | "deleteBillingKey" | "getBillingKeys"
  | "payAgain" | "schedule" | "unschedule" | "getSchedule" | "getSchedulesByCustomer" | "findPayment" | "getPayment";
/** One method per operation, shared by `KeyinClient` and the server client. */
export interface KeyinOperations {
  payOnetime(input: IamportInput): Promise<ClientOutcome>;
  payAgain(input: IamportInput): Promise<ClientOutcome>;
  registerBillingKey(customerUid: string, input: IamportInput): Promise<Customer>;
  getBillingKey(customerUid: string): Promise<Customer | null>;
  deleteBillingKey(customerUid: string, reason?: string): Promise<Customer>;
  getBillingKeys(customerUids: string[]): Promise<Customer[]>;
  schedule(input: IamportInput): Promise<Schedule[]>;
  unschedule(input: IamportInput): Promise<Schedule[]>;
  getSchedule(merchantUid: string): Promise<Schedule | null>;
  getSchedulesByCustomer(customerUid: string, params: { from: number; to: number; status?: "scheduled" | "executed" | "revoked"; page?: number }): Promise<Schedule[]>;
  findPayment(merchantUid: string): Promise<ClientOutcome | null>;
  /** `GET /payments/{imp_uid}`; null when there is none. */
  getPayment(impUid: string): Promise<ClientOutcome | null>;
  /** Frees the wasm-side object (optional; garbage collection does it too where supported). */
  free(): void;
}
/** Talks only to the merchant's proxy; never double-charges. */
export interface KeyinClient extends KeyinOperations {}
export class KeyinClient {
  constructor(options: KeyinClientOptions);
  readonly proxyUrl: string;
}

"#;

struct Cfg {
    base: String,
    headers: Vec<(String, String)>,
    timeout_ms: u32,
    locale: Locale,
    credentials: Option<&'static str>,
}

/// The browser/Node client of the merchant proxy. The package's entry adds
/// one method per operation (`payOnetime`, …) over [`KeyinClient::call`].
#[wasm_bindgen(skip_typescript)]
pub struct KeyinClient {
    cfg: Rc<Cfg>,
}

impl core::fmt::Debug for KeyinClient {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KeyinClient")
            .field("base", &self.cfg.base)
            .finish_non_exhaustive()
    }
}

/// A JS `Error` named `KeyinError` with a stable `code`.
pub(crate) fn keyin_error(
    code: &str,
    message: &str,
    http_status: Option<u16>,
    extra: &[(&str, JsValue)],
) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name("KeyinError");
    let set = |k: &str, v: &JsValue| {
        let _ = Reflect::set(&e, &JsValue::from_str(k), v);
    };
    set("code", &code.into());
    set(
        "httpStatus",
        &http_status.map_or(JsValue::NULL, JsValue::from),
    );
    for (k, v) in extra {
        if !v.is_undefined() {
            set(k, v);
        }
    }
    e.into()
}

pub(crate) fn config_error(message: &str) -> JsValue {
    keyin_error("INVALID_CONFIG", message, None, &[])
}

pub(crate) fn error_js(e: &ClientError) -> JsValue {
    match e {
        ClientError::InvalidInput(errors) => keyin_error(
            e.code(),
            errors
                .first()
                .map_or("invalid input", |e| e.message.as_str()),
            None,
            &[("errors", to_js(errors))],
        ),
        ClientError::Proxy {
            status,
            message,
            fields,
            retry_after,
            ..
        } => {
            let fields = fields.as_ref().map_or(JsValue::UNDEFINED, to_js);
            let retry = retry_after.map_or(JsValue::UNDEFINED, JsValue::from);
            keyin_error(
                e.code(),
                message,
                Some(*status),
                &[
                    ("fields", fields.clone()),
                    ("errors", fields),
                    ("retryAfter", retry),
                ],
            )
        }
        ClientError::Iamport {
            status,
            message,
            iamport_code,
            ..
        } => keyin_error(
            e.code(),
            message,
            Some(*status),
            &[(
                "iamportCode",
                iamport_code.map_or(JsValue::NULL, |c| JsValue::from_f64(c as f64)),
            )],
        ),
        ClientError::Timeout => {
            keyin_error(e.code(), "the proxy did not answer in time", None, &[])
        }
        ClientError::Network => keyin_error(e.code(), "the proxy could not be reached", None, &[]),
        ClientError::Unverified { message, .. } => keyin_error(e.code(), message, None, &[]),
    }
}

/// An absolute proxy URL: as given, or resolved against the page's location (`page`:
/// `location.href`, which the JS entry hands over; none outside a page or a worker).
fn resolve_base(raw: &str, page: Option<&str>) -> Result<String, JsValue> {
    let url = match web_sys::Url::new(raw) {
        Ok(u) => u,
        Err(_) => match page {
            Some(h) => web_sys::Url::new_with_base(raw, h)
                .map_err(|_| config_error("proxyUrl is not a valid URL"))?,
            None => {
                return Err(config_error(
                    "proxyUrl must be an absolute http(s) URL outside a page (Node, workers)",
                ))
            }
        },
    };
    if url.protocol() != "https:" && url.protocol() != "http:" {
        return Err(config_error("proxyUrl must be an http(s) URL"));
    }
    if !url.search().is_empty() || !url.hash().is_empty() {
        return Err(config_error("proxyUrl must not have a query or fragment"));
    }
    let mut base = url.origin();
    base.push_str(super::without_trailing_slashes(&url.pathname()));
    Ok(base)
}

/// The `headers` option, names lowercased (HTTP names are case-insensitive): set in
/// order on one object, a later name replaces an earlier one however it was written,
/// as `Headers.set` would.
fn read_headers(h: &JsValue) -> Result<Vec<(String, String)>, JsValue> {
    let mut headers = Vec::new();
    if h.is_object() {
        let keys =
            Reflect::own_keys(h).map_err(|_| config_error("headers must be a plain object"))?;
        for k in keys.iter() {
            let (Some(name), Some(value)) = (
                k.as_string(),
                Reflect::get(h, &k).ok().and_then(|v| v.as_string()),
            ) else {
                return Err(config_error("headers must map names to strings"));
            };
            headers.push((name.to_ascii_lowercase(), value));
        }
    } else if !h.is_undefined() && !h.is_null() {
        return Err(config_error("headers must be an object"));
    }
    Ok(headers)
}

#[wasm_bindgen]
impl KeyinClient {
    /// `new KeyinClient({ proxyUrl, headers?, timeoutMs?, locale?, credentials? })`;
    /// `page` is `location.href` where there is one (the JS entry passes it: a relative
    /// `proxyUrl` is resolved against it).
    ///
    /// # Errors
    /// A `KeyinError` with code `INVALID_CONFIG` for a missing or bad option.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue, page: Option<String>) -> Result<KeyinClient, JsValue> {
        if !options.is_object() {
            return Err(config_error("options must be an object with proxyUrl"));
        }
        let raw = prop(&options, "proxyUrl")
            .as_string()
            .ok_or_else(|| config_error("proxyUrl is required"))?;
        let base = resolve_base(&raw, page.as_deref())?;
        let headers = read_headers(&prop(&options, "headers"))?;
        let t = prop(&options, "timeoutMs");
        let timeout_ms = match t.as_f64() {
            None if t.is_undefined() => DEFAULT_TIMEOUT_MS,
            Some(ms) if (1.0..=600_000.0).contains(&ms) => ms as u32,
            _ => return Err(config_error("timeoutMs must be 1..600000")),
        };
        let l = prop(&options, "locale");
        let locale = match l.as_string() {
            None if l.is_undefined() => crate::js::current_locale(),
            Some(s) => {
                Locale::parse(&s).ok_or_else(|| config_error("locale must be \"ko\" or \"en\""))?
            }
            None => return Err(config_error("locale must be \"ko\" or \"en\"")),
        };
        let c = prop(&options, "credentials");
        let credentials = match c.as_string().as_deref() {
            None if c.is_undefined() => None,
            Some("omit") => Some("omit"),
            Some("same-origin") => Some("same-origin"),
            Some("include") => Some("include"),
            _ => {
                return Err(config_error(
                    "credentials must be omit, same-origin or include",
                ))
            }
        };
        Ok(KeyinClient {
            cfg: Rc::new(Cfg {
                base,
                headers,
                timeout_ms,
                locale,
                credentials,
            }),
        })
    }

    /// The absolute proxy URL requests go to.
    #[wasm_bindgen(getter, js_name = proxyUrl)]
    pub fn proxy_url(&self) -> String {
        self.cfg.base.clone()
    }

    /// Runs operation `n` (its row in `__operations`) with `args` (an array).
    /// Resolves to its answer; rejects with a `KeyinError`.
    pub fn call(&self, n: JsValue, args: JsValue) -> Promise {
        let cfg = self.cfg.clone();
        let slot = Rc::new(Slot::default());
        let transport = Web {
            slot: slot.clone(),
            cfg: cfg.clone(),
        };
        let operation = async move {
            let (op, args) = operation_call(&n, &args)?;
            let opts = BuildOptions {
                now: crate::js::now_unix(),
                locale: cfg.locale,
                pg_profile: PgProfile::Kcp,
            };
            run(&transport, op, &args, &opts)
                .await
                .map(|a| answered_js(&a))
                .map_err(|e| error_js(&e))
        };
        let mut operation: Option<Operation> = Some(Box::pin(operation));
        let mut driver = None;
        // (Promise's executor runs at once, so the driver is there when it returns.)
        let promise = Promise::new(&mut |resolve, reject: js_sys::Function| {
            driver = Some(Rc::new(Driver {
                operation: Cell::new(operation.take()),
                slot: slot.clone(),
                trapped: reject.clone().into(),
                settlers: Cell::new(Some((resolve, reject))),
            }));
        });
        if let Some(driver) = driver {
            step(driver);
        }
        promise
    }
}

/// The operation numbered `n` (its row in `__operations`, which is [`OpName::ALL`]'s
/// order: the JS entry passes the number of the method called) and its arguments
/// (`args`, an array). A number, not the method's name: no names to compare.
///
/// # Errors
/// `INVALID_INPUT` for a number that is no operation.
pub(crate) fn operation_call(n: &JsValue, args: &JsValue) -> Result<(OpName, Vec<Value>), JsValue> {
    let op = n
        .as_f64()
        .filter(|&n| crate::num::is_whole(n) && n >= 0.0)
        .and_then(|n| OpName::ALL.get(n as usize).copied())
        .ok_or_else(|| keyin_error("INVALID_INPUT", "not an operation", None, &[]))?;
    let args = if Array::is_array(args) {
        Array::from(args).iter().map(|a| to_value(&a)).collect()
    } else {
        Vec::new()
    };
    Ok((op, args))
}

/// An operation's answer as a JS value.
pub(crate) fn answered_js(a: &Answered) -> JsValue {
    match a {
        Answered::Outcome(o) => to_js(o),
        Answered::Customer(c) => to_js(c),
        Answered::Customers(c) => to_js(c),
        Answered::Schedules(s) => to_js(s),
        Answered::Schedule(s) => to_js(s),
        Answered::Refund(r) => to_js(r),
        Answered::Null => JsValue::NULL,
    }
}

/// The operations, for the JS entry: `[clientMethod, chargesNow, serverOnly][]`.
#[wasm_bindgen(js_name = __operations, skip_typescript)]
pub fn operations() -> JsValue {
    OpName::ALL
        .iter()
        .map(|o| {
            let row = Array::new();
            row.push(&o.client().into());
            row.push(&o.charges_now().into());
            row.push(&o.server_only().into());
            JsValue::from(row)
        })
        .collect::<Array>()
        .into()
}

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` (a page's, a worker's, Node's). It throws synchronously
    /// only for arguments it cannot take (a bad header name, say).
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(url: &str, init: &JsValue) -> Result<Promise, JsValue>;

    /// A promise, as far as `then` with plain functions goes.
    type Thenable;

    /// `promise.then(on_fulfilled, on_rejected)`.
    #[wasm_bindgen(method)]
    fn then(this: &Thenable, on_fulfilled: &JsValue, on_rejected: &JsValue) -> Thenable;
}

/// Calls `callback` when `promise` settles, with its value or its reason alike (one
/// callback: a callback never called would leak, with the operation it holds). If
/// the callback fails, which only a trap does (the instance is then dead), the
/// failure goes to `trapped`, the operation's `reject`: its promise rejects with
/// the trap, and the JS entry recovers (`clients.js`) as from a synchronous trap. A
/// timer's or a promise's callback that trapped would otherwise be an uncaught
/// error, and the operation's promise would never settle.
fn after(promise: &Thenable, callback: &JsValue, trapped: &JsValue) {
    promise
        .then(callback, callback)
        .then(&JsValue::UNDEFINED, trapped);
}

/// What the operation asked its transport for, and what came back: where the
/// operation (a future, polled by [`step`]) and the I/O (JS promises and timers, in
/// [`step`]'s callbacks) meet. `Cell`s, not `RefCell`s: nothing here can fail to borrow.
#[derive(Default)]
struct Slot {
    /// A request to send, or a wait (taken by [`step`]).
    asked: Cell<Option<Ask>>,
    /// The answer to the last request (taken by the transport).
    answer: Cell<Option<Answer>>,
    /// The last wait is over (taken by the transport).
    woke: Cell<bool>,
}

/// What a request came back with: the HTTP status and the parsed JSON body (`None`
/// if not JSON), or why there was no answer.
type Answer = Result<(u16, Option<Value>), TransportError>;

enum Ask {
    /// `fetch(url, init)`; `signal` is `init`'s (it tells a timeout from a network error).
    Fetch {
        url: String,
        init: JsValue,
        signal: AbortSignal,
    },
    /// `setTimeout` for this many ms.
    Sleep(u32),
}

/// The operation's transport: each call leaves what it needs in the slot and waits
/// until [`step`] has put the answer there.
struct Web {
    slot: Rc<Slot>,
    cfg: Rc<Cfg>,
}

impl Transport for Web {
    async fn send(&self, req: &Request) -> Answer {
        self.slot.asked.set(Some(fetch_of(&self.cfg, req)));
        core::future::poll_fn(|_| match self.slot.answer.take() {
            Some(answer) => Poll::Ready(answer),
            None => Poll::Pending,
        })
        .await
    }

    async fn sleep(&self, ms: u32) {
        self.slot.asked.set(Some(Ask::Sleep(ms)));
        core::future::poll_fn(|_| {
            if self.slot.woke.take() {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
        .await
    }
}

/// The operation's future, as [`step`] polls it.
type Operation = Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>;

/// One operation in flight: the future that makes its decisions (`run`), the slot it
/// talks through, and its promise's `resolve` and `reject`.
struct Driver {
    operation: Cell<Option<Operation>>,
    slot: Rc<Slot>,
    /// The promise's `reject`, for a callback that traps ([`after`]).
    trapped: JsValue,
    settlers: Cell<Option<(js_sys::Function, js_sys::Function)>>,
}

impl Driver {
    /// Settles the promise (once) and lets the operation go.
    fn settle(&self, result: Result<JsValue, JsValue>) {
        self.operation.set(None);
        if let Some((resolve, reject)) = self.settlers.take() {
            let _ = match result {
                Ok(v) => resolve.call1(&JsValue::UNDEFINED, &v),
                Err(e) => reject.call1(&JsValue::UNDEFINED, &e),
            };
        }
    }
}

/// Runs the operation until it waits for I/O, then starts that I/O, whose callback
/// steps it again; settles the promise when it ends. This is the client's whole
/// executor: the operation only ever waits on its own slot, so nothing needs waking
/// (a no-op waker) and the next step is simply the I/O's callback. It replaces
/// wasm-bindgen-futures' executor and `JsFuture` (about 7 KB of wasm).
fn step(driver: Rc<Driver>) {
    let Some(mut operation) = driver.operation.take() else {
        return; // settled already
    };
    if let Poll::Ready(result) = operation
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        return driver.settle(result);
    }
    driver.operation.set(Some(operation));
    match driver.slot.asked.take() {
        Some(Ask::Fetch { url, init, signal }) => fetch(driver, &url, &init, signal),
        Some(Ask::Sleep(ms)) => {
            let trapped = driver.trapped.clone();
            let wake = Closure::once_into_js(move |_: JsValue| {
                driver.slot.woke.set(true);
                step(driver);
            });
            // The timer resolves a promise, whose callback wakes the operation: so a
            // trap in it reaches the operation ([`after`]).
            let timer = Promise::new(&mut |resolve, _| {
                set_timeout(&resolve, f64::from(ms));
            });
            after(timer.unchecked_ref(), &wake, &trapped);
        }
        // Waiting on nothing it asked for: it never does, but a settled promise is
        // the answer, never a hang.
        None => driver.settle(Err(keyin_error(
            "INTERNAL_ERROR",
            "the client stalled",
            None,
            &[],
        ))),
    }
}

/// The `fetch` that sends `req` to the proxy, with the client's headers, credentials
/// and timeout.
fn fetch_of(cfg: &Cfg, req: &Request) -> Ask {
    let url = join(&cfg.base, &req.path_and_query());
    // The runtime's own timeout signal: no controller, closure or timer of ours.
    let signal = AbortSignal::timeout_with_f64(f64::from(cfg.timeout_ms));
    // The options and the headers as plain objects, set key by key: what fetch
    // reads from `RequestInit` and `Headers`, without their bindings (seven
    // imports) in the wasm. Names are validated by fetch itself (its rejection is
    // a network error here, as `Headers.set`'s throw was).
    let set = |o: &JsValue, k: &str, v: &JsValue| {
        let _ = Reflect::set(o, &JsValue::from_str(k), v);
    };
    // The names are lowercase (`read_headers`), so one key per name, the last
    // one given, and a body's content-type replaces the merchant's: as
    // `Headers.set` kept them.
    let headers = JsValue::from(js_sys::Object::new());
    for (k, v) in &cfg.headers {
        set(&headers, k, &JsValue::from_str(v));
    }
    if req.body.is_some() {
        set(
            &headers,
            "content-type",
            &JsValue::from_str("application/json"),
        );
    }
    let init = JsValue::from(js_sys::Object::new());
    set(&init, "method", &JsValue::from_str(req.method.as_str()));
    set(&init, "signal", &signal);
    if let Some(c) = cfg.credentials {
        set(&init, "credentials", &JsValue::from_str(c));
    }
    if let Some(body) = &req.body {
        let text = crate::json::to_json(body);
        set(&init, "body", &JsValue::from_str(&text));
    }
    set(&init, "headers", &headers);
    Ask::Fetch { url, init, signal }
}

/// Starts a `fetch`; its answer (or why there was none) goes into the slot, and the
/// operation steps on.
fn fetch(driver: Rc<Driver>, url: &str, init: &JsValue, signal: AbortSignal) {
    // One callback per promise, for its fulfilment and its rejection alike (a
    // callback never called would leak, with the operation it holds): fetch fulfils
    // with a response (an object with a numeric `status`), the body's reading with
    // a string; anything else is a rejection.
    let trapped = driver.trapped.clone();
    let answered = Closure::once_into_js(move |res: JsValue| {
        let Some(status) = Reflect::get(&res, &JsValue::from_str("status"))
            .ok()
            .and_then(|s| s.as_f64())
        else {
            return no_answer(driver, &signal);
        };
        #[cfg(feature = "test-trap")]
        if status == TEST_TRAP_STATUS {
            panic!("test trap in a client's callback");
        }
        let res: Response = res.unchecked_into();
        let Ok(text) = res.text() else {
            return no_answer(driver, &signal);
        };
        let trapped = driver.trapped.clone();
        let read = Closure::once_into_js(move |text: JsValue| {
            let Some(text) = text.as_string() else {
                return no_answer(driver, &signal);
            };
            let body = json_text_to_value(&text);
            driver.slot.answer.set(Some(Ok((status as u16, body))));
            step(driver);
        });
        after(text.unchecked_ref(), &read, &trapped);
    });
    match global_fetch(url, init) {
        Ok(sent) => after(sent.unchecked_ref(), &answered, &trapped),
        // fetch refused its arguments: no request went out. The callback answers it.
        Err(e) => drop(
            answered
                .unchecked_ref::<js_sys::Function>()
                .call1(&JsValue::UNDEFINED, &e),
        ),
    }
}

/// Test builds only (feature `test-trap`): a proxy answer with this status makes
/// the client's callback panic, as a bug there would.
#[cfg(feature = "test-trap")]
const TEST_TRAP_STATUS: f64 = 599.0;

/// Test builds only (feature `test-trap`, browser build): a promise whose callback
/// panics one microtask later, routed as a client operation's callbacks are
/// ([`after`]): it rejects with the trap.
#[cfg(all(feature = "test-trap", not(feature = "std")))]
pub(crate) fn trap_later() -> Promise {
    Promise::new(&mut |_, reject: js_sys::Function| {
        let boom = Closure::once_into_js(|_: JsValue| -> u32 {
            panic!("test trap in async work");
        });
        after(
            Promise::resolve(&JsValue::NULL).unchecked_ref(),
            &boom,
            &reject,
        );
    })
}

/// No answer came: a timeout if the signal fired, else a network error.
fn no_answer(driver: Rc<Driver>, signal: &AbortSignal) {
    let why = if signal.aborted() {
        TransportError::Timeout
    } else {
        TransportError::Network
    };
    driver.slot.answer.set(Some(Err(why)));
    step(driver);
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    pub(crate) fn set_timeout(callback: &JsValue, ms: f64) -> JsValue;
}
