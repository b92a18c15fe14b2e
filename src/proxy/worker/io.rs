//! The proxy's I/O primitives: answers, bounded body reads, upstream sends
//! with the runtime's timeout signal, and calls into merchant hooks.

use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortSignal, Headers, ReadableStreamDefaultReader, Request as WebRequest, RequestInit,
    Response, ResponseInit,
};

use crate::proxy::{cors_headers, Cors, ProxyCode, ProxyError, SendFailure, ANSWER_HEADERS};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Result<Promise, JsValue>;
}

/// `Headers::new` cannot fail in a conforming runtime; keep the code total anyway.
pub(super) fn new_headers() -> Headers {
    Headers::new().unwrap_or_else(|_| JsValue::UNDEFINED.unchecked_into())
}

pub(super) fn fallback_response() -> Response {
    Response::new().unwrap_or_else(|_| JsValue::UNDEFINED.unchecked_into())
}

pub(super) fn response(status: u16, body: Option<&str>, headers: &Headers) -> Response {
    let init = ResponseInit::new();
    init.set_status(status);
    init.set_headers(headers);
    Response::new_with_opt_str_and_init(body, &init).unwrap_or_else(|_| fallback_response())
}

/// The headers of every answer: JSON, `nosniff`, `no-store`.
pub(super) fn answer_headers() -> Headers {
    let headers = new_headers();
    for (k, v) in ANSWER_HEADERS {
        let _ = headers.set(k, v);
    }
    headers
}

pub(super) fn add_cors(headers: &Headers, cors: Option<&Cors>, requested: Option<&str>) {
    if let Some(c) = cors {
        for (k, v) in cors_headers(c, requested) {
            let _ = headers.set(k, &v);
        }
    }
}

pub(super) fn error_response(e: &ProxyError, cors: Option<&Cors>) -> Response {
    let body = crate::json_out::to_string(&e.body()).unwrap_or_else(|_| {
        r#"{"error":{"code":"INTERNAL","message":"internal error"}}"#.to_owned()
    });
    let headers = answer_headers();
    if let Some(s) = e.retry_after {
        let _ = headers.set("retry-after", &s.to_string());
    }
    add_cors(&headers, cors, None);
    response(e.status, Some(&body), &headers)
}

fn unreadable() -> ProxyError {
    ProxyError::new(ProxyCode::MalformedJson, "body could not be read")
}

/// Reads the body, refusing more than `max` bytes while reading (so a body
/// without a length cannot exhaust memory).
pub(super) async fn read_body(request: &WebRequest, max: usize) -> Result<Vec<u8>, ProxyError> {
    let too_large = || ProxyError::new(ProxyCode::BodyTooLarge, "body too large");
    let has_length = match request.headers().get("content-length") {
        Ok(Some(len)) => {
            if len.trim().parse::<u64>().map_or(true, |n| n > max as u64) {
                return Err(too_large());
            }
            true
        }
        _ => false,
    };
    let Some(stream) = request.body() else {
        return Ok(Vec::new());
    };
    // With a length (checked above against `max`), the runtime delimits the body by it:
    // read it in one go. Without one (chunked), read chunk by chunk and stop at `max`.
    if has_length {
        let buf = JsFuture::from(request.array_buffer().map_err(|_| unreadable())?)
            .await
            .map_err(|_| unreadable())?;
        let bytes = Uint8Array::new(&buf);
        if bytes.length() as usize > max {
            return Err(too_large());
        }
        return Ok(bytes.to_vec());
    }
    let reader: ReadableStreamDefaultReader =
        stream.get_reader().dyn_into().map_err(|_| unreadable())?;
    let mut out = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|_| unreadable())?;
        if Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            == Some(true)
        {
            return Ok(out);
        }
        let value = Reflect::get(&chunk, &"value".into()).unwrap_or(JsValue::UNDEFINED);
        let bytes = Uint8Array::new(&value);
        if out.len() + bytes.length() as usize > max {
            let _ = reader.cancel();
            return Err(too_large());
        }
        let start = out.len();
        out.resize(start + bytes.length() as usize, 0);
        bytes.copy_to(&mut out[start..]);
    }
}

/// Calls a hook and awaits what it returns, whatever it is: a value, a
/// Promise, or any thenable (an ORM's lazy query is one): `Promise.resolve`
/// adopts it. `Err` holds what it threw or rejected with.
pub(super) async fn call_hook(f: &Function, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    let r = match args {
        [a] => f.call1(&JsValue::NULL, a),
        [a, b] => f.call2(&JsValue::NULL, a, b),
        [a, b, c] => f.call3(&JsValue::NULL, a, b, c),
        [a, b, c, d] => f.call4(&JsValue::NULL, a, b, c, d),
        _ => f.call0(&JsValue::NULL),
    }?;
    JsFuture::from(Promise::resolve(&r)).await
}

/// An upstream answer's body: read whole, or handed on as it streams.
pub(super) enum Body {
    Text(String),
    Stream(Option<web_sys::ReadableStream>),
}

impl Body {
    pub(super) fn text(self) -> String {
        match self {
            Body::Text(t) => t,
            Body::Stream(_) => String::new(),
        }
    }
}

/// An upstream answer: status and body (its content type is not passed on:
/// the proxy always answers JSON).
pub(super) struct Answer {
    pub status: u16,
    pub body: Body,
}

/// One upstream call, aborted after `timeout_ms`. With `stream`, the body is
/// handed on unread once the headers are in (look-ups); else it is read whole
/// within the timeout (charges, whose outcome a cut-off body leaves unknown).
pub(super) async fn send(
    url: &str,
    method: &str,
    headers: &Headers,
    body: Option<&str>,
    timeout_ms: f64,
    stream: bool,
) -> Result<Answer, SendFailure> {
    // The runtime's own timeout signal: no controller, closure or timer of ours per call.
    let signal = AbortSignal::timeout_with_f64(timeout_ms);
    let init = RequestInit::new();
    init.set_method(method);
    init.set_headers(headers);
    if let Some(b) = body {
        init.set_body(&JsValue::from_str(b));
    }
    init.set_signal(Some(&signal));
    let outcome = async {
        let resp: Response =
            JsFuture::from(global_fetch(url, &init).map_err(|_| SendFailure::Network)?)
                .await
                .map_err(|_| SendFailure::Network)?
                .unchecked_into();
        let body = if stream {
            Body::Stream(resp.body())
        } else {
            let text = JsFuture::from(resp.text().map_err(|_| SendFailure::Network)?)
                .await
                .map_err(|_| SendFailure::Network)?;
            Body::Text(text.as_string().unwrap_or_default())
        };
        Ok(Answer {
            status: resp.status(),
            body,
        })
    }
    .await;
    match outcome {
        Err(_) if signal.aborted() => Err(SendFailure::Timeout),
        other => other,
    }
}
