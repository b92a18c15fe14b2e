//! `POST {basePath}/webhook`: Iamport's notification, verified by look-up,
//! priced, and handed to the merchant's `onPayment`. The decisions are
//! [`crate::proxy::webhook`]'s; this is the I/O.

use std::rc::Rc;

use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use web_sys::{Request as WebRequest, Response};

use super::direct::Upstream;
use super::io::{answer_headers, call_hook, error_response, read_body, response};
use super::{credentials, hook_failed, log, Entry, Inner};
use crate::api::webhook::parse_webhook_body;
use crate::api::{BuildOptions, PgProfile};
use crate::client::verify_webhook;
use crate::error::Locale;
use crate::proxy::{
    check_webhook_sender, webhook_amount, webhook_failure, OpName, PriceAnswer, ProxyCode,
    ProxyError, WebhookPrice,
};

/// Serves the webhook route; the answer and its status.
pub(super) async fn serve(
    inner: &Rc<Inner>,
    on_payment: &js_sys::Function,
    request: &WebRequest,
    env: &JsValue,
    raw: &JsValue,
) -> (Response, u16) {
    match verify_and_deliver(inner, on_payment, request, env, raw).await {
        Ok(()) => {
            let headers = answer_headers();
            (response(200, Some(r#"{"ok":true}"#), &headers), 200)
        }
        Err(e) => {
            let (level, event) = match e.code {
                ProxyCode::WebhookUnverified | ProxyCode::WebhookMalformed => {
                    ("warn", "webhook_refused")
                }
                ProxyCode::OriginNotAllowed
                | ProxyCode::Forbidden
                | ProxyCode::MethodNotAllowed => ("warn", "webhook_sender_refused"),
                _ => ("error", "webhook_failed"),
            };
            log(
                inner,
                Entry {
                    level,
                    event,
                    code: Some(e.code),
                    status: Some(e.status),
                    ..Entry::default()
                },
            );
            // Never CORS headers on this route.
            (error_response(&e, None), e.status)
        }
    }
}

async fn verify_and_deliver(
    inner: &Rc<Inner>,
    on_payment: &js_sys::Function,
    request: &WebRequest,
    env: &JsValue,
    raw: &JsValue,
) -> Result<(), ProxyError> {
    let h = request.headers();
    let origin = h.get("origin").ok().flatten();
    let client_ip = match inner.options.webhook_ips {
        Some(_) => super::client_ip(inner, request, raw, OpName::GetPayment).await?,
        None => None,
    };
    check_webhook_sender(
        &request.method(),
        origin.as_deref(),
        client_ip.as_deref(),
        inner.options.webhook_ips.as_deref(),
    )?;
    let bytes = read_body(request, inner.options.max_body_bytes).await?;
    let text = core::str::from_utf8(&bytes).map_err(|_| {
        ProxyError::new(ProxyCode::WebhookMalformed, "the webhook body is not UTF-8")
    })?;
    let claim = parse_webhook_body(text)
        .map_err(|e| ProxyError::new(ProxyCode::WebhookMalformed, e.message()))?;
    let creds = credentials(env)?;
    let upstream = Upstream::new(creds, inner.options.upstream_timeout_ms);
    let opts = BuildOptions {
        now: crate::js::now_unix(),
        locale: Locale::En,
        pg_profile: PgProfile::Kcp,
    };
    let verified = verify_webhook(&upstream, &claim, &opts)
        .await
        .map_err(|e| webhook_failure(&e))?;
    // The amount: the merchant's price for the verified order, fail-closed.
    let answer = match &inner.options.resolve_amount {
        Some(resolve) => {
            let priced =
                crate::js::serde_js(&WebhookPrice::of(&verified.payment, &verified.imp_uid));
            match call_hook(resolve, &[&priced, request.as_ref(), env]).await {
                Ok(v) => Some(v.as_f64().map_or(PriceAnswer::Other, PriceAnswer::Number)),
                Err(err) => {
                    return Err(hook_failed(inner, "resolveAmount", OpName::GetPayment, err))
                }
            }
        }
        None => None,
    };
    let (expected, mismatch) = webhook_amount(&verified.payment, answer);
    let v = crate::js::serde_js(&verified);
    let _ = Reflect::set(&v, &"amountMismatch".into(), &mismatch.into());
    let _ = Reflect::set(
        &v,
        &"expectedAmount".into(),
        &expected.map_or(JsValue::NULL, |a| JsValue::from_f64(a as f64)),
    );
    // Answered 200 only once the merchant's handler has finished; a throw is a
    // 500, and Iamport sends the webhook again.
    call_hook(on_payment, &[&v, request.as_ref(), env])
        .await
        .map_err(|err| hook_failed(inner, "onPayment", OpName::GetPayment, err))?;
    Ok(())
}
