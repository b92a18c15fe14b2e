//! `KeyinClient`: sends built requests to the merchant's proxy with gloo-net
//! (the global `fetch`: pages, web workers, Node), with timeouts, and resolves
//! unknown charge outcomes by a look-up. Never to Iamport directly, never a
//! blind re-send.

use std::rc::Rc;

use gloo_net::http::{Method as HttpMethod, RequestBuilder};
use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::{AbortController, RequestCredentials};

use super::{classify, join, Attempt, UnknownReason, DEFAULT_TIMEOUT_MS, READY_BACKOFF_MS};
use crate::api::body::Body;
use crate::api::{
    self, BuildOptions, Built, Method, Outcome, OutcomeStatus, PgProfile, Request, Value,
};
use crate::error::{FieldError, Locale};
use crate::js::{prop, to_js, to_value};
use crate::timer::{sleep, AbortTimer};

struct Cfg {
    base: String,
    headers: Vec<(String, String)>,
    timeout_ms: u32,
    locale: Locale,
    credentials: Option<RequestCredentials>,
}

/// The browser/Node client of the merchant proxy.
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
fn keyin_error(
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
        set(k, v);
    }
    e.into()
}

fn config_error(message: &str) -> JsValue {
    keyin_error("INVALID_CONFIG", message, None, &[])
}

/// An absolute proxy URL: as given, or resolved against the page's location.
fn resolve_base(raw: &str) -> Result<String, JsValue> {
    let url =
        match web_sys::Url::new(raw) {
            Ok(u) => u,
            Err(_) => {
                let href = prop(&prop(&js_sys::global(), "location"), "href").as_string();
                match href {
                    Some(h) => web_sys::Url::new_with_base(raw, &h)
                        .map_err(|_| config_error("proxyUrl is not a valid URL"))?,
                    None => return Err(config_error(
                        "proxyUrl must be an absolute http(s) URL outside a page (Node, workers)",
                    )),
                }
            }
        };
    if url.protocol() != "https:" && url.protocol() != "http:" {
        return Err(config_error("proxyUrl must be an http(s) URL"));
    }
    if !url.search().is_empty() || !url.hash().is_empty() {
        return Err(config_error("proxyUrl must not have a query or fragment"));
    }
    Ok(format!(
        "{}{}",
        url.origin(),
        url.pathname().trim_end_matches('/')
    ))
}

#[wasm_bindgen]
impl KeyinClient {
    /// `new KeyinClient({ proxyUrl, headers?, timeoutMs?, locale?, credentials? })`.
    ///
    /// # Errors
    /// A `KeyinError` with code `INVALID_CONFIG` for a missing or bad option.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<KeyinClient, JsValue> {
        if !options.is_object() {
            return Err(config_error("options must be an object with proxyUrl"));
        }
        let raw = prop(&options, "proxyUrl")
            .as_string()
            .ok_or_else(|| config_error("proxyUrl is required"))?;
        let base = resolve_base(&raw)?;
        let mut headers = Vec::new();
        let h = prop(&options, "headers");
        if h.is_object() {
            let keys = Reflect::own_keys(&h)
                .map_err(|_| config_error("headers must be a plain object"))?;
            for k in keys.iter() {
                let (Some(name), Some(value)) = (
                    k.as_string(),
                    Reflect::get(&h, &k).ok().and_then(|v| v.as_string()),
                ) else {
                    return Err(config_error("headers must map names to strings"));
                };
                headers.push((name, value));
            }
        } else if !h.is_undefined() && !h.is_null() {
            return Err(config_error("headers must be an object"));
        }
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
            Some("omit") => Some(RequestCredentials::Omit),
            Some("same-origin") => Some(RequestCredentials::SameOrigin),
            Some("include") => Some(RequestCredentials::Include),
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

    /// A key-in payment (with `customer_uid`, the billing key is stored too). Resolves to an Outcome.
    #[wasm_bindgen(js_name = payOnetime)]
    pub fn pay_onetime(&self, input: JsValue) -> Promise {
        let cfg = self.cfg.clone();
        future_to_promise(async move {
            let built = api::build_onetime_payment(&to_value(&input), &opts(&cfg));
            charge(&cfg, built).await
        })
    }

    /// Charges a stored billing key. Resolves to an Outcome.
    #[wasm_bindgen(js_name = payAgain)]
    pub fn pay_again(&self, input: JsValue) -> Promise {
        let cfg = self.cfg.clone();
        future_to_promise(async move {
            let built = api::build_again_payment(&to_value(&input), &opts(&cfg));
            charge(&cfg, built).await
        })
    }

    /// Stores a billing key. Resolves to the Customer (masked card).
    #[wasm_bindgen(js_name = registerBillingKey)]
    pub fn register_billing_key(&self, customer_uid: JsValue, input: JsValue) -> Promise {
        let cfg = self.cfg.clone();
        future_to_promise(async move {
            let built =
                api::build_billing_key(&to_value(&customer_uid), &to_value(&input), &opts(&cfg));
            let (status, body) = call(&cfg, built).await?;
            customer(status, body.as_ref(), false)
        })
    }

    /// The stored billing key, or `null` when there is none.
    #[wasm_bindgen(js_name = getBillingKey)]
    pub fn get_billing_key(&self, customer_uid: JsValue) -> Promise {
        let cfg = self.cfg.clone();
        future_to_promise(async move {
            let built = api::build_get_billing_key(&to_value(&customer_uid), &opts(&cfg));
            let (status, body) = call(&cfg, built).await?;
            customer(status, body.as_ref(), true)
        })
    }

    /// Deletes the billing key. Resolves to the deleted Customer.
    #[wasm_bindgen(js_name = deleteBillingKey)]
    pub fn delete_billing_key(&self, customer_uid: JsValue, reason: JsValue) -> Promise {
        let cfg = self.cfg.clone();
        future_to_promise(async move {
            let built = api::build_delete_billing_key(
                &to_value(&customer_uid),
                &to_value(&reason),
                &opts(&cfg),
            );
            let (status, body) = call(&cfg, built).await?;
            customer(status, body.as_ref(), false)
        })
    }

    /// Schedules charges. Resolves to the Schedules.
    pub fn schedule(&self, input: JsValue) -> Promise {
        let cfg = self.cfg.clone();
        future_to_promise(async move {
            let built = api::build_schedule(&to_value(&input), &opts(&cfg));
            let (status, body) = call(&cfg, built).await?;
            schedules(status, body.as_ref(), false)
        })
    }

    /// Revokes schedules. Resolves to the revoked Schedules.
    pub fn unschedule(&self, input: JsValue) -> Promise {
        let cfg = self.cfg.clone();
        future_to_promise(async move {
            let built = api::build_unschedule(&to_value(&input), &opts(&cfg));
            let (status, body) = call(&cfg, built).await?;
            schedules(status, body.as_ref(), false)
        })
    }

    /// One schedule, or `null`.
    #[wasm_bindgen(js_name = getSchedule)]
    pub fn get_schedule(&self, merchant_uid: JsValue) -> Promise {
        let cfg = self.cfg.clone();
        future_to_promise(async move {
            let built = api::build_get_schedule(&to_value(&merchant_uid), &opts(&cfg));
            let (status, body) = call(&cfg, built).await?;
            schedules(status, body.as_ref(), true)
        })
    }

    /// The newest payment for a `merchant_uid` as an Outcome, or `null` when there is none.
    #[wasm_bindgen(js_name = findPayment)]
    pub fn find_payment(&self, merchant_uid: JsValue) -> Promise {
        let cfg = self.cfg.clone();
        future_to_promise(async move {
            let built =
                api::build_find_payment(&to_value(&merchant_uid), &Value::Null, &opts(&cfg));
            let (status, body) = call(&cfg, built).await?;
            if status == 404 {
                return Ok(JsValue::NULL);
            }
            let o = api::decode_outcome(status, body.as_ref(), None);
            if o.status == OutcomeStatus::Rejected || o.payment.is_none() {
                return Err(iamport_error(status, body.as_ref()));
            }
            Ok(outcome_js(&o, false, None))
        })
    }
}

fn opts(cfg: &Cfg) -> BuildOptions {
    BuildOptions {
        now: (js_sys::Date::now() / 1000.0).floor() as i64,
        locale: cfg.locale,
        pg_profile: PgProfile::Kcp,
    }
}

fn invalid_input(errors: &[FieldError]) -> JsValue {
    let message = errors
        .first()
        .map_or("invalid input", |e| e.message.as_str());
    keyin_error(
        "INVALID_INPUT",
        message,
        None,
        &[("errors", to_js(&errors))],
    )
}

/// Why a send got no HTTP answer.
enum Transport {
    Timeout,
    Network,
}

/// Sends one built request to the proxy. `(status, parsed JSON body or None)`.
async fn send(cfg: &Cfg, req: &Request) -> Result<(u16, Option<Value>), Transport> {
    let url = join(&cfg.base, &req.path_and_query());
    let method = match req.method {
        Method::Get => HttpMethod::GET,
        Method::Post => HttpMethod::POST,
        Method::Delete => HttpMethod::DELETE,
    };
    let controller = AbortController::new().map_err(|_| Transport::Network)?;
    let mut builder = RequestBuilder::new(&url)
        .method(method)
        .abort_signal(Some(&controller.signal()));
    for (k, v) in &cfg.headers {
        builder = builder.header(k, v);
    }
    if let Some(c) = cfg.credentials {
        builder = builder.credentials(c);
    }
    let request = match &req.body {
        Some(body) => {
            let text = js_sys::JSON::stringify(&to_js(body))
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default();
            builder
                .header("content-type", "application/json")
                .body(text)
        }
        None => builder.build(),
    }
    .map_err(|_| Transport::Network)?;
    let timer = AbortTimer::new(&controller, f64::from(cfg.timeout_ms));
    let result = async {
        let res = request.send().await.map_err(|_| Transport::Network)?;
        let text = res.text().await.map_err(|_| Transport::Network)?;
        let body = js_sys::JSON::parse(&text).ok().map(|v| to_value(&v));
        Ok((res.status(), body))
    }
    .await;
    drop(timer);
    match result {
        Err(_) if controller.signal().aborted() => Err(Transport::Timeout),
        other => other,
    }
}

/// The proxy's own refusal (`{"error": …}`), or Iamport's 4xx, as a KeyinError.
fn iamport_error(status: u16, body: Option<&Value>) -> JsValue {
    let err = body
        .and_then(|b| b.get("error"))
        .filter(|e| e.as_object().is_some());
    if let Some(e) = err {
        let code = e
            .get("code")
            .and_then(Value::as_str)
            .unwrap_or("PROXY_ERROR");
        let message = e
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("the proxy refused the request");
        let fields = e.get("fields").map_or(JsValue::UNDEFINED, to_js);
        return keyin_error(
            code,
            message,
            Some(status),
            &[("fields", fields.clone()), ("errors", fields)],
        );
    }
    let code = body.and_then(|b| b.get("code")).and_then(Value::as_i64);
    let message = body.and_then(|b| b.get("message")).and_then(Value::as_str);
    let (kind, fallback) = match (status, body) {
        (_, None) => ("MALFORMED_RESPONSE", "the answer was not JSON"),
        (404, _) => ("NOT_FOUND", "not found"),
        (200..=299, _) => ("IAMPORT_REFUSED", "Iamport refused the request"),
        _ => ("IAMPORT_ERROR", "Iamport answered with an error"),
    };
    keyin_error(
        kind,
        message.unwrap_or(fallback),
        Some(status),
        &[(
            "iamportCode",
            code.map_or(JsValue::NULL, |c| JsValue::from_f64(c as f64)),
        )],
    )
}

/// Sends a non-charge request: transport failures and proxy refusals reject.
async fn call(cfg: &Cfg, built: Built) -> Result<(u16, Option<Value>), JsValue> {
    let req = built.map_err(|e| invalid_input(&e))?;
    match send(cfg, &req).await {
        Ok((status, body)) => {
            let proxy_refusal = body
                .as_ref()
                .and_then(|b| b.get("error"))
                .is_some_and(|e| e.as_object().is_some());
            if proxy_refusal {
                Err(iamport_error(status, body.as_ref()))
            } else {
                Ok((status, body))
            }
        }
        Err(Transport::Timeout) => Err(keyin_error(
            "TIMEOUT",
            "the proxy did not answer in time",
            None,
            &[],
        )),
        Err(Transport::Network) => Err(keyin_error(
            "NETWORK_ERROR",
            "the proxy could not be reached",
            None,
            &[],
        )),
    }
}

fn customer(status: u16, body: Option<&Value>, none_on_404: bool) -> Result<JsValue, JsValue> {
    if none_on_404 && status == 404 {
        return Ok(JsValue::NULL);
    }
    api::decode_customer(status, body)
        .map(|c| to_js(&c))
        .map_err(|_| iamport_error(status, body))
}

fn schedules(status: u16, body: Option<&Value>, single: bool) -> Result<JsValue, JsValue> {
    if single && status == 404 {
        return Ok(JsValue::NULL);
    }
    let page = api::decode_schedules(status, body).map_err(|_| iamport_error(status, body))?;
    if single {
        Ok(page.list.first().map_or(JsValue::NULL, to_js))
    } else {
        Ok(to_js(&page.list))
    }
}

fn outcome_js(o: &Outcome, by_lookup: bool, unknown: Option<UnknownReason>) -> JsValue {
    let v = to_js(o);
    let _ = Reflect::set(&v, &"resolvedByLookup".into(), &by_lookup.into());
    let _ = Reflect::set(
        &v,
        &"unknownReason".into(),
        &unknown.map_or(JsValue::NULL, |r| r.as_str().into()),
    );
    v
}

fn unknown_outcome(reason: UnknownReason, payment_outcome: Option<Outcome>) -> JsValue {
    let advice = match reason {
        UnknownReason::NotFound => "no payment exists for this merchant_uid: it was most likely never created; retry deliberately with the same merchant_uid",
        UnknownReason::LookupFailed => "the outcome is unknown and the look-up failed: look the merchant_uid up later; do not charge again with a new merchant_uid",
        UnknownReason::StillReady => "the payment is still pending: look the merchant_uid up later (or wait for the webhook)",
        UnknownReason::UnrecognisedStatus => "the payment has a status this version does not know: check it in the Iamport console",
    };
    let o = Outcome {
        status: OutcomeStatus::Unknown,
        http_status: payment_outcome.as_ref().map_or(0, |p| p.http_status),
        payment: payment_outcome.and_then(|p| p.payment),
        fail_reason: None,
        iamport_code: None,
        message: Some(advice.to_owned()),
        error_code: None,
        amount_mismatch: false,
    };
    outcome_js(&o, true, Some(reason))
}

/// Looks a `merchant_uid` up: `Ok(None)` when there is no payment.
async fn lookup(cfg: &Cfg, merchant_uid: &str, amount: u64) -> Result<Option<Outcome>, ()> {
    let req = api::build_find_payment(
        &Value::String(merchant_uid.to_owned()),
        &Value::Null,
        &opts(cfg),
    )
    .map_err(|_| ())?;
    let (status, body) = send(cfg, &req).await.map_err(|_| ())?;
    if status == 404 && body.as_ref().and_then(|b| b.get("error")).is_none() {
        return Ok(None);
    }
    let o = api::decode_outcome(status, body.as_ref(), Some(amount));
    match o.payment {
        Some(_) if status == 200 => Ok(Some(o)),
        _ => Err(()),
    }
}

/// Resolves an unknown (or `ready`) charge by looking it up, with bounded
/// backoff. A `ready` payment, a payment not found yet (the charge may still be
/// in flight upstream) and a failed look-up are all looked up again; only what
/// the last look-up saw is reported. Never re-sends the charge.
async fn resolve(cfg: &Cfg, merchant_uid: &str, amount: u64) -> JsValue {
    let delays = core::iter::once(0).chain(READY_BACKOFF_MS.iter().copied());
    let mut last = UnknownReason::LookupFailed;
    let mut last_ready = None;
    for delay in delays {
        if delay > 0 {
            sleep(delay).await;
        }
        match lookup(cfg, merchant_uid, amount).await {
            Ok(Some(o)) if o.status == OutcomeStatus::Ready => {
                last = UnknownReason::StillReady;
                last_ready = Some(o);
            }
            Ok(Some(o)) if o.status == OutcomeStatus::Unknown => {
                return unknown_outcome(UnknownReason::UnrecognisedStatus, Some(o))
            }
            Ok(Some(o)) => return outcome_js(&o, true, None),
            Ok(None) => last = UnknownReason::NotFound,
            Err(()) => last = UnknownReason::LookupFailed,
        }
    }
    let payment = if last == UnknownReason::StillReady {
        last_ready
    } else {
        None
    };
    unknown_outcome(last, payment)
}

/// A charge: resolves to an Outcome; rejects only for invalid input, proxy
/// refusals and Iamport 4xx (nothing was charged in each case).
async fn charge(cfg: &Cfg, built: Built) -> Result<JsValue, JsValue> {
    let req = built.map_err(|e| invalid_input(&e))?;
    let (merchant_uid, amount) = match &req.body {
        Some(Body::OnetimePayment(b)) => (b.merchant_uid.clone(), b.amount),
        Some(Body::AgainPayment(b)) => (b.merchant_uid.clone(), b.amount),
        _ => return Err(keyin_error("INVALID_INPUT", "not a charge", None, &[])),
    };
    let attempt = match send(cfg, &req).await {
        Ok((status, body)) => {
            // The proxy's own refusals mean nothing was sent, except OUTCOME_UNKNOWN.
            let proxy_code = body
                .as_ref()
                .and_then(|b| b.get("error"))
                .and_then(|e| e.get("code"))
                .and_then(Value::as_str);
            let refused = proxy_code.is_some_and(|c| c != "OUTCOME_UNKNOWN");
            if refused || (400..500).contains(&status) {
                return Err(iamport_error(status, body.as_ref()));
            }
            classify(api::decode_outcome(status, body.as_ref(), Some(amount)))
        }
        // A timeout or a dropped connection: the charge may have happened.
        Err(_) => Attempt::Unknown,
    };
    Ok(match attempt {
        Attempt::Answered(o) if o.status == OutcomeStatus::Ready => {
            resolve(cfg, &merchant_uid, amount).await
        }
        Attempt::Answered(o) => outcome_js(&o, false, None),
        Attempt::Unknown => resolve(cfg, &merchant_uid, amount).await,
    })
}
