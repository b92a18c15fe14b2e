//! Webhooks, as Iamport V1 sends them: `POST` with the JSON body
//! `{"imp_uid", "merchant_uid", "status"}` after a paid key-in or billing-key
//! charge and after every scheduled execution (paid or failed), to the
//! request's `notice_url`, else `--webhook-url`, else nowhere.
//!
//! Each delivery runs in a background task over a hyper client (`http://`
//! only: an `https://` target is recorded as failed). An attempt that gets no
//! answer (connection error, [`ATTEMPT_TIMEOUT`]) or a 5xx is retried after
//! each of [`RETRY_DELAYS_MS`]; any other answer ends it. Every delivery is
//! listed at `GET /__sandbox/webhooks`; `POST /__sandbox/webhooks/send` sends
//! an arbitrary body the same way (forged-webhook tests). The bodies hold no
//! card data; log lines hold the delivery id and the status, never a body.

use std::error::Error;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderValue, Request, Uri};
use http_body_util::Full;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{json, Map, Value as Json};

use crate::store::{After, Notice, Reply};
use crate::Sandbox;

/// The waits before each retry: 5 retries after the first attempt, short so
/// that tests stay fast.
pub(crate) const RETRY_DELAYS_MS: [u64; 5] = [100, 200, 400, 800, 1600];

/// How long one attempt may take, from connecting to the answer's status line.
pub(crate) const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);

/// How a body is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
}

impl Encoding {
    fn content_type(self) -> &'static str {
        match self {
            Encoding::Json => "application/json",
            Encoding::Form => "application/x-www-form-urlencoded",
        }
    }
}

/// A body to send.
#[derive(Debug, Clone)]
pub(crate) struct Payload {
    /// As listed: the JSON object sent, or the text sent (form or raw bodies).
    shown: Json,
    /// The bytes sent.
    text: String,
    encoding: Encoding,
}

impl Payload {
    /// A JSON object, sent as JSON.
    fn object(body: Map<String, Json>) -> Payload {
        let body = Json::Object(body);
        Payload {
            text: body.to_string(),
            shown: body,
            encoding: Encoding::Json,
        }
    }

    /// What `POST /__sandbox/webhooks/send` asked for: an object is sent as
    /// JSON (or form-encoded, one pair per field), a string as it is, under
    /// the content type asked for (by default JSON for an object, form for a
    /// string).
    fn of_request(body: &Json, encoding: Option<Encoding>) -> Option<Payload> {
        match (body, encoding) {
            (Json::Object(m), None | Some(Encoding::Json)) => Some(Payload::object(m.clone())),
            (Json::Object(m), Some(Encoding::Form)) => {
                let mut form = form_urlencoded::Serializer::new(String::new());
                for (k, v) in m {
                    match v {
                        Json::String(s) => form.append_pair(k, s),
                        Json::Null => form.append_pair(k, ""),
                        other => form.append_pair(k, &other.to_string()),
                    };
                }
                let text = form.finish();
                Some(Payload {
                    shown: Json::String(text.clone()),
                    text,
                    encoding: Encoding::Form,
                })
            }
            (Json::String(s), e) => Some(Payload {
                shown: Json::String(s.clone()),
                text: s.clone(),
                encoding: e.unwrap_or(Encoding::Form),
            }),
            _ => None,
        }
    }
}

/// One webhook: where it goes, what it says and how its delivery went.
#[derive(Debug, Clone)]
pub(crate) struct Delivery {
    id: u64,
    url: String,
    body: Json,
    /// Attempts made so far.
    attempts: u32,
    /// The last attempt's HTTP status (none: no answer, or no attempt yet).
    last_status: Option<u16>,
    /// No attempt is left to make.
    done: bool,
    /// Why the last attempt failed, or why none was made.
    error: Option<String>,
}

impl Delivery {
    fn to_json(&self) -> Json {
        let mut m = Map::new();
        m.insert("id".into(), json!(self.id));
        m.insert("url".into(), json!(self.url));
        m.insert("body".into(), self.body.clone());
        m.insert("attempts".into(), json!(self.attempts));
        m.insert("last_status".into(), json!(self.last_status));
        m.insert("done".into(), json!(self.done));
        if let Some(e) = &self.error {
            m.insert("error".into(), json!(e));
        }
        Json::Object(m)
    }
}

/// The target as a URI the client can reach: `http://` with a host.
fn target(url: &str) -> Result<Uri, String> {
    let uri: Uri = url
        .parse()
        .map_err(|_| "not a valid URL: the sandbox sends webhooks to http:// URLs".to_owned())?;
    match uri.scheme_str() {
        Some("http") if uri.host().is_some_and(|h| !h.is_empty()) => Ok(uri),
        Some("https") => Err(
            "https is not supported: the sandbox sends webhooks to http:// URLs only".to_owned(),
        ),
        _ => Err("not an http:// URL: the sandbox sends webhooks to http:// URLs only".to_owned()),
    }
}

/// An error and its causes, on one line (hyper's top-level message alone says little).
fn error_text(e: &(dyn Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

impl Sandbox {
    /// Sends the webhooks a call owes: each to its `notice_url`, else to
    /// `--webhook-url`; without either, none.
    pub(crate) fn notify(&self, notices: Vec<Notice>) {
        for n in notices {
            let Some(url) = n.notice_url.or_else(|| self.config.webhook_url.clone()) else {
                continue;
            };
            let mut body = Map::new();
            body.insert("imp_uid".into(), json!(n.imp_uid));
            body.insert("merchant_uid".into(), json!(n.merchant_uid));
            body.insert("status".into(), json!(n.status));
            self.deliver(url, Payload::object(body));
        }
    }

    /// Records a delivery and starts it in a background task; returns its id.
    /// A target that is not `http://` is recorded as failed, with no attempt.
    fn deliver(&self, url: String, payload: Payload) -> u64 {
        let id = self.delivery_seq.fetch_add(1, Ordering::Relaxed) + 1;
        let uri = target(&url);
        let mut d = Delivery {
            id,
            url,
            body: payload.shown.clone(),
            attempts: 0,
            last_status: None,
            done: false,
            error: None,
        };
        if let Err(e) = &uri {
            d.done = true;
            d.error = Some(e.clone());
            self.log_delivery(id, "not sent (not an http:// URL)");
        }
        self.lock().deliveries.push(d);
        if let Ok(uri) = uri {
            tokio::spawn(run(self.clone(), id, uri, payload));
        }
        id
    }

    /// Changes delivery `id`, if it is still listed (a reset forgets them all).
    fn update_delivery(&self, id: u64, f: impl FnOnce(&mut Delivery)) {
        if let Some(d) = self.lock().deliveries.iter_mut().find(|d| d.id == id) {
            f(d);
        }
    }

    fn log_delivery(&self, id: u64, what: &str) {
        if self.config.log {
            eprintln!("[sandbox] webhook #{id} -> {what}");
        }
    }
}

/// One delivery: the first attempt, then a retry after each of
/// [`RETRY_DELAYS_MS`] while the answer is a 5xx or missing.
async fn run(sb: Sandbox, id: u64, uri: Uri, payload: Payload) {
    let client: Client<HttpConnector, Full<Bytes>> =
        Client::builder(TokioExecutor::new()).build_http();
    let mut waits = RETRY_DELAYS_MS.iter();
    for n in 1.. {
        let answer =
            match tokio::time::timeout(ATTEMPT_TIMEOUT, attempt(&client, &uri, &payload)).await {
                Ok(a) => a,
                Err(_) => Err(format!("no answer within {} s", ATTEMPT_TIMEOUT.as_secs())),
            };
        let wait = match &answer {
            Ok(status) if *status < 500 => None,
            _ => waits.next(),
        };
        let retry = wait.is_some();
        sb.update_delivery(id, |d| {
            d.attempts += 1;
            match &answer {
                Ok(status) => {
                    d.last_status = Some(*status);
                    d.error = (*status >= 500).then(|| format!("HTTP {status}"));
                }
                Err(e) => {
                    d.last_status = None;
                    d.error = Some(e.clone());
                }
            }
            if !retry {
                d.done = true;
                if let Some(e) = d.error.take() {
                    d.error = Some(format!("gave up after {} attempts: {e}", d.attempts));
                }
            }
        });
        match &answer {
            Ok(status) => sb.log_delivery(id, &format!("{status} (attempt {n})")),
            Err(_) => sb.log_delivery(id, &format!("no answer (attempt {n})")),
        }
        match wait {
            Some(ms) => tokio::time::sleep(Duration::from_millis(*ms)).await,
            None => return,
        }
    }
}

/// One attempt: the answer's HTTP status, or why there is none.
async fn attempt(
    client: &Client<HttpConnector, Full<Bytes>>,
    uri: &Uri,
    payload: &Payload,
) -> Result<u16, String> {
    let req = Request::post(uri.clone())
        .header(
            header::CONTENT_TYPE,
            HeaderValue::from_static(payload.encoding.content_type()),
        )
        .header(
            header::USER_AGENT,
            HeaderValue::from_static("iamport-sandbox"),
        )
        .body(Full::new(Bytes::from(payload.text.clone())))
        .map_err(|e| error_text(&e))?;
    let res = client.request(req).await.map_err(|e| error_text(&e))?;
    Ok(res.status().as_u16())
}

/// `GET /__sandbox/webhooks`: every delivery, in creation order.
pub(crate) async fn list(State(sb): State<Sandbox>) -> Reply {
    let deliveries: Vec<Json> = sb.lock().deliveries.iter().map(Delivery::to_json).collect();
    Reply {
        status: 200,
        body: json!({ "deliveries": deliveries }),
        after: After::Answer,
    }
}

/// `POST /__sandbox/webhooks/send`: `{"url"?, "body": object|string,
/// "content_type"?: "json"|"form"}` sends any body (to `--webhook-url` when no
/// url is given) with the same retries; answers `{"id": n}`.
pub(crate) async fn send(State(sb): State<Sandbox>, body: Bytes) -> Reply {
    const USAGE: &str = "give {\"url\"?: string, \"body\": object|string, \"content_type\"?: \"json\"|\"form\"} as JSON";
    let Ok(Json::Object(v)) = serde_json::from_slice::<Json>(&body) else {
        return Reply::error(400, -1, USAGE);
    };
    let url = match v.get("url") {
        Some(Json::String(u)) => u.clone(),
        None | Some(Json::Null) => match &sb.config.webhook_url {
            Some(u) => u.clone(),
            None => return Reply::error(400, -1, "no url given and no --webhook-url set"),
        },
        Some(_) => return Reply::error(400, -1, USAGE),
    };
    let encoding = match v.get("content_type") {
        None | Some(Json::Null) => None,
        Some(Json::String(s)) if s == "json" => Some(Encoding::Json),
        Some(Json::String(s)) if s == "form" => Some(Encoding::Form),
        Some(_) => return Reply::error(400, -1, USAGE),
    };
    let Some(payload) = v.get("body").and_then(|b| Payload::of_request(b, encoding)) else {
        return Reply::error(400, -1, USAGE);
    };
    let id = sb.deliver(url, payload);
    Reply {
        status: 200,
        body: json!({ "id": id }),
        after: After::Answer,
    }
}
