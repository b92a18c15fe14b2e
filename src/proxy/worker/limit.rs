//! The card-testing limits' I/O: where the counters live on this runtime, the
//! `limitKey` and `challenge` hooks, and the Durable Object (`KeyinLimiter`)
//! that shares the counters between isolates. Every decision is
//! [`crate::proxy::admit`] / [`crate::proxy::record`].

use std::cell::RefCell;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::js::prop;
use crate::proxy::{
    admit, admit_call, read_admitted, read_recorded, record, record_call, restore_object,
    serve_object, Admitted, Counters, Hit, LimitEvent, Limits, MemoryStore, Scope, StoreFailed,
};

/// The env binding of the Durable Object namespace that holds the counters.
pub(super) const BINDING: &str = "KEYIN_LIMITER";
/// The one object every proxy asks (`idFromName`).
const OBJECT_NAME: &str = "keyin-limiter";

/// The `limits` option, read.
pub(super) struct LimitOptions {
    pub limits: Limits,
    /// `limits.store`: an object with `hit(key, windowSeconds, by)`.
    pub store: Option<JsValue>,
    /// This isolate's counters, when neither a store nor the binding is given.
    pub memory: RefCell<MemoryStore>,
    /// Whether the per-isolate warning was logged.
    pub warned: std::cell::Cell<bool>,
    /// Whether the shared-scope warning was logged (no address, no key).
    pub warned_shared: std::cell::Cell<bool>,
}

/// Reads `limits`: `false` turns them off (`None`); absent, the defaults.
///
/// # Errors
/// A `TypeError` for a malformed limit or store.
pub(super) fn read_option(options: &JsValue) -> Result<Option<LimitOptions>, JsValue> {
    let v = prop(options, "limits");
    if v.as_bool() == Some(false) {
        return Ok(None);
    }
    let type_error = |m: &str| JsValue::from(js_sys::TypeError::new(m));
    let limits = if v.is_undefined() || v.is_null() {
        Limits::default()
    } else if v.is_object() {
        Limits::from_value(&crate::js::to_value(&v)).map_err(|m| type_error(&m))?
    } else {
        return Err(type_error(
            "createProxy: limits must be an object, or false to turn them off",
        ));
    };
    let store = prop(&v, "store");
    let store = if store.is_undefined() || store.is_null() {
        None
    } else if prop(&store, "hit").is_function() {
        Some(store)
    } else {
        return Err(type_error(
            "createProxy: limits.store must be an object with hit(key, windowSeconds, by)",
        ));
    };
    Ok(Some(LimitOptions {
        limits,
        store,
        memory: RefCell::new(MemoryStore::default()),
        warned: std::cell::Cell::new(false),
        warned_shared: std::cell::Cell::new(false),
    }))
}

/// Where this request's counters are.
pub(super) enum Backend<'a> {
    /// In this runtime: the merchant's `limits.store`, or this isolate's memory.
    Here(Here<'a>),
    /// The Durable Object bound as `KEYIN_LIMITER`.
    Object(JsValue),
}

/// Counters this runtime reaches without a round trip to the object: one type,
/// so that `admit` and `record` are compiled once for both.
pub(super) enum Here<'a> {
    /// The merchant's `limits.store`.
    Store(JsStore),
    /// This isolate's memory.
    Memory(&'a RefCell<MemoryStore>),
}

impl Counters for Here<'_> {
    async fn hit(&mut self, key: &str, window_s: u32, by: u32) -> Result<Hit, StoreFailed> {
        match self {
            Here::Store(s) => s.hit(key, window_s, by).await,
            Here::Memory(m) => {
                let mut store = m.try_borrow_mut().map_err(|_| StoreFailed)?;
                Ok(store.hit_at(key, window_s, by, js_sys::Date::now()))
            }
        }
    }
}

/// Picks the store: `limits.store`; else the `KEYIN_LIMITER` binding in the
/// request's env; else this isolate's memory (exact in a single process:
/// Node, Deno, Bun; per isolate on Workers without the binding).
pub(super) fn backend<'a>(o: &'a LimitOptions, env: &JsValue) -> Backend<'a> {
    if let Some(store) = &o.store {
        return Backend::Here(Here::Store(JsStore {
            hit: prop(store, "hit").unchecked_into(),
            store: store.clone(),
        }));
    }
    let ns = prop(env, BINDING);
    if prop(&ns, "idFromName").is_function() && prop(&ns, "get").is_function() {
        return Backend::Object(ns);
    }
    Backend::Here(Here::Memory(&o.memory))
}

impl Backend<'_> {
    /// Whether the counters are this isolate's own.
    pub(super) fn is_memory(&self) -> bool {
        matches!(self, Backend::Here(Here::Memory(_)))
    }

    pub(super) async fn admit(
        &mut self,
        limits: &Limits,
        scopes: &[Scope],
        card: Option<&str>,
    ) -> Result<Admitted, StoreFailed> {
        match self {
            Backend::Here(h) => admit(h, limits, scopes, card).await,
            Backend::Object(ns) => {
                let text = call_object(ns, admit_call(limits, scopes, card)).await?;
                read_admitted(&text).ok_or(StoreFailed)
            }
        }
    }

    pub(super) async fn record(
        &mut self,
        limits: &Limits,
        scopes: &[Scope],
        breaker_open: bool,
    ) -> Result<Vec<LimitEvent>, StoreFailed> {
        match self {
            Backend::Here(h) => record(h, limits, scopes, breaker_open, true).await,
            Backend::Object(ns) => {
                let text = call_object(ns, record_call(limits, scopes, breaker_open)).await?;
                read_recorded(&text).ok_or(StoreFailed)
            }
        }
    }
}

/// The merchant's store (Redis, a database): `hit(key, windowSeconds, by)`
/// answers the count (or `{ count, resetSeconds }`), or a Promise of it.
pub(super) struct JsStore {
    store: JsValue,
    hit: Function,
}

impl Counters for JsStore {
    async fn hit(&mut self, key: &str, window_s: u32, by: u32) -> Result<Hit, StoreFailed> {
        let r = self
            .hit
            .call3(
                &self.store,
                &JsValue::from_str(key),
                &JsValue::from(window_s),
                &JsValue::from(by),
            )
            .map_err(|_| StoreFailed)?;
        let v = JsFuture::from(Promise::resolve(&r))
            .await
            .map_err(|_| StoreFailed)?;
        let whole = |v: &JsValue| {
            v.as_f64()
                .filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n <= f64::from(u32::MAX))
                .map(|n| n as u32)
        };
        // A bare count: the window's end is not known, so a wait is the whole window.
        if let Some(count) = whole(&v) {
            return Ok(Hit {
                count,
                reset_in: window_s,
            });
        }
        let count = whole(&prop(&v, "count")).ok_or(StoreFailed)?;
        let reset = prop(&v, "resetSeconds");
        let reset_in = if reset.is_undefined() {
            window_s
        } else {
            whole(&reset).ok_or(StoreFailed)?.min(window_s)
        };
        Ok(Hit { count, reset_in })
    }
}

/// One call to the Durable Object: its answer's text (status 200 only).
async fn call_object(ns: &JsValue, body: String) -> Result<String, StoreFailed> {
    let method = |o: &JsValue, name: &str| -> Result<Function, StoreFailed> {
        prop(o, name)
            .dyn_into::<Function>()
            .map_err(|_| StoreFailed)
    };
    let id = method(ns, "idFromName")?
        .call1(ns, &JsValue::from_str(OBJECT_NAME))
        .map_err(|_| StoreFailed)?;
    let stub = method(ns, "get")?.call1(ns, &id).map_err(|_| StoreFailed)?;
    let init = js_sys::Object::new();
    let _ = Reflect::set(&init, &"method".into(), &"POST".into());
    let _ = Reflect::set(&init, &"body".into(), &body.into());
    let promise = method(&stub, "fetch")?
        .call2(&stub, &"https://keyin-limiter/".into(), &init)
        .map_err(|_| StoreFailed)?;
    let response: web_sys::Response = JsFuture::from(Promise::resolve(&promise))
        .await
        .map_err(|_| StoreFailed)?
        .dyn_into()
        .map_err(|_| StoreFailed)?;
    if response.status() != 200 {
        return Err(StoreFailed);
    }
    let text = JsFuture::from(response.text().map_err(|_| StoreFailed)?)
        .await
        .map_err(|_| StoreFailed)?;
    text.as_string().ok_or(StoreFailed)
}

/// The Durable Object's core: the counters, served one call at a time, and
/// what to persist so that they outlive the object's eviction. The package's
/// `KeyinLimiter` class (the object itself) only moves bytes to and from it.
#[wasm_bindgen(js_name = __LimiterCore, skip_typescript)]
#[derive(Debug)]
pub struct LimiterCore {
    store: MemoryStore,
}

impl Default for LimiterCore {
    fn default() -> Self {
        LimiterCore {
            store: MemoryStore::persisted(crate::proxy::MEMORY_CAP),
        }
    }
}

#[wasm_bindgen(js_class = __LimiterCore)]
impl LimiterCore {
    /// An empty core.
    #[wasm_bindgen(constructor)]
    pub fn new() -> LimiterCore {
        LimiterCore::default()
    }

    /// Puts back the stored counters (`{ key: [count, resetAt] }` as JSON);
    /// answers the keys to delete (expired, or unreadable) as a JSON array.
    pub fn restore(&mut self, stored: &str, now_ms: f64) -> String {
        restore_object(&mut self.store, stored, now_ms)
    }

    /// Serves one call: `{"body": answer or null, "put": {...}, "delete": [...]}`.
    pub fn serve(&mut self, body: &str, now_ms: f64) -> String {
        serve_object(&mut self.store, body, now_ms)
    }
}
