//! `createProxy`'s options and the per-request env bindings, read from JS.

use js_sys::Function;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::js::prop;
use crate::proxy::{
    check_origins_option, parse_operations, Policy, ServerFields, DEFAULT_BASE_PATH,
    DEFAULT_MAX_BODY_BYTES, DEFAULT_UPSTREAM_TIMEOUT_MS,
};

/// The proxy's configuration, read once at `createProxy`.
pub(super) struct Options {
    pub base_path: String,
    pub allowed_origins: Vec<String>,
    pub allow_credentials: bool,
    pub policy: Policy,
    pub max_body_bytes: usize,
    pub upstream_timeout_ms: f64,
    pub authorize: Option<Function>,
    pub resolve_amount: Option<Function>,
    pub log: Option<Function>,
    /// The webhook route exists only with this hook.
    pub on_payment: Option<Function>,
    /// The only addresses that may post webhooks (none: any, verified by look-up).
    pub webhook_ips: Option<Vec<String>>,
}

pub(super) fn type_error(msg: &str) -> JsValue {
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

/// An optional list of strings.
fn strings(options: &JsValue, key: &str) -> Result<Option<Vec<String>>, JsValue> {
    let v = prop(options, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    let bad = || type_error(&format!("createProxy: {key} must be an array of strings"));
    if !js_sys::Array::is_array(&v) {
        return Err(bad());
    }
    js_sys::Array::from(&v)
        .iter()
        .map(|o| o.as_string())
        .collect::<Option<Vec<String>>>()
        .map(Some)
        .ok_or_else(bad)
}

/// An optional string.
fn string(options: &JsValue, key: &str) -> Result<Option<String>, JsValue> {
    let v = prop(options, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| type_error(&format!("createProxy: {key} must be a string")))
}

/// Reads the options, and fails closed: no `authorize`, or a priced operation
/// served without `resolveAmount`, throws here, at deploy time.
///
/// # Errors
/// A `TypeError` naming the first missing or malformed option.
pub(super) fn read(options: &JsValue) -> Result<Options, JsValue> {
    if !(options.is_undefined() || options.is_null() || options.is_object()) {
        return Err(type_error("createProxy: options must be an object"));
    }
    let base = prop(options, "basePath");
    let base_path = match base.as_string() {
        Some(p) if p.starts_with('/') && !p.ends_with('/') && !p.contains("//") => p,
        Some(_) => {
            return Err(type_error(
                "createProxy: basePath must start with / and not end with /",
            ))
        }
        None if base.is_undefined() => DEFAULT_BASE_PATH.to_owned(),
        None => return Err(type_error("createProxy: basePath must be a string")),
    };
    let allowed_origins = strings(options, "allowedOrigins")?.unwrap_or_default();
    let credentials = prop(options, "allowCredentials");
    let allow_credentials = match credentials.as_bool() {
        Some(b) => b,
        None if credentials.is_undefined() => false,
        None => {
            return Err(type_error(
                "createProxy: allowCredentials must be a boolean",
            ))
        }
    };
    check_origins_option(&allowed_origins, allow_credentials).map_err(|m| type_error(&m))?;
    let operations = match strings(options, "operations")? {
        Some(names) => Some(parse_operations(&names).map_err(|m| type_error(&m))?),
        None => None,
    };
    let number = |key: &str, default: f64| -> Result<f64, JsValue> {
        let v = prop(options, key);
        match v.as_f64() {
            None if v.is_undefined() => Ok(default),
            Some(n) if n.is_finite() && n > 0.0 => Ok(n),
            _ => Err(type_error(&format!(
                "createProxy: {key} must be a positive number"
            ))),
        }
    };
    let authorize = hook(options, "authorize")?;
    let resolve_amount = hook(options, "resolveAmount")?;
    let policy = Policy {
        operations,
        has_authorize: authorize.is_some(),
        has_resolve_amount: resolve_amount.is_some(),
        server_fields: ServerFields {
            pg: string(options, "pg")?,
            channel_key: string(options, "channelKey")?,
            notice_url: string(options, "noticeUrl")?,
        },
    };
    policy.check().map_err(|m| type_error(&m))?;
    let on_payment = hook(options, "onPayment")?;
    let webhook_ips = strings(options, "webhookIps")?;
    if let Some(ips) = &webhook_ips {
        if on_payment.is_none() {
            return Err(type_error(
                "createProxy: webhookIps needs onPayment (the webhook route exists only with it)",
            ));
        }
        if ips.is_empty() || ips.iter().any(|ip| !crate::api::read::is_ip(ip)) {
            return Err(type_error(
                "createProxy: webhookIps must be a non-empty array of IP addresses",
            ));
        }
    }
    Ok(Options {
        base_path,
        allowed_origins,
        allow_credentials,
        policy,
        max_body_bytes: number("maxBodyBytes", DEFAULT_MAX_BODY_BYTES as f64)? as usize,
        upstream_timeout_ms: number("upstreamTimeoutMs", DEFAULT_UPSTREAM_TIMEOUT_MS)?,
        authorize,
        resolve_amount,
        log: hook(options, "log")?,
        on_payment,
        webhook_ips,
    })
}

/// Env bindings, read per request.
pub(super) struct Env {
    pub imp_key: Option<String>,
    pub imp_secret: Option<String>,
    pub api_url: Option<String>,
    pub tier: Option<String>,
    /// Test builds only: trap the instance once a charge has been forwarded.
    #[cfg(feature = "test-trap")]
    pub trap_after_charge: bool,
}

pub(super) fn read_env(env: &JsValue) -> Env {
    let s = |k: &str| prop(env, k).as_string().filter(|v| !v.is_empty());
    Env {
        imp_key: s("IMP_KEY"),
        imp_secret: s("IMP_SECRET"),
        api_url: s("IAMPORT_API_URL"),
        tier: s("IAMPORT_TIER"),
        #[cfg(feature = "test-trap")]
        trap_after_charge: s("KEYIN_TEST_TRAP_AFTER_CHARGE").is_some(),
    }
}
