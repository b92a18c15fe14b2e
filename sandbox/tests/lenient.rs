//! The sandbox answers like Iamport: unknown body fields (JSON or form) are
//! ignored, a billing key's body `customer_uid` loses to the path's, and each
//! such acceptance is listed at `GET /__sandbox/warnings` (never a value);
//! `--strict` restores the builders' refusals.

use iamport_sandbox::Config;
use serde_json::{json, Value as Json};

mod common;
use common::Sb;

async fn start(strict: bool) -> Sb {
    common::start(Config {
        strict,
        ..Config::default()
    })
    .await
}

/// This file's helpers: a bare token, as Iamport's own clients send it.
trait Bare {
    async fn send(&self, method: &str, path: &str, body: Option<(&str, String)>) -> (u16, Json);
    async fn json(&self, method: &str, path: &str, body: Json) -> (u16, Json);
    async fn get(&self, path: &str) -> (u16, Json);
    async fn warnings(&self) -> Json;
}

impl Bare for Sb {
    async fn send(&self, method: &str, path: &str, body: Option<(&str, String)>) -> (u16, Json) {
        let r = self
            .raw(
                method,
                path,
                &[("authorization", self.token.as_str())],
                body,
            )
            .await
            .expect("answer");
        (r.status, r.body)
    }

    async fn json(&self, method: &str, path: &str, body: Json) -> (u16, Json) {
        self.send(method, path, Some(("application/json", body.to_string())))
            .await
    }

    async fn get(&self, path: &str) -> (u16, Json) {
        self.send("GET", path, None).await
    }

    async fn warnings(&self) -> Json {
        self.get("/__sandbox/warnings").await.1["warnings"].clone()
    }
}

fn card() -> Json {
    json!({"card_number": "4111-1111-1111-1111", "expiry": "2028-12", "birth": "820213", "pwd_2digit": "12"})
}

fn with(mut base: Json, extra: Json) -> Json {
    if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    base
}

const BILLING: &str = "POST /subscribe/customers/{customer_uid}";

#[tokio::test]
async fn a_billing_keys_body_customer_uid_is_ignored_and_the_path_wins() {
    let sb = start(false).await;
    // Equal to the path: accepted, listed as an unknown field.
    let (status, r) = sb
        .json(
            "POST",
            "/subscribe/customers/c_same",
            with(card(), json!({"customer_uid": "c_same"})),
        )
        .await;
    assert_eq!((status, &r["code"]), (200, &json!(0)), "{r}");
    assert_eq!(r["response"]["customer_uid"], "c_same");
    // Different: the key is stored under the path's uid.
    let (status, r) = sb
        .json(
            "POST",
            "/subscribe/customers/c_path",
            with(card(), json!({"customer_uid": "c_body"})),
        )
        .await;
    assert_eq!((status, &r["code"]), (200, &json!(0)), "{r}");
    assert_eq!(r["response"]["customer_uid"], "c_path");
    assert_eq!(sb.get("/subscribe/customers/c_path").await.0, 200);
    assert_eq!(sb.get("/subscribe/customers/c_body").await.0, 404);
    assert_eq!(
        sb.warnings().await,
        json!([
            {"route": BILLING, "field": "customer_uid", "rule": "UNKNOWN_FIELD", "count": 1},
            {"route": BILLING, "field": "customer_uid", "rule": "PATH_WINS", "count": 1},
        ])
    );
    // The list never holds a value.
    let text = sb.get("/__sandbox/warnings").await.1.to_string();
    assert!(!text.contains("c_body") && !text.contains("c_path") && !text.contains("4111"));
}

#[tokio::test]
async fn unknown_fields_are_ignored_at_any_depth_in_json_and_form_bodies() {
    let sb = start(false).await;
    let onetime = with(
        card(),
        json!({"merchant_uid": "m_future", "amount": 1000, "some_future_field": "x", "4111111111111111": 1, "5555555555554444": 2}),
    );
    let (status, r) = sb
        .json("POST", "/subscribe/payments/onetime", onetime)
        .await;
    assert_eq!(
        (status, &r["response"]["status"]),
        (200, &json!("paid")),
        "{r}"
    );
    let at = sb.get("/__sandbox/clock").await.1["now"]
        .as_i64()
        .unwrap_or(0)
        + 3600;
    let (status, r) = sb
        .json(
            "POST",
            "/subscribe/payments/schedule",
            json!({"customer_uid": "c_same", "checking_amount": 0, "schedules": [
                {"merchant_uid": "s1", "schedule_at": at, "amount": 1000},
                {"merchant_uid": "s2", "schedule_at": at, "amount": 1000, "x": true},
            ]}),
        )
        .await;
    // The customer does not exist here: Iamport's business answer, not a refusal.
    assert_eq!(status, 200, "{r}");
    // A form body: its unknown field too.
    let (status, r) = sb
        .send(
            "POST",
            "/subscribe/customers/c_form",
            Some((
                "application/x-www-form-urlencoded",
                "card_number=4111-1111-1111-1111&expiry=2028-12&birth=820213&pwd_2digit=12&customer_uid=c_form&extra=1".into(),
            )),
        )
        .await;
    assert_eq!((status, &r["code"]), (200, &json!(0)), "{r}");
    let w = sb.warnings().await;
    let fields: Vec<(&str, &str, &str)> = w
        .as_array()
        .map(|a| {
            a.iter()
                .map(|w| {
                    (
                        w["route"].as_str().unwrap_or(""),
                        w["field"].as_str().unwrap_or(""),
                        w["rule"].as_str().unwrap_or(""),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        fields,
        [
            // (serde_json sends the keys sorted.)
            (
                "POST /subscribe/payments/onetime",
                "(unprintable key)",
                "UNKNOWN_FIELD"
            ),
            (
                "POST /subscribe/payments/onetime",
                "some_future_field",
                "UNKNOWN_FIELD"
            ),
            (
                "POST /subscribe/payments/schedule",
                "schedules[1].x",
                "UNKNOWN_FIELD"
            ),
            (BILLING, "customer_uid", "UNKNOWN_FIELD"),
            (BILLING, "extra", "UNKNOWN_FIELD"),
        ]
    );
    // Reset forgets them.
    sb.json("POST", "/__sandbox/reset", json!({})).await;
    assert_eq!(sb.warnings().await, json!([]));
}

#[tokio::test]
async fn other_builder_errors_are_still_refusals_and_record_nothing() {
    let sb = start(false).await;
    let bad = json!({"merchant_uid": "m_bad", "amount": 1000, "card_number": "4111-1111-1111-1112",
        "expiry": "2028-12", "birth": "820213", "pwd_2digit": "12", "extra": 1});
    let (status, r) = sb.json("POST", "/subscribe/payments/onetime", bad).await;
    assert_eq!(status, 400, "{r}");
    let msg = r["message"].as_str().unwrap_or("");
    assert!(
        msg.contains("CARD_NUMBER") && !msg.contains("UNKNOWN_FIELD"),
        "{msg}"
    );
    // A partial refund without checksum is still refused.
    let (status, _) = sb
        .json(
            "POST",
            "/payments/cancel",
            json!({"imp_uid": "imps_1", "amount": 10, "reason": "r", "x": 1}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(sb.warnings().await, json!([]));
}

#[tokio::test]
async fn strict_refuses_what_the_builders_refuse() {
    let sb = start(true).await;
    let (status, r) = sb
        .json(
            "POST",
            "/subscribe/customers/c1",
            with(card(), json!({"customer_uid": "c1"})),
        )
        .await;
    assert_eq!((status, &r["code"]), (400, &json!(-1)), "{r}");
    assert!(r["message"]
        .as_str()
        .is_some_and(|m| m.contains("customer_uid") && m.contains("UNKNOWN_FIELD")));
    assert_eq!(sb.warnings().await, json!([]));
}

#[tokio::test]
async fn find_all_by_status() {
    let sb = start(false).await;
    for (uid, number) in [
        ("m_all", "4000-0000-0000-0010"),
        ("m_all", "4111-1111-1111-1111"),
    ] {
        let body = json!({"merchant_uid": uid, "amount": 1000, "card_number": number,
            "expiry": "2028-12", "birth": "820213", "pwd_2digit": "12"});
        sb.json("POST", "/subscribe/payments/onetime", body).await;
    }
    let (_, all) = sb.get("/payments/findAll/m_all").await;
    assert_eq!(all["response"]["total"], 2);
    let (_, failed) = sb.get("/payments/findAll/m_all/failed").await;
    assert_eq!(failed["response"]["total"], 1);
    assert_eq!(failed["response"]["list"][0]["status"], "failed");
    let (status, none) = sb.get("/payments/findAll/m_all/cancelled").await;
    assert_eq!((status, &none["code"]), (404, &json!(1)));
    assert_eq!(sb.get("/payments/findAll/m_all/bogus").await.0, 400);
}
