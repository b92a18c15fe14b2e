//! `KeyinClient`'s I/O: sends built requests to the merchant's proxy with the
//! global `fetch` (pages, web workers, Node), with a timeout, and converts
//! results to JS. Every decision is made in [`super::charge`].

#[allow(unused_imports)]
use crate::prelude::*;
use alloc::rc::Rc;

use wasm_bindgen::prelude::*;

use super::{join, ClientError, ClientOptions, Operation, Step, TransportError};
use crate::api::operation::OpName;
use crate::api::{BuildOptions, PgProfile, Request, Value};
use crate::error::Locale;
use crate::js::{json_text_to_value, json_to_js, to_value};

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

/// A JS `Error` named `KeyinError` with a stable `code`, and no HTTP status.
pub(crate) fn keyin_error(code: &str, message: &str) -> JsValue {
    let mut fields = String::new();
    crate::json::Object::new(&mut fields)
        .member("name", &"KeyinError")
        .member("code", &code)
        .member("message", &message)
        .member("httpStatus", &None::<u16>)
        .end();
    error_with(&fields)
}

/// An `Error` with these members (JSON text of an object: `name`, `code`,
/// `message`, …), set as `Object.assign` sets them.
fn error_with(fields: &str) -> JsValue {
    let e = js_sys::Error::new("");
    js_sys::Object::assign(&e, json_to_js(fields).unchecked_ref());
    e.into()
}

pub(crate) fn config_error(message: &str) -> JsValue {
    keyin_error("INVALID_CONFIG", message)
}

/// The `KeyinError` of a failed operation: [`ClientError`]'s members as it writes them.
pub(crate) fn error_js(e: &ClientError) -> JsValue {
    error_with(&crate::json::to_json(e))
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
        let o = ClientOptions::read(&to_value(&options)).map_err(config_error)?;
        let base = resolve_base(&o.proxy_url, page.as_deref())?;
        Ok(KeyinClient {
            cfg: Rc::new(Cfg {
                base,
                headers: o.headers,
                timeout_ms: o.timeout_ms,
                locale: o.locale.unwrap_or_else(crate::js::current_locale),
                credentials: o.credentials,
            }),
        })
    }

    /// The absolute proxy URL requests go to.
    #[wasm_bindgen(getter, js_name = proxyUrl)]
    pub fn proxy_url(&self) -> String {
        self.cfg.base.clone()
    }

    /// Starts operation `n` (its row in `__operations`) with `args` (an array). The
    /// answer is the operation in flight: the JS entry's driver (`drive.js`) runs it
    /// with [`Task::next`], doing the I/O each step asks for.
    pub fn call(&self, n: JsValue, args: JsValue) -> Task {
        let (operation, first) = match operation_call(&n, &args) {
            Ok((op, args)) => {
                let opts = BuildOptions {
                    now: crate::js::now_unix(),
                    locale: self.cfg.locale,
                    pg_profile: PgProfile::Kcp,
                };
                let (operation, step) = Operation::start(op, &args, &opts);
                (Some(operation), Ok(step))
            }
            Err(e) => (None, Err(e)),
        };
        Task {
            cfg: self.cfg.clone(),
            operation,
            first: Some(first),
            waiting: Waiting::Nothing,
        }
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
        .ok_or_else(|| keyin_error("INVALID_INPUT", "not an operation"))?;
    // (One conversion for the whole array: its node and depth limits cover every
    // argument together.)
    let args = match to_value(args) {
        Value::Array(args) => args,
        _ => Vec::new(),
    };
    Ok((op, args))
}

/// The operations, for the JS entry: `[clientMethod, chargesNow, serverOnly][]`.
#[wasm_bindgen(js_name = __operations, skip_typescript)]
pub fn operations() -> JsValue {
    let mut out = String::from("[");
    for (i, o) in OpName::ALL.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        crate::json::ToJson::write_json(o.client(), &mut out);
        out.push_str(if o.charges_now() { ",true" } else { ",false" });
        out.push_str(if o.server_only() { ",true]" } else { ",false]" });
    }
    out.push(']');
    json_to_js(&out)
}

/// What the driver's next answer is for.
#[derive(Clone, Copy)]
enum Waiting {
    /// Nothing: the operation has ended (or not started).
    Nothing,
    /// The request last asked for.
    Answer,
    /// The wait last asked for.
    Wake,
}

/// One client operation in flight, as `KeyinClient.call` answers it. The operation
/// ([`Operation`]) makes every decision; the JS driver (`drive.js`) only does the I/O
/// it asks for, one step at a time: it is the client's whole executor. Nothing in the
/// wasm waits on a promise, a timer or a callback: a trap in a step throws from
/// `next`, in the driver's own call, where the JS entry recovers from it as from any
/// call.
#[wasm_bindgen(skip_typescript)]
pub struct Task {
    cfg: Rc<Cfg>,
    operation: Option<Operation>,
    /// The first step (or why there is none: no such operation), until `next`
    /// hands it out.
    first: Option<Result<Step, JsValue>>,
    waiting: Waiting,
}

impl core::fmt::Debug for Task {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Task").finish_non_exhaustive()
    }
}

#[wasm_bindgen]
impl Task {
    /// Hands the operation the answer to what it asked last, and answers what it
    /// asks for next. For a request: `status`, the response's HTTP status, and
    /// `text`, its body; `status` 0 when no response came, `timedOut` when the ask's
    /// timeout passed first (else it was a network error). For a wait, or the first
    /// step: nothing.
    ///
    /// The answer: `{ url, init, timeoutMs }` (a `fetch`, `init` without its
    /// `signal`), `{ sleep: ms }` (a wait), or `{ done: answer }` when it has ended.
    ///
    /// # Errors
    /// The operation's `KeyinError`; `INTERNAL_ERROR` when called after it has ended.
    pub fn next(
        &mut self,
        status: u32,
        text: Option<String>,
        #[wasm_bindgen(js_name = timedOut)] timed_out: bool,
    ) -> Result<JsValue, JsValue> {
        let step = match (self.first.take(), &mut self.operation, self.waiting) {
            (Some(first), _, _) => first?,
            (None, Some(op), Waiting::Answer) => op.answer(http_answer(status, text, timed_out)),
            (None, Some(op), Waiting::Wake) => op.woke(),
            _ => return Err(stalled()),
        };
        let mut out = String::with_capacity(128);
        let mut ask = crate::json::Object::new(&mut out);
        self.waiting = match step {
            Step::Send(req) => {
                ask.member("url", &join(&self.cfg.base, &req.path_and_query()))
                    .member("init", &Init(&self.cfg, &req))
                    .member("timeoutMs", &self.cfg.timeout_ms);
                Waiting::Answer
            }
            Step::Sleep(ms) => {
                ask.member("sleep", &ms);
                Waiting::Wake
            }
            Step::Done(result) => {
                // Ended either way: set before `?` returns the operation's error.
                self.operation = None;
                self.waiting = Waiting::Nothing;
                ask.member("done", &result.map_err(|e| error_js(&e))?);
                Waiting::Nothing
            }
        };
        ask.end();
        Ok(json_to_js(&out))
    }
}

fn stalled() -> JsValue {
    keyin_error("INTERNAL_ERROR", "the client stalled")
}

/// The driver's answer to a request, as the transport reports it: no response is
/// a timeout if the ask's timeout passed, else a network error; a response's body is
/// read as JSON (`None` if it is not JSON).
fn http_answer(
    status: u32,
    text: Option<String>,
    timed_out: bool,
) -> Result<(u16, Option<Value>), TransportError> {
    #[cfg(feature = "test-trap")]
    if status == TEST_TRAP_STATUS {
        panic!("test trap in a client's step");
    }
    match (u16::try_from(status), text) {
        (Ok(status @ 100..=599), Some(text)) => Ok((status, json_text_to_value(&text))),
        _ if timed_out => Err(TransportError::Timeout),
        _ => Err(TransportError::Network),
    }
}

/// A request's `init` for the driver's `fetch` (which adds the timeout's signal):
/// `{"method", "headers", "body", "credentials"}`, with the client's headers and
/// credentials. The headers are a plain object, which `fetch` reads as it would a
/// `Headers`; it validates their names itself (its rejection is a network error here).
struct Init<'a>(&'a Cfg, &'a Request);

impl crate::json::ToJson for Init<'_> {
    fn write_json(&self, out: &mut String) {
        let (cfg, req) = (self.0, self.1);
        let body = req.body.as_ref().map(crate::json::to_json);
        crate::json::Object::new(out)
            .member("method", &req.method.as_str())
            .member("headers", &Headers(&cfg.headers, body.is_some()))
            .some("body", &body)
            .some("credentials", &cfg.credentials)
            .end();
    }
}

/// The client's headers (`.1`: with a body, whose content-type replaces the
/// merchant's); the names are lowercase and unique (`ClientOptions`).
struct Headers<'a>(&'a [(String, String)], bool);

impl crate::json::ToJson for Headers<'_> {
    fn write_json(&self, out: &mut String) {
        let mut o = crate::json::Object::new(out);
        for (k, v) in self.0 {
            if !(self.1 && k == "content-type") {
                o.entry(k, v);
            }
        }
        if self.1 {
            o.member("content-type", &"application/json");
        }
        o.end();
    }
}

/// Test builds only (feature `test-trap`): a proxy answer with this status makes
/// the client's step panic, as a bug there would.
#[cfg(feature = "test-trap")]
const TEST_TRAP_STATUS: u32 = 599;
