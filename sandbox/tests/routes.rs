//! The sandbox serves exactly iamport-keyin's operation table: every row's
//! method and path template answers (not the "no such route" 404, not 405) and
//! is counted under that very template; the sandbox's Iamport routes are the
//! table's rows plus its four named extras, and any other method on those
//! paths is refused with 405.

use iamport_keyin::api::operation::{OpName, OPERATIONS};
use iamport_sandbox::{iamport_routes, Config, Endpoint, EXTRA_ROUTES};
use serde_json::{json, Value as Json};
use std::collections::BTreeSet;

mod common;
use common::Sb;

async fn start() -> Sb {
    common::start(Config::default()).await
}

/// This file's helper: a bearer-token JSON call, as status and body.
trait Call {
    async fn send(&self, method: &str, path: &str, body: Option<Json>) -> (u16, Json);
}

impl Call for Sb {
    async fn send(&self, method: &str, path: &str, body: Option<Json>) -> (u16, Json) {
        let r = self.api(method, path, body).await;
        (r.status, r.body)
    }
}

/// The template with a sample uid in every `{…}`.
fn concrete(template: &str) -> String {
    template
        .split('/')
        .map(|seg| match seg {
            "{status}" => "paid",
            s if s.starts_with('{') => "sample_uid_1",
            s => s,
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn is_no_route(status: u16, body: &Json) -> bool {
    status == 405 || (status == 404 && body["message"] == "Not Found")
}

#[tokio::test]
async fn every_operation_in_the_table_is_served_under_its_template() {
    let sb = start().await;
    assert!(!OPERATIONS.is_empty());
    for op in OPERATIONS {
        let method = op.method.as_str();
        let path = concrete(op.path);
        let body = (method == "POST").then(|| json!({}));
        let before = sb.stats().await["routes"][format!("{method} {}", op.path)].clone();
        let (status, answer) = sb.send(method, &path, body).await;
        assert!(
            !is_no_route(status, &answer),
            "{method} {path} ({:?}): {status} {answer}",
            op.name
        );
        assert_ne!(status, 401, "{method} {path}: the token was refused");
        // The route axum matched is the table's template, verbatim.
        let after = &sb.stats().await["routes"][format!("{method} {}", op.path)];
        assert_eq!(
            after.as_u64(),
            Some(before.as_u64().unwrap_or(0) + 1),
            "{method} {} not counted under its template",
            op.path
        );
    }
}

#[tokio::test]
async fn the_sandboxs_iamport_routes_are_exactly_the_table_plus_four_extras() {
    let routes = iamport_routes();
    let table: Vec<(&str, &str)> = OPERATIONS
        .iter()
        .map(|o| (o.method.as_str(), o.path))
        .collect();
    let served_ops: Vec<(&str, &str)> = routes
        .iter()
        .filter(|r| matches!(r.endpoint, Endpoint::Op(_)))
        .map(|r| (r.method.as_str(), r.path))
        .collect();
    assert_eq!(served_ops, table);
    // Each table route is answered by its own operation.
    for r in &routes {
        if let Endpoint::Op(name) = r.endpoint {
            let spec: &'static _ = OpName::spec(name);
            assert_eq!((spec.method, spec.path), (r.method, r.path));
        }
    }
    // The rest are exactly the named extras.
    let extras: Vec<(&str, &str)> = routes
        .iter()
        .filter(|r| !matches!(r.endpoint, Endpoint::Op(_)))
        .map(|r| (r.method.as_str(), r.path))
        .collect();
    assert_eq!(
        extras,
        [
            ("POST", "/users/getToken"),
            ("GET", "/payments/find/{merchant_uid}/{status}"),
            ("GET", "/payments/findAll/{merchant_uid}"),
            ("GET", "/payments/findAll/{merchant_uid}/{status}"),
        ]
    );
    assert_eq!(extras.len(), EXTRA_ROUTES.len());
    assert_eq!(routes.len(), OPERATIONS.len() + EXTRA_ROUTES.len());
    let unique: BTreeSet<(&str, &str)> =
        routes.iter().map(|r| (r.method.as_str(), r.path)).collect();
    assert_eq!(unique.len(), routes.len(), "no route twice");

    // Live: every listed route answers; every other method on its path is 405.
    let sb = start().await;
    for r in EXTRA_ROUTES {
        let body = (r.method.as_str() == "POST").then(|| json!({}));
        let (status, answer) = sb.send(r.method.as_str(), &concrete(r.path), body).await;
        assert!(!is_no_route(status, &answer), "{r:?}: {status} {answer}");
    }
    let paths: BTreeSet<&str> = routes.iter().map(|r| r.path).collect();
    for path in paths {
        for method in ["GET", "POST", "DELETE", "PUT", "PATCH", "HEAD"] {
            if unique.contains(&(method, path)) {
                continue;
            }
            let (status, answer) = sb.send(method, &concrete(path), None).await;
            assert_eq!(status, 405, "{method} {path}");
            if method != "HEAD" {
                assert_eq!(answer["message"], "Method Not Allowed", "{method} {path}");
            }
        }
    }
    // Anything else is the "no such route" 404, counted as `(unknown)`.
    for path in [
        "/payments/cancel/x",
        "/subscribe/payments/onetime/",
        "/subscribe/customers/a/b",
        "/payments/find/",
        "/__sandbox",
    ] {
        let (status, answer) = sb.send("GET", path, None).await;
        assert_eq!(
            (status, &answer["message"]),
            (404, &json!("Not Found")),
            "{path}"
        );
    }
    assert_eq!(sb.stats().await["routes"]["GET (unknown)"], 5);
}

#[tokio::test]
async fn control_paths_faults_by_template_and_query_numbers() {
    let sb = start().await;
    // Control endpoints: a wrong method or an unknown name is the control 404.
    for (method, path) in [
        ("POST", "/__sandbox/stats"),
        ("GET", "/__sandbox/faults"),
        ("GET", "/__sandbox/nope"),
        ("GET", "/__sandbox/"),
    ] {
        let (status, answer) = sb.send(method, path, None).await;
        assert_eq!(status, 404, "{method} {path}");
        assert_eq!(answer["message"], "unknown control endpoint");
    }
    let (_, count) = sb
        .send("GET", "/__sandbox/payments/count/a%2Fb%20c", None)
        .await;
    assert_eq!(count, json!({"merchant_uid": "a/b c", "count": 0}));
    // A fault armed on a template hits every uid.
    sb.send(
        "POST",
        "/__sandbox/faults",
        Some(json!({"path": "/subscribe/customers/{customer_uid}", "mode": "500", "count": 2})),
    )
    .await;
    assert_eq!(sb.send("GET", "/subscribe/customers/x1", None).await.0, 500);
    assert_eq!(
        sb.send("DELETE", "/subscribe/customers/x2", None).await.0,
        500
    );
    assert_eq!(sb.send("GET", "/subscribe/customers/x1", None).await.0, 404);
    // Query numbers are read as the proxy reads them (whole numbers only: `1e0` is not one).
    let base = "/subscribe/payments/schedule/customers/c1";
    let (status, _) = sb.send("GET", &format!("{base}?from=1&to=2"), None).await;
    assert_eq!(status, 200);
    let (status, answer) = sb.send("GET", &format!("{base}?from=1e0&to=2"), None).await;
    assert_eq!(status, 400, "{answer}");
    // A percent-encoded uid is decoded once: `%2F` is a slash, refused by the builder.
    let (status, _) = sb.send("GET", "/payments/find/a%2Fb", None).await;
    assert_eq!(status, 400);
    let (status, answer) = sb.send("GET", "/payments/find/%ED%95%9C", None).await;
    assert_eq!((status, &answer["code"]), (404, &json!(1)), "{answer}");
}
