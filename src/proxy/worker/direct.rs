//! Talking to Iamport itself (not through a proxy): the server client's and the
//! webhook route's transport. One token per isolate (shared with the proxy's
//! forwarding when both run in one), one deadline per call for getToken, the
//! request and the one retry after a 401.

use std::rc::Rc;

use super::io::{new_headers, send};
use super::token::{get_token, slot_for, TokenSlot};
use super::Creds;
use crate::api::{Request, Value};
use crate::client::{Transport, TransportError};
use crate::proxy::{after_answer, AfterAnswer, Deadline, ProxyError, SendFailure};

/// Iamport, as one server reaches it.
pub(super) struct Upstream {
    pub(super) creds: Creds,
    token: Rc<TokenSlot>,
    /// The budget of one call (token, request, retry), ms.
    timeout_ms: f64,
}

impl Upstream {
    /// Iamport with these credentials, on the isolate's token slot for them.
    pub(super) fn new(creds: Creds, timeout_ms: f64) -> Self {
        Upstream {
            token: slot_for(&creds),
            creds,
            timeout_ms,
        }
    }
}

/// A refusal made before anything was sent (no token, deadline passed), in
/// the proxy's `{"error": {…}}` shape, so the client's one reading of answers
/// applies: such a code never "may have charged", so nothing is looked up.
fn refusal(e: &ProxyError) -> (u16, Option<Value>) {
    let body = crate::json_out::to_string(&e.body())
        .ok()
        .and_then(|t| crate::api::parse_json(&t).ok());
    (e.status, body)
}

impl Transport for Upstream {
    async fn send(&self, req: &Request) -> Result<(u16, Option<Value>), TransportError> {
        let deadline = Deadline::after(js_sys::Date::now(), self.timeout_ms);
        let creds = &self.creds;
        let body = req
            .body
            .as_ref()
            .and_then(|b| crate::json_out::to_string(b).ok());
        let url = format!("{}{}", creds.api_url, req.path_and_query());
        let mut retried = false;
        loop {
            let token = match get_token(&self.token, creds, deadline).await {
                Ok(t) => t,
                Err(e) => return Ok(refusal(&e)),
            };
            let timeout = match deadline.remaining(js_sys::Date::now()) {
                Ok(t) => t,
                Err(e) => return Ok(refusal(&e)),
            };
            let headers = new_headers();
            let _ = headers.set("authorization", &format!("Bearer {token}"));
            if let Some(t) = &creds.tier {
                let _ = headers.set("Tier", t);
            }
            if body.is_some() {
                let _ = headers.set("content-type", "application/json");
            }
            let answer = send(
                &url,
                req.method.as_str(),
                &headers,
                body.as_deref(),
                timeout,
                false,
            )
            .await
            .map_err(|f| match f {
                SendFailure::Timeout => TransportError::Timeout,
                SendFailure::Network => TransportError::Network,
            })?;
            if after_answer(answer.status, retried) == AfterAnswer::RetryWithFreshToken {
                retried = true;
                self.token.invalidate(&token);
                continue;
            }
            let text = answer.body.text();
            return Ok((answer.status, crate::api::parse_json(&text).ok()));
        }
    }

    async fn sleep(&self, ms: u32) {
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            set_timeout(&resolve, f64::from(ms));
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, ms: f64) -> wasm_bindgen::JsValue;
}
