//! Timers and the global `fetch`, bound on `globalThis` so they work in pages,
//! web workers, Node and workerd alike (never at module scope).

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    pub(crate) fn set_timeout(callback: &JsValue, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    pub(crate) fn clear_timeout(id: &JsValue);
}

/// Resolves after `ms` milliseconds.
pub(crate) async fn sleep(ms: u32) {
    let promise = Promise::new(&mut |resolve, _reject| {
        set_timeout(&resolve, f64::from(ms));
    });
    let _ = JsFuture::from(promise).await;
}

/// Aborts `controller` after `ms`; returns the timer id for `clear_timeout`.
pub(crate) fn abort_after(controller: &web_sys::AbortController, ms: f64) -> JsValue {
    let c = controller.clone();
    set_timeout(&Closure::once_into_js(move || c.abort()), ms)
}
