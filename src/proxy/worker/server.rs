//! `createServerClient`: the merchant's backend talking to Iamport itself, for
//! renewals from a cron job, refunds and webhooks. Every operation runs through
//! the client's one state machine (`crate::client::run`) over the direct
//! transport, so results and errors are `KeyinClient`'s, and a charge or refund
//! whose answer is lost is looked up, never re-sent.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::direct::Upstream;
use super::Creds;
use crate::api::webhook::{parse_webhook_body, webhook_claim_of, WebhookBodyError};
use crate::api::{BuildOptions, PgProfile};
use crate::client::web::{config_error, error_js, keyin_error, operation_call};
use crate::client::{run, verify_webhook};
use crate::error::Locale;
use crate::js::{prop, to_value};
use crate::proxy::DEFAULT_UPSTREAM_TIMEOUT_MS;

/// The server client (wrapped by the package's `createServerClient`).
#[wasm_bindgen(js_name = KeyinServerClient, skip_typescript)]
pub struct ServerClient {
    up: Rc<Upstream>,
    locale: Locale,
}

impl core::fmt::Debug for ServerClient {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never the key or the secret.
        f.debug_struct("ServerClient")
            .field("api_url", &self.up.creds.api_url)
            .finish_non_exhaustive()
    }
}

fn text_option(options: &JsValue, key: &str) -> Result<Option<String>, JsValue> {
    let v = prop(options, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_string() {
        Some(s) if !s.is_empty() => Ok(Some(s)),
        _ => Err(config_error(&format!(
            "createServerClient: {key} must be a non-empty string"
        ))),
    }
}

fn build_options(locale: Locale) -> BuildOptions {
    BuildOptions {
        now: crate::js::now_unix(),
        locale,
        pg_profile: PgProfile::Kcp,
    }
}

#[wasm_bindgen(js_class = KeyinServerClient)]
impl ServerClient {
    /// `{ impKey, impSecret, apiUrl?, tier?, timeoutMs?, locale? }`.
    ///
    /// # Errors
    /// A `KeyinError` with code `INVALID_CONFIG` (never naming the secret's value).
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<ServerClient, JsValue> {
        if !options.is_object() {
            return Err(config_error(
                "createServerClient: options must be an object with impKey and impSecret",
            ));
        }
        let key = text_option(&options, "impKey")?
            .ok_or_else(|| config_error("createServerClient: impKey is required"))?;
        let secret = text_option(&options, "impSecret")?
            .ok_or_else(|| config_error("createServerClient: impSecret is required"))?;
        let api_url = text_option(&options, "apiUrl")?;
        let tier = text_option(&options, "tier")?;
        let t = prop(&options, "timeoutMs");
        let timeout_ms = match t.as_f64() {
            None if t.is_undefined() => DEFAULT_UPSTREAM_TIMEOUT_MS,
            Some(ms) if (1.0..=600_000.0).contains(&ms) => ms,
            _ => {
                return Err(config_error(
                    "createServerClient: timeoutMs must be 1..600000",
                ))
            }
        };
        let l = prop(&options, "locale");
        let locale = match l.as_string() {
            None if l.is_undefined() => crate::js::current_locale(),
            Some(s) => Locale::parse(&s).ok_or_else(|| {
                config_error("createServerClient: locale must be \"ko\" or \"en\"")
            })?,
            None => {
                return Err(config_error(
                    "createServerClient: locale must be \"ko\" or \"en\"",
                ))
            }
        };
        let creds = Creds::new(key, secret, api_url, tier)
            .map_err(|m| config_error(&format!("createServerClient: {m}")))?;
        Ok(ServerClient {
            up: Rc::new(Upstream::new(creds, timeout_ms)),
            locale,
        })
    }

    /// The API base URL requests go to.
    #[wasm_bindgen(getter, js_name = apiUrl)]
    pub fn api_url(&self) -> String {
        self.up.creds.api_url.clone()
    }

    /// Runs operation `n` (its row in `__operations`; server-only ones included)
    /// with `args` (an array).
    pub fn call(&self, n: JsValue, args: JsValue) -> Promise {
        let up = self.up.clone();
        let locale = self.locale;
        future_to_promise(async move {
            let (op, args) = operation_call(&n, &args)?;
            run(&*up, op, &args, &build_options(locale))
                .await
                .map(|a| crate::js::to_js(&a))
                .map_err(|e| error_js(&e))
        })
    }

    /// Verifies a webhook body (the raw text, JSON or form, or a parsed object)
    /// by looking its payment up.
    #[wasm_bindgen(js_name = verifyWebhook)]
    pub fn verify_webhook(&self, body: JsValue) -> Promise {
        let up = self.up.clone();
        let locale = self.locale;
        future_to_promise(async move {
            let claim = match body.as_string() {
                Some(text) => parse_webhook_body(&text),
                None if body.is_object() => webhook_claim_of(&to_value(&body)),
                None => Err(WebhookBodyError::Malformed),
            }
            .map_err(|e| keyin_error("WEBHOOK_MALFORMED", e.message()))?;
            verify_webhook(&*up, &claim, &build_options(locale))
                .await
                .map(|v| crate::js::serde_js(&v))
                .map_err(|e| error_js(&e))
        })
    }
}
