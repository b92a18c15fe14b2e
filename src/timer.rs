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

/// A pending `setTimeout` that aborts a request. Dropping it clears the timer
/// and frees its callback (a cleared `once_into_js` callback would leak).
pub(crate) struct AbortTimer {
    id: JsValue,
    _callback: Closure<dyn FnMut()>,
}

impl AbortTimer {
    /// Aborts `controller` after `ms` unless dropped first.
    pub(crate) fn new(controller: &web_sys::AbortController, ms: f64) -> AbortTimer {
        let c = controller.clone();
        let callback = Closure::<dyn FnMut()>::new(move || c.abort());
        let id = set_timeout(callback.as_ref(), ms);
        AbortTimer {
            id,
            _callback: callback,
        }
    }
}

impl Drop for AbortTimer {
    fn drop(&mut self) {
        clear_timeout(&self.id);
    }
}
