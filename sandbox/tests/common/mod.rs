//! The sandbox over real HTTP on loopback, for the integration tests: start one
//! with a config, get a token, and send requests with a hyper client.
#![allow(dead_code)] // each test file uses its own part of it

use std::net::SocketAddr;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::Request;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use iamport_sandbox::{Config, Sandbox};
use serde_json::{json, Value as Json};

/// A running sandbox, a client, and a token for it.
pub struct Sb {
    pub addr: SocketAddr,
    pub client: Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>,
    pub token: String,
}

/// An answer: status, the body as JSON (`null` when it is not), and as text.
pub struct Res {
    pub status: u16,
    pub body: Json,
    pub text: String,
}

/// Starts a sandbox on a free loopback port and gets a token from it.
pub async fn start(config: Config) -> Sb {
    let addr = Sandbox::new(config)
        .spawn(([127, 0, 0, 1], 0).into())
        .await
        .expect("bind");
    let mut sb = Sb {
        addr,
        client: Client::builder(TokioExecutor::new()).build_http(),
        token: String::new(),
    };
    let creds = json!({"imp_key": "sandbox_key", "imp_secret": "sandbox_secret"});
    let r = sb.call("POST", "/users/getToken", None, Some(creds)).await;
    sb.token = r.body["response"]["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    sb
}

/// A JSON body for [`Sb::raw`].
pub fn json_body(v: &Json) -> (&'static str, String) {
    ("application/json", v.to_string())
}

impl Sb {
    /// One request; `Err` when the connection closed with no answer.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, String)>,
    ) -> Result<Res, String> {
        let mut req = Request::builder()
            .method(method)
            .uri(format!("http://{}{}", self.addr, path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let body = match body {
            Some((ctype, text)) => {
                req = req.header("content-type", ctype);
                Full::new(Bytes::from(text))
            }
            None => Full::new(Bytes::new()),
        };
        let res = self
            .client
            .request(req.body(body).expect("request"))
            .await
            .map_err(|e| e.to_string())?;
        let status = res.status().as_u16();
        let bytes = res
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_str(&text).unwrap_or(Json::Null);
        Ok(Res { status, body, text })
    }

    /// A JSON request with an optional bearer token; it must be answered.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Json>,
    ) -> Res {
        let auth = token.map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> =
            auth.iter().map(|a| ("authorization", a.as_str())).collect();
        self.raw(method, path, &headers, body.as_ref().map(json_body))
            .await
            .expect("answer")
    }

    /// An authenticated Iamport call.
    pub async fn api(&self, method: &str, path: &str, body: Option<Json>) -> Res {
        self.call(method, path, Some(&self.token.clone()), body)
            .await
    }

    /// `POST /__sandbox/{path}`.
    pub async fn control(&self, path: &str, body: Json) -> Res {
        self.call("POST", &format!("/__sandbox/{path}"), None, Some(body))
            .await
    }

    /// `GET /__sandbox/stats`.
    pub async fn stats(&self) -> Json {
        self.call("GET", "/__sandbox/stats", None, None).await.body
    }
}
