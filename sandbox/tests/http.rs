//! The sandbox over real HTTP on loopback: every route, every test card, every
//! fault, token reissue timing, and decoding with the crate's own decoder.

use std::time::{Duration, Instant};

use iamport_keyin::api::{decode_outcome, parse_json, OutcomeStatus};
use iamport_sandbox::Config;
use serde_json::{json, Value as Json};

mod common;
use common::{start, Res, Sb};

fn card(number: &str, merchant_uid: &str) -> Json {
    json!({"merchant_uid": merchant_uid, "amount": 3000, "card_number": number, "expiry": "12/28", "birth": "820213", "pwd_2digit": "12"})
}

fn outcome(r: &Res) -> iamport_keyin::api::Outcome {
    let v = parse_json(&r.text).ok();
    decode_outcome(r.status, v.as_ref(), Some(3000))
}

#[tokio::test]
async fn tokens_follow_iamports_reissue_rules() {
    let sb = start(Config {
        token_ttl: 600,
        ..Config::default()
    })
    .await;
    let get = || {
        sb.call(
            "POST",
            "/users/getToken",
            None,
            Some(json!({"imp_key": "sandbox_key", "imp_secret": "sandbox_secret"})),
        )
    };
    let first = get().await.body["response"].clone();
    let again = get().await.body["response"].clone();
    assert_eq!(
        first["access_token"], again["access_token"],
        "the same token while valid"
    );
    assert_eq!(first["expired_at"], again["expired_at"]);
    assert_eq!(
        first["expired_at"].as_i64().unwrap() - first["now"].as_i64().unwrap(),
        600
    );
    // In the last minute, asking again extends the expiry by 5 minutes.
    sb.control("clock", json!({"advance": 560})).await;
    let late = get().await.body["response"].clone();
    assert_eq!(late["access_token"], first["access_token"]);
    assert_eq!(
        late["expired_at"].as_i64().unwrap(),
        first["expired_at"].as_i64().unwrap() + 300
    );
    // After expiry, a new token; the old one is refused.
    sb.control("clock", json!({"advance": 400})).await;
    assert_eq!(sb.api("GET", "/payments/find/x", None).await.status, 401);
    let fresh = get().await.body["response"].clone();
    assert_ne!(fresh["access_token"], first["access_token"]);
    // Bad credentials.
    let bad = sb
        .call(
            "POST",
            "/users/getToken",
            None,
            Some(json!({"imp_key": "sandbox_key", "imp_secret": "nope"})),
        )
        .await;
    assert_eq!(bad.status, 401);
    assert_eq!(bad.body["code"], -1);
    // Form-encoded getToken works too.
    let form = sb
        .raw(
            "POST",
            "/users/getToken",
            &[],
            Some((
                "application/x-www-form-urlencoded",
                "imp_key=sandbox_key&imp_secret=sandbox_secret".into(),
            )),
        )
        .await
        .unwrap();
    assert_eq!(form.status, 200);
}

#[tokio::test]
async fn every_route_needs_a_token_in_any_of_three_headers() {
    let sb = start(Config::default()).await;
    for (method, path) in [
        ("POST", "/subscribe/payments/onetime"),
        ("POST", "/subscribe/customers/c1"),
        ("GET", "/subscribe/customers/c1"),
        ("DELETE", "/subscribe/customers/c1"),
        ("GET", "/subscribe/customers?customer_uid[]=c1"),
        ("POST", "/subscribe/payments/again"),
        ("POST", "/subscribe/payments/schedule"),
        ("POST", "/subscribe/payments/unschedule"),
        ("GET", "/subscribe/payments/schedule/s1"),
        (
            "GET",
            "/subscribe/payments/schedule/customers/c1?from=1&to=2",
        ),
        ("GET", "/payments/find/m1"),
        ("GET", "/payments/findAll/m1"),
        ("GET", "/payments/imp_1"),
        ("POST", "/payments/cancel"),
    ] {
        let r = sb.call(method, path, None, None).await;
        assert_eq!(r.status, 401, "{method} {path}");
        let r = sb.call(method, path, Some("wrong"), None).await;
        assert_eq!(r.status, 401, "{method} {path}");
    }
    let t = sb.token.clone();
    let bearer = format!("Bearer {t}");
    for headers in [
        vec![("authorization", bearer.as_str())],
        vec![("authorization", t.as_str())],
        vec![("x-imptokenheader", t.as_str())],
    ] {
        let r = sb
            .raw("GET", "/payments/find/none", &headers, None)
            .await
            .unwrap();
        assert_eq!(r.status, 404, "{headers:?}");
    }
}

#[tokio::test]
async fn key_in_payment_billing_key_and_again() {
    let sb = start(Config::default()).await;
    let mut body = card("4111 1111 1111 1111", "order_1");
    body["customer_uid"] = json!("cust_1");
    let r = sb
        .api("POST", "/subscribe/payments/onetime", Some(body.clone()))
        .await;
    let o = outcome(&r);
    assert_eq!(o.status, OutcomeStatus::Paid);
    let p = o.payment.unwrap();
    assert_eq!(p.sandbox, Some(true));
    assert_eq!(p.card_number.as_deref(), Some("411111******1111"));
    assert!(!r.text.contains("4111111111111111") && !r.text.contains("820213"));
    // A paid merchant_uid sent again is refused with code 1 (the sandbox's assumption).
    let dup = sb
        .api("POST", "/subscribe/payments/onetime", Some(body))
        .await;
    assert_eq!((dup.status, dup.body["code"].as_i64()), (200, Some(1)));
    assert_eq!(outcome(&dup).status, OutcomeStatus::Failed);
    // The billing key was stored because the payment succeeded.
    let c = sb.api("GET", "/subscribe/customers/cust_1", None).await;
    assert_eq!(c.status, 200);
    assert_eq!(c.body["response"]["card_number"], "411111******1111");
    // again: charges the stored key.
    let again = sb.api("POST", "/subscribe/payments/again", Some(json!({"customer_uid": "cust_1", "merchant_uid": "order_2", "amount": 3000, "name": "정기"}))).await;
    assert_eq!(outcome(&again).status, OutcomeStatus::Paid);
    assert_eq!(again.body["response"]["customer_uid_usage"], "payment");
    // again on an unknown customer: code 1.
    let unknown = sb.api("POST", "/subscribe/payments/again", Some(json!({"customer_uid": "nobody", "merchant_uid": "order_3", "amount": 3000, "name": "x"}))).await;
    assert_eq!(unknown.body["code"], 1);
    assert_eq!(outcome(&unknown).status, OutcomeStatus::Failed);
    // A declined first charge stores no key.
    let mut declined = card("4000000000000010", "order_4");
    declined["customer_uid"] = json!("cust_2");
    assert_eq!(
        outcome(
            &sb.api("POST", "/subscribe/payments/onetime", Some(declined))
                .await
        )
        .status,
        OutcomeStatus::Failed
    );
    assert_eq!(
        sb.api("GET", "/subscribe/customers/cust_2", None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn billing_keys_store_replace_list_and_delete() {
    let sb = start(Config::default()).await;
    let key = |n: &str| json!({"card_number": n, "expiry": "2029-01", "birth": "116-82-00276", "customer_name": "홍길동"});
    let r = sb
        .api(
            "POST",
            "/subscribe/customers/cust_a",
            Some(key("5555555555554444")),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["response"]["card_number"], "555555******4444");
    assert_eq!(
        r.body["response"]["card_type"], 1,
        "business number: corporate card"
    );
    // Reuse replaces the mapping.
    let r = sb
        .api(
            "POST",
            "/subscribe/customers/cust_a",
            Some(key("4111111111111111")),
        )
        .await;
    assert_eq!(r.body["response"]["card_number"], "411111******1111");
    // Authentication-failure card: the key is refused with code -1.
    let r = sb
        .api(
            "POST",
            "/subscribe/customers/cust_b",
            Some(key("4000000000000028")),
        )
        .await;
    assert_eq!(r.body["code"], -1);
    // Multi look-up: 207 when some are missing.
    let r = sb
        .api(
            "GET",
            "/subscribe/customers?customer_uid[]=cust_a&customer_uid[]=cust_b",
            None,
        )
        .await;
    assert_eq!(r.status, 207);
    assert_eq!(r.body["response"].as_array().map(Vec::len), Some(1));
    let r = sb
        .api("GET", "/subscribe/customers?customer_uid[]=cust_a", None)
        .await;
    assert_eq!(r.status, 200);
    // Delete returns the deleted customer; then it is gone.
    let r = sb.api("DELETE", "/subscribe/customers/cust_a", None).await;
    assert_eq!(r.body["response"]["customer_uid"], "cust_a");
    assert_eq!(
        sb.api("GET", "/subscribe/customers/cust_a", None)
            .await
            .status,
        404
    );
    // Invalid input: 400 with the library's own field errors, no card data echoed.
    let r = sb.api("POST", "/subscribe/customers/cust_c", Some(json!({"card_number": "4111111111111112", "expiry": "2029-01", "birth": "820231", "pwd_2digit": "12"}))).await;
    assert_eq!(r.status, 400);
    let msg = r.body["message"].as_str().unwrap();
    assert!(
        msg.contains("CARD_NUMBER_LUHN") && msg.contains("BIRTH_INVALID_DATE"),
        "{msg}"
    );
    assert!(!msg.contains("4111111111111112") && !msg.contains("820231"));
    // Hostile uid in the path.
    assert_eq!(
        sb.api("GET", "/subscribe/customers/..%2Fpayments", None)
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn schedules_run_on_the_sandbox_clock() {
    let sb = start(Config::default()).await;
    let now = sb.call("GET", "/__sandbox/clock", None, None).await.body["now"]
        .as_i64()
        .unwrap();
    let month = 30 * 86_400;
    let body = json!({
        "customer_uid": "cust_s", "card_number": "4111111111111111", "expiry": "12/30", "birth": "820213", "pwd_2digit": "12",
        "schedules": [
            {"merchant_uid": "sub_1", "schedule_at": now + month, "amount": 9900, "name": "1"},
            {"merchant_uid": "sub_2", "schedule_at": now + 2 * month, "amount": 9900, "name": "2"},
            {"merchant_uid": "sub_3", "schedule_at": now + 3 * month, "amount": 9900, "name": "3"}
        ]
    });
    let r = sb
        .api("POST", "/subscribe/payments/schedule", Some(body))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["response"].as_array().map(Vec::len), Some(3));
    // Same merchant_uid again: refused.
    let dup = sb.api("POST", "/subscribe/payments/schedule", Some(json!({"customer_uid": "cust_s", "schedules": [{"merchant_uid": "sub_1", "schedule_at": now + month, "amount": 1}]}))).await;
    assert_eq!(dup.body["code"], 1);
    // Nothing is due yet.
    let run = sb.control("schedules/run", json!({})).await;
    assert_eq!(run.body["executed"].as_array().map(Vec::len), Some(0));
    // Two months later, two are due.
    sb.control("clock", json!({"now": now + 2 * month + 1}))
        .await;
    // Tokens follow the same clock: a new one is needed.
    let sb = Sb {
        token: String::new(),
        ..sb
    };
    let t = sb
        .call(
            "POST",
            "/users/getToken",
            None,
            Some(json!({"imp_key": "sandbox_key", "imp_secret": "sandbox_secret"})),
        )
        .await;
    let sb = Sb {
        token: t.body["response"]["access_token"]
            .as_str()
            .unwrap()
            .to_owned(),
        ..sb
    };
    let run = sb.control("schedules/run", json!({})).await;
    let executed = run.body["executed"].as_array().cloned().unwrap();
    assert_eq!(executed.len(), 2);
    assert!(executed
        .iter()
        .all(|s| s["payment_status"] == "paid" && s["schedule_status"] == "executed"));
    let paid = sb.api("GET", "/payments/find/sub_1", None).await;
    assert_eq!(
        paid.body["response"]["customer_uid_usage"],
        "payment.scheduled"
    );
    let one = sb
        .api("GET", "/subscribe/payments/schedule/sub_3", None)
        .await;
    assert_eq!(one.body["response"]["schedule_status"], "scheduled");
    // Revoke the last one; revoking again matches nothing (code 1).
    let r = sb
        .api(
            "POST",
            "/subscribe/payments/unschedule",
            Some(json!({"customer_uid": "cust_s", "merchant_uid": ["sub_3"]})),
        )
        .await;
    assert_eq!(r.body["response"][0]["schedule_status"], "revoked");
    let r = sb
        .api(
            "POST",
            "/subscribe/payments/unschedule",
            Some(json!({"merchant_uid": "sub_3"})),
        )
        .await;
    assert_eq!(r.body["code"], 1);
    // Look-up by customer: a page object.
    let q = format!(
        "/subscribe/payments/schedule/customers/cust_s?from={}&to={}&schedule-status=executed",
        now,
        now + 90 * 86_400
    );
    let page = sb.api("GET", &q, None).await;
    assert_eq!(page.body["response"]["total"], 2, "{}", page.text);
    let decoded =
        iamport_keyin::api::decode_schedules(page.status, parse_json(&page.text).ok().as_ref())
            .unwrap();
    assert_eq!(decoded.list.len(), 2);
    // A schedule for a customer with no key and no card: code 1.
    let r = sb.api("POST", "/subscribe/payments/schedule", Some(json!({"customer_uid": "ghost", "schedules": [{"merchant_uid": "g1", "schedule_at": now + 3 * month, "amount": 1000}]}))).await;
    assert_eq!(r.body["code"], 1);
    // A declining card's scheduled charge fails with the reason.
    sb.api("POST", "/subscribe/customers/cust_d", Some(json!({"card_number": "4000000000000010", "expiry": "12/30", "birth": "820213", "pwd_2digit": "12"}))).await;
    let at = now + 2 * month + 100;
    sb.api("POST", "/subscribe/payments/schedule", Some(json!({"customer_uid": "cust_d", "schedules": [{"merchant_uid": "d1", "schedule_at": at, "amount": 1000}]}))).await;
    sb.control("clock", json!({"advance": 200})).await;
    let run = sb.control("schedules/run", json!({})).await;
    assert_eq!(run.body["executed"][0]["payment_status"], "failed");
    assert_eq!(
        run.body["executed"][0]["fail_reason"],
        "[2116]개인 월 한도금액 초과"
    );
}

#[tokio::test]
async fn every_test_card() {
    let sb = start(Config {
        slow_ms: 300,
        ..Config::default()
    })
    .await;
    let pay = |n: &'static str, m: &'static str| {
        sb.api("POST", "/subscribe/payments/onetime", Some(card(n, m)))
    };
    let r = pay("4000000000000010", "c_limit").await;
    assert_eq!(
        (outcome(&r).status, outcome(&r).fail_reason.as_deref()),
        (OutcomeStatus::Failed, Some("[2116]개인 월 한도금액 초과"))
    );
    assert_eq!(r.body["code"], 0);
    let r = pay("4000000000000028", "c_auth").await;
    assert_eq!(
        (r.body["code"].as_i64(), outcome(&r).status),
        (Some(-1), OutcomeStatus::Failed)
    );
    let r = pay("4000000000000036", "c_funds").await;
    assert_eq!(
        outcome(&r).fail_reason.as_deref(),
        Some("[1001]잔액이 부족합니다.")
    );
    let r = pay("4000000000000044", "c_pg").await;
    assert_eq!(
        (r.status, outcome(&r).status),
        (500, OutcomeStatus::Unknown)
    );
    assert_eq!(
        sb.api("GET", "/payments/find/c_pg", None).await.body["response"]["status"],
        "failed"
    );
    let t0 = Instant::now();
    let r = pay("4000000000000051", "c_slow").await;
    assert!(
        t0.elapsed() >= Duration::from_millis(300),
        "{:?}",
        t0.elapsed()
    );
    assert_eq!(outcome(&r).status, OutcomeStatus::Paid);
    // Committed, then the connection dropped: no answer, but the payment is paid.
    let r = sb
        .raw(
            "POST",
            "/subscribe/payments/onetime",
            &[("authorization", &format!("Bearer {}", sb.token))],
            Some((
                "application/json",
                card("4000000000000069", "c_drop").to_string(),
            )),
        )
        .await;
    assert!(r.is_err(), "no answer expected");
    let found = sb.api("GET", "/payments/find/c_drop", None).await;
    assert_eq!(outcome(&found).status, OutcomeStatus::Paid);
    // Committed, then 504.
    let r = pay("4000000000000077", "c_504").await;
    assert_eq!(
        (r.status, outcome(&r).status),
        (504, OutcomeStatus::Unknown)
    );
    assert_eq!(
        sb.api("GET", "/payments/find/c_504/paid", None)
            .await
            .status,
        200
    );
    // The table is published.
    let cards = sb.call("GET", "/__sandbox/cards", None, None).await;
    assert_eq!(cards.body["cards"].as_array().map(Vec::len), Some(9));
    // Pending: answered as ready, paid on the 2nd look-up.
    let r = pay("4000000000000085", "c_ready").await;
    assert_eq!(outcome(&r).status, OutcomeStatus::Ready);
    assert_eq!(
        sb.api("GET", "/payments/find/c_ready", None).await.body["response"]["status"],
        "ready"
    );
    assert_eq!(
        sb.api("GET", "/payments/find/c_ready", None).await.body["response"]["status"],
        "paid"
    );
    // findAll pages every attempt.
    let all = sb.api("GET", "/payments/findAll/c_limit", None).await;
    assert_eq!(all.body["response"]["total"], 1);
}

#[tokio::test]
async fn faults_and_stats() {
    let sb = start(Config::default()).await;
    let before = sb.stats().await;
    assert_eq!(before["routes"]["POST /users/getToken"], 1);
    let tiered = sb
        .raw(
            "GET",
            "/payments/find/t",
            &[("authorization", &sb.token), ("tier", "T001")],
            None,
        )
        .await
        .unwrap();
    assert_eq!(tiered.status, 404);
    assert_eq!(sb.stats().await["tiers"]["T001"], 1);
    sb.control(
        "faults",
        json!({"path": "/payments/find/m1", "mode": "500", "count": 2}),
    )
    .await;
    assert_eq!(sb.api("GET", "/payments/find/m1", None).await.status, 500);
    assert_eq!(sb.api("GET", "/payments/find/m1", None).await.status, 500);
    assert_eq!(
        sb.api("GET", "/payments/find/m1", None).await.status,
        404,
        "the fault is used up"
    );
    sb.control(
        "faults",
        json!({"path": "/payments/find/m1", "mode": "drop"}),
    )
    .await;
    assert!(sb
        .raw(
            "GET",
            "/payments/find/m1",
            &[("authorization", &sb.token)],
            None
        )
        .await
        .is_err());
    sb.control(
        "faults",
        json!({"path": "/payments/find/m1", "mode": "delay", "delay_ms": 250}),
    )
    .await;
    let t0 = Instant::now();
    assert_eq!(sb.api("GET", "/payments/find/m1", None).await.status, 404);
    assert!(t0.elapsed() >= Duration::from_millis(250));
    sb.control("faults", json!({"expire_tokens": true})).await;
    assert_eq!(sb.api("GET", "/payments/find/m1", None).await.status, 401);
    sb.control("faults", json!({"get_token_fail": 1})).await;
    let creds = json!({"imp_key": "sandbox_key", "imp_secret": "sandbox_secret"});
    assert_eq!(
        sb.call("POST", "/users/getToken", None, Some(creds.clone()))
            .await
            .status,
        500
    );
    assert_eq!(
        sb.call("POST", "/users/getToken", None, Some(creds))
            .await
            .status,
        200
    );
    let stats = sb.stats().await;
    assert_eq!(stats["routes"]["GET /payments/find/{merchant_uid}"], 7);
    assert_eq!(stats["routes"]["POST /users/getToken"], 3);
    assert_eq!(
        sb.control("faults", json!({"mode": "explode"}))
            .await
            .status,
        400
    );
    // CORS preflight for browser tests.
    let pre = sb
        .raw(
            "OPTIONS",
            "/subscribe/payments/onetime",
            &[
                ("origin", "http://localhost:1"),
                ("access-control-request-method", "POST"),
            ],
            None,
        )
        .await
        .unwrap();
    assert_eq!(pre.status, 204);
    // Unknown routes.
    assert_eq!(sb.api("GET", "/payments/cancel/x", None).await.status, 404);
    assert_eq!(sb.api("GET", "/payments/cancel", None).await.status, 405);
    assert_eq!(
        sb.api("PUT", "/subscribe/payments/onetime", None)
            .await
            .status,
        405
    );
}

#[tokio::test]
async fn form_bodies_and_bad_bodies() {
    let sb = start(Config::default()).await;
    let auth = format!("Bearer {}", sb.token);
    let h = [("authorization", auth.as_str())];
    let form = "merchant_uid=f1&amount=3000&card_number=4111-1111-1111-1111&expiry=2028-12&birth=820213&pwd_2digit=12";
    let r = sb
        .raw(
            "POST",
            "/subscribe/payments/onetime",
            &h,
            Some(("application/x-www-form-urlencoded", form.into())),
        )
        .await
        .unwrap();
    assert_eq!(outcome(&r).status, OutcomeStatus::Paid, "{}", r.text);
    let r = sb
        .raw(
            "POST",
            "/subscribe/payments/onetime",
            &h,
            Some(("application/json", "{\"amount\":".into())),
        )
        .await
        .unwrap();
    assert_eq!(r.status, 400);
    let r = sb
        .raw(
            "POST",
            "/subscribe/payments/onetime",
            &h,
            Some(("text/plain", "hello".into())),
        )
        .await
        .unwrap();
    assert_eq!(r.status, 400);
    let dup = r#"{"merchant_uid":"f2","amount":3000,"amount":1,"card_number":"4111111111111111","expiry":"12/28","birth":"820213","pwd_2digit":"12"}"#;
    let r = sb
        .raw(
            "POST",
            "/subscribe/payments/onetime",
            &h,
            Some(("application/json", dup.into())),
        )
        .await
        .unwrap();
    assert_eq!(r.status, 400);
    assert!(r.body["message"]
        .as_str()
        .unwrap()
        .contains("DUPLICATE_FIELD"));
}
