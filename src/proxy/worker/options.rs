//! `createProxy`'s options and the per-request env bindings, read from JS.

use js_sys::Function;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::js::prop;
use crate::proxy::{
    check_origins_option, client_ip_header_option, default_client_ip_rule, env_source,
    parse_operations, ClientIpRule, EnvSource, Policy, ServerFields, DEFAULT_BASE_PATH,
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
    /// Where the client's address comes from.
    pub client_ip: ClientIp,
    /// `createProxy({ env })`: the bindings when the handler's second argument has none.
    pub env: Option<JsValue>,
    /// The card-testing limits (`None`: `limits: false`).
    pub limits: Option<super::limit::LimitOptions>,
    /// `limitKey(request, operation, env)`: the merchant's key for the limits.
    pub limit_key: Option<Function>,
    /// `challenge(request, operation, reason, env)`: `true` lets a soft-limited request through.
    pub challenge: Option<Function>,
}

/// The `clientIp` option, read.
pub(super) enum ClientIp {
    /// A header, or no source.
    Rule(ClientIpRule),
    /// `clientIp(request, env)`.
    Hook(Function),
}

/// The `clientIp` option: a function, a header name, `false`, or (absent) the
/// runtime's own header when the runtime is known.
fn client_ip(options: &JsValue) -> Result<ClientIp, JsValue> {
    let v = prop(options, "clientIp");
    if let Some(f) = v.dyn_ref::<Function>() {
        return Ok(ClientIp::Hook(f.clone()));
    }
    if v.as_bool() == Some(false) {
        return Ok(ClientIp::Rule(ClientIpRule::None));
    }
    if let Some(name) = v.as_string() {
        return client_ip_header_option(&name)
            .map(ClientIp::Rule)
            .map_err(|m| type_error(&m));
    }
    if !(v.is_undefined() || v.is_null()) {
        return Err(type_error(
            "createProxy: clientIp must be a header name, a function, or false",
        ));
    }
    let global = js_sys::global();
    let defined = |k: &str| !prop(&global, k).is_undefined();
    Ok(ClientIp::Rule(default_client_ip_rule(
        user_agent().as_deref(),
        defined("EdgeRuntime"),
        defined("Netlify"),
    )))
}

/// `navigator.userAgent`, which names the runtime (`Cloudflare-Workers`).
pub(super) fn user_agent() -> Option<String> {
    prop(&prop(&js_sys::global(), "navigator"), "userAgent").as_string()
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
    let env = prop(options, "env");
    let env = if env.is_undefined() || env.is_null() {
        None
    } else if env.is_object() {
        Some(env)
    } else {
        return Err(type_error("createProxy: env must be an object"));
    };
    let limits = super::limit::read_option(options)?;
    let limit_key = hook(options, "limitKey")?;
    let challenge = hook(options, "challenge")?;
    if limits.is_none() && (limit_key.is_some() || challenge.is_some()) {
        return Err(type_error(
            "createProxy: limitKey and challenge need the limits (limits: false turns them off)",
        ));
    }
    Ok(Options {
        limits,
        limit_key,
        challenge,
        client_ip: client_ip(options)?,
        env,
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
    /// `KEYIN_LIMIT_SALT`: the key of the limits' hashes (default: `IMP_SECRET`).
    pub limit_salt: Option<String>,
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
        limit_salt: s("KEYIN_LIMIT_SALT"),
        #[cfg(feature = "test-trap")]
        trap_after_charge: s("KEYIN_TEST_TRAP_AFTER_CHARGE").is_some(),
    }
}

/// Whether `v` is an object carrying `IMP_KEY` or `IMP_SECRET`.
fn has_bindings(v: &JsValue) -> bool {
    v.is_object() && (prop(v, "IMP_KEY").is_string() || prop(v, "IMP_SECRET").is_string())
}

/// `Deno.env`'s bindings as an object (`None` outside Deno, or without
/// `--allow-env` for them: its `get` throws then).
fn deno_env() -> Option<JsValue> {
    let env = prop(&prop(&js_sys::global(), "Deno"), "env");
    let get = prop(&env, "get").dyn_into::<Function>().ok()?;
    let out = js_sys::Object::new();
    for k in ["IMP_KEY", "IMP_SECRET", "IAMPORT_API_URL", "IAMPORT_TIER"] {
        let v = get.call1(&env, &JsValue::from_str(k)).ok()?;
        if v.is_string() {
            let _ = js_sys::Reflect::set(&out, &JsValue::from_str(k), &v);
        }
    }
    Some(out.into())
}

/// The env a request runs with (see [`env_source`]): the handler's argument
/// when it carries the bindings, else `createProxy({ env })`, else
/// `process.env`, else `Deno.env`. The hooks get the same object.
pub(super) fn resolve_env(options: &Options, argument: &JsValue) -> JsValue {
    let process = prop(&prop(&js_sys::global(), "process"), "env");
    let deno = if has_bindings(argument)
        || options.env.as_ref().is_some_and(has_bindings)
        || has_bindings(&process)
    {
        None
    } else {
        deno_env()
    };
    match env_source(
        has_bindings(argument),
        options.env.as_ref().is_some_and(has_bindings),
        has_bindings(&process),
        deno.as_ref().is_some_and(has_bindings),
    ) {
        EnvSource::Argument | EnvSource::Missing => argument.clone(),
        EnvSource::Option => options.env.clone().unwrap_or_default(),
        EnvSource::Process => process,
        EnvSource::Deno => deno.unwrap_or_default(),
    }
}
