//! The access token: the cached one, or one getToken shared by every request
//! that needs it meanwhile. The cache's decisions are [`crate::proxy::TokenCache`]'s.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::io::{new_headers, send};
use super::Creds;
use crate::api::Value;
use crate::proxy::{
    read_token_answer, Deadline, ProxyCode, ProxyError, SendFailure, TokenCache, TokenStep,
};

/// One isolate's token: the cache, and the getToken in flight, shared by every
/// request that needs a token meanwhile (the proxy's and the server client's).
#[derive(Default)]
pub(crate) struct TokenSlot {
    cache: RefCell<TokenCache>,
    inflight: RefCell<Option<Promise>>,
}

thread_local! {
    /// Every slot of this isolate, by API URL, key, secret and tier (never logged).
    static SLOTS: RefCell<Vec<(String, Rc<TokenSlot>)>> = const { RefCell::new(Vec::new()) };
}

/// The isolate's one slot for these credentials: the proxy, its webhook route
/// and every server client with the same key share one token.
pub(crate) fn slot_for(creds: &Creds) -> Rc<TokenSlot> {
    // The secret too: other credentials for the same key never reuse a token.
    let id = format!(
        "{}\n{}\n{}\n{}",
        creds.api_url,
        creds.key,
        creds.secret,
        creds.tier.as_deref().unwrap_or("")
    );
    SLOTS.with(|slots| {
        let mut slots = slots.borrow_mut();
        if let Some((_, s)) = slots.iter().find(|(k, _)| *k == id) {
            return s.clone();
        }
        let s = Rc::new(TokenSlot::default());
        slots.push((id, s.clone()));
        s
    })
}

impl TokenSlot {
    /// Drops `token` after a 401 (a newer one is kept).
    pub(crate) fn invalidate(&self, token: &str) {
        self.cache.borrow_mut().invalidate(token);
    }
}

/// The cached token, or one fetch shared by every concurrent caller; while a
/// recent failure is remembered, `TOKEN_FAILED` without asking again.
pub(crate) async fn get_token(
    inner: &Rc<TokenSlot>,
    creds: &Creds,
    deadline: Deadline,
) -> Result<String, ProxyError> {
    let promise = {
        match inner.cache.borrow().step(js_sys::Date::now()) {
            TokenStep::Use(t) => return Ok(t),
            TokenStep::Failing => {
                return Err(ProxyError::new(
                    ProxyCode::TokenFailed,
                    "getToken failed moments ago; nothing was forwarded",
                ))
            }
            TokenStep::Fetch => {}
        }
        let mut inflight = inner.inflight.borrow_mut();
        match &*inflight {
            Some(p) => p.clone(),
            None => {
                let timeout = deadline.remaining(js_sys::Date::now())?;
                let p = future_to_promise(fetch_token(
                    inner.clone(),
                    format!("{}/users/getToken", creds.api_url),
                    token_request(&creds.key, &creds.secret),
                    creds.tier.clone(),
                    timeout,
                ));
                *inflight = Some(p.clone());
                p
            }
        }
    };
    match JsFuture::from(promise).await {
        Ok(t) => t
            .as_string()
            .ok_or_else(|| ProxyError::new(ProxyCode::TokenFailed, "getToken failed")),
        // "CODE|message", as `fetch_token` rejects (a promise carries one JS value).
        Err(e) => {
            let text = e.as_string().unwrap_or_default();
            let (code, message) = text.split_once('|').unwrap_or(("", "getToken failed"));
            let code = ProxyCode::parse(code).unwrap_or(ProxyCode::TokenFailed);
            Err(ProxyError::new(code, message))
        }
    }
}

fn token_request(key: &str, secret: &str) -> String {
    let mut body = crate::api::value::Value::Object(Vec::new());
    if let Value::Object(fields) = &mut body {
        fields.push(("imp_key".into(), Value::String(key.to_owned())));
        fields.push(("imp_secret".into(), Value::String(secret.to_owned())));
    }
    crate::json_out::to_string(&body).unwrap_or_default()
}

async fn fetch_token(
    inner: Rc<TokenSlot>,
    url: String,
    body: String,
    tier: Option<String>,
    timeout_ms: f64,
) -> Result<JsValue, JsValue> {
    let headers = new_headers();
    let _ = headers.set("content-type", "application/json");
    if let Some(t) = &tier {
        let _ = headers.set("Tier", t);
    }
    let answer = send(&url, "POST", &headers, Some(&body), timeout_ms, false).await;
    let now = js_sys::Date::now();
    let read = match answer {
        Ok(a) => {
            let text = a.body.text();
            let parsed = crate::api::parse_json(&text).ok();
            read_token_answer(a.status, parsed.as_ref(), now)
        }
        Err(SendFailure::Timeout) => Err(ProxyError::new(
            ProxyCode::UpstreamTimeout,
            "the deadline passed while getting a token; nothing was forwarded",
        )),
        Err(SendFailure::Network) => Err(ProxyError::new(
            ProxyCode::TokenFailed,
            "getToken: upstream unreachable",
        )),
    };
    // The fetch is over: the next request that needs a token starts its own.
    *inner.inflight.borrow_mut() = None;
    let mut cache = inner.cache.borrow_mut();
    match read {
        Ok(t) => {
            let token = t.access_token.clone();
            cache.store(t);
            Ok(JsValue::from_str(&token))
        }
        Err(e) => {
            cache.fail(now);
            Err(JsValue::from_str(&format!(
                "{}|{}",
                e.code.as_str(),
                e.message
            )))
        }
    }
}
