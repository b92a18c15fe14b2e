//! The server half over real HTTP on loopback: the look-up by imp_uid, refunds
//! (Iamport's balance rules, `commit_then_drop`), and webhooks delivered to a
//! tiny local receiver (retries, scheduled runs that decline, forged bodies
//! sent on request, and none without a URL).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use iamport_keyin::api::webhook::parse_webhook_body;
use iamport_keyin::api::{parse_json, Payment};
use iamport_sandbox::Config;
use serde_json::{json, Value as Json};
use tokio::net::TcpListener;

mod common;
use common::{json_body, start, Res, Sb};

/// This file's helpers over the shared harness.
trait More {
    async fn cancel_unanswered(&self, mode: &str, body: &Json);
    async fn get(&self, path: &str) -> Json;
    async fn now(&self) -> i64;
    async fn deliveries(&self) -> Vec<Json>;
    async fn deliveries_until(&self, what: &str, done: impl Fn(&[Json]) -> bool) -> Vec<Json>;
    async fn paid(&self, merchant_uid: &str, amount: u64) -> String;
    async fn cancel(&self, body: Json) -> Res;
    async fn payment(&self, imp_uid: &str) -> Json;
}

impl More for Sb {
    /// Arms the `mode` fault on `/payments/cancel`, sends the refund, and checks that
    /// no answer came.
    async fn cancel_unanswered(&self, mode: &str, body: &Json) {
        let armed = self
            .control("faults", json!({"path": "/payments/cancel", "mode": mode}))
            .await;
        assert_eq!(armed.status, 200, "{}", armed.text);
        let auth = format!("Bearer {}", self.token);
        let lost = self
            .raw(
                "POST",
                "/payments/cancel",
                &[("authorization", &auth)],
                Some(json_body(body)),
            )
            .await;
        assert!(lost.is_err(), "no answer expected");
    }

    async fn get(&self, path: &str) -> Json {
        self.raw("GET", path, &[], None).await.expect("answer").body
    }

    async fn now(&self) -> i64 {
        self.get("/__sandbox/clock").await["now"]
            .as_i64()
            .expect("now")
    }

    async fn deliveries(&self) -> Vec<Json> {
        self.get("/__sandbox/webhooks").await["deliveries"]
            .as_array()
            .cloned()
            .expect("deliveries")
    }

    /// Polls the delivery list until `done` holds for it (bounded: 15 s).
    async fn deliveries_until(&self, what: &str, done: impl Fn(&[Json]) -> bool) -> Vec<Json> {
        let end = Instant::now() + Duration::from_secs(15);
        loop {
            let d = self.deliveries().await;
            if done(&d) {
                return d;
            }
            assert!(Instant::now() < end, "timed out waiting for {what}: {d:?}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// A paid key-in payment of `amount`; its imp_uid.
    async fn paid(&self, merchant_uid: &str, amount: u64) -> String {
        let r = self
            .api(
                "POST",
                "/subscribe/payments/onetime",
                Some(card("4111111111111111", merchant_uid, amount)),
            )
            .await;
        assert_eq!(r.body["response"]["status"], "paid", "{}", r.text);
        r.body["response"]["imp_uid"]
            .as_str()
            .expect("imp_uid")
            .to_owned()
    }

    async fn cancel(&self, body: Json) -> Res {
        self.api("POST", "/payments/cancel", Some(body)).await
    }

    async fn payment(&self, imp_uid: &str) -> Json {
        let r = self.api("GET", &format!("/payments/{imp_uid}"), None).await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.body["response"].clone()
    }
}

fn card(number: &str, merchant_uid: &str, amount: u64) -> Json {
    json!({"merchant_uid": merchant_uid, "amount": amount, "card_number": number, "expiry": "12/30", "birth": "820213", "pwd_2digit": "12"})
}

/// What is left to refund, as the crate's own model reads the payment.
fn refundable(payment: &Json) -> Option<u64> {
    let v = parse_json(&payment.to_string()).ok()?;
    Payment::from_value(&v)?.refundable()
}

/// A tiny webhook receiver: answers each request with the next status of its
/// script (200 once the script is used up) and keeps what it got.
struct Receiver {
    url: String,
    /// `(content-type, body)` per request, in arrival order.
    got: Arc<Mutex<Vec<(String, String)>>>,
}

impl Receiver {
    async fn start(script: &[u16]) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let got: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
        let script = Arc::new(Mutex::new(script.iter().copied().collect::<VecDeque<_>>()));
        let seen = got.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (seen, script) = (seen.clone(), script.clone());
                let svc = service_fn(move |req: Request<Incoming>| {
                    let (seen, script) = (seen.clone(), script.clone());
                    async move {
                        let ctype = req
                            .headers()
                            .get("content-type")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_owned();
                        let body = req
                            .into_body()
                            .collect()
                            .await
                            .map(|b| b.to_bytes())
                            .unwrap_or_default();
                        seen.lock()
                            .expect("lock")
                            .push((ctype, String::from_utf8_lossy(&body).into_owned()));
                        let status = script.lock().expect("lock").pop_front().unwrap_or(200);
                        let res = Response::builder()
                            .status(status)
                            .body(Full::new(Bytes::from_static(b"ok")))
                            .expect("response");
                        Ok::<_, Infallible>(res)
                    }
                });
                tokio::spawn(async move {
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                });
            }
        });
        Receiver {
            url: format!("http://{addr}/hook"),
            got,
        }
    }

    fn got(&self) -> Vec<(String, String)> {
        self.got.lock().expect("lock").clone()
    }
}

fn with_webhook(url: &str) -> Config {
    Config {
        webhook_url: Some(url.to_owned()),
        ..Config::default()
    }
}

#[tokio::test]
async fn get_payment_by_imp_uid_found_and_404() {
    let sb = start(Config::default()).await;
    let imp_uid = sb.paid("g_1", 3000).await;
    let r = sb.api("GET", &format!("/payments/{imp_uid}"), None).await;
    assert_eq!((r.status, &r.body["code"]), (200, &json!(0)), "{}", r.text);
    assert_eq!(r.body["message"], Json::Null);
    let p = &r.body["response"];
    assert_eq!(
        (&p["imp_uid"], &p["merchant_uid"]),
        (&json!(imp_uid), &json!("g_1"))
    );
    assert_eq!(p["status"], "paid");
    assert_eq!(p["cancel_amount"], 0);
    assert_eq!(p["cancel_history"], json!([]));
    assert_eq!(p["cancel_reason"], Json::Null);
    assert_eq!(p["cancelled_at"], 0);
    assert_eq!(p["cancel_receipt_urls"], json!([]));
    assert_eq!(refundable(p), Some(3000));
    // The same payment as /payments/find shows.
    let found = sb.api("GET", "/payments/find/g_1", None).await;
    assert_eq!(found.body["response"], *p);
    let missing = sb.api("GET", "/payments/imp_000000000000", None).await;
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.body,
        json!({"code": 1, "message": "존재하지 않는 결제건입니다.", "response": null})
    );
    // Validated by the crate's builder: a uid unsafe in a path is refused.
    assert_eq!(sb.api("GET", "/payments/a%2Fb", None).await.status, 400);
    // A pending payment settles on its 2nd look-up, by imp_uid too.
    let r = sb
        .api(
            "POST",
            "/subscribe/payments/onetime",
            Some(card("4000000000000085", "g_ready", 3000)),
        )
        .await;
    let pending = r.body["response"]["imp_uid"]
        .as_str()
        .expect("imp_uid")
        .to_owned();
    assert_eq!(sb.payment(&pending).await["status"], "ready");
    assert_eq!(sb.payment(&pending).await["status"], "paid");
}

#[tokio::test]
async fn cancel_full_partial_then_the_rest_and_every_refusal() {
    let sb = start(Config::default()).await;
    // Full, by imp_uid.
    let p1 = sb.paid("c_full", 10_000).await;
    let before = sb.now().await;
    let r = sb
        .cancel(json!({"imp_uid": p1, "reason": "고객 요청"}))
        .await;
    let after = sb.now().await;
    assert_eq!((r.status, &r.body["code"]), (200, &json!(0)), "{}", r.text);
    let p = &r.body["response"];
    assert_eq!(p["status"], "cancelled");
    assert_eq!(p["cancel_amount"], 10_000);
    assert_eq!(p["cancel_reason"], "고객 요청");
    let at = p["cancelled_at"].as_i64().expect("cancelled_at");
    assert!(
        (before..=after).contains(&at),
        "{before} <= {at} <= {after}"
    );
    let h = &p["cancel_history"][0];
    assert_eq!(p["cancel_history"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        (&h["amount"], &h["cancelled_at"], &h["reason"]),
        (&json!(10_000), &json!(at), &json!("고객 요청"))
    );
    assert_eq!(h["pg_tid"], p["pg_tid"]);
    assert!(h["cancellation_id"].is_string(), "{h}");
    assert_eq!(p["cancel_receipt_urls"], json!([h["receipt_url"]]));
    assert_eq!(refundable(p), Some(0));
    assert_eq!(sb.payment(&p1).await, *p, "the look-up shows the refund");
    // Already fully cancelled: code 1, nothing changes.
    let again = sb.cancel(json!({"imp_uid": p1, "reason": "again"})).await;
    assert_eq!(
        (
            again.status,
            &again.body["code"],
            &again.body["message"],
            &again.body["response"]
        ),
        (
            200,
            &json!(1),
            &json!("이미 전액취소된 주문입니다."),
            &Json::Null
        )
    );
    assert_eq!(sb.payment(&p1).await, *p);

    // Partial by merchant_uid, with the checksum; the status stays paid.
    let p2 = sb.paid("c_part", 10_000).await;
    let r = sb
        .cancel(
            json!({"merchant_uid": "c_part", "amount": 3000, "checksum": 10_000, "reason": "부분"}),
        )
        .await;
    assert_eq!(r.body["code"], 0, "{}", r.text);
    assert_eq!(r.body["response"]["status"], "paid");
    assert_eq!(r.body["response"]["cancel_amount"], 3000);
    assert_eq!(refundable(&r.body["response"]), Some(7000));
    let partial = r.body["response"].clone();
    // A stale checksum: code 1, the message says the balance check failed, nothing changes.
    let stale = sb
        .cancel(json!({"imp_uid": p2, "amount": 1000, "checksum": 10_000, "reason": "r"}))
        .await;
    assert_eq!((stale.status, &stale.body["code"]), (200, &json!(1)));
    let msg = stale.body["message"].as_str().expect("message");
    assert!(
        msg.contains("checksum") && msg.contains("환불가능금액"),
        "{msg}"
    );
    assert_eq!(sb.payment(&p2).await, partial);
    // Over the balance: the builder refuses it before anything reaches the store;
    // with a checksum above the balance, the balance check refuses it.
    let over = sb
        .cancel(json!({"imp_uid": p2, "amount": 8000, "checksum": 7000, "reason": "r"}))
        .await;
    assert_eq!(over.status, 400);
    assert!(
        over.text.contains("REFUND_EXCEEDS_BALANCE"),
        "{}",
        over.text
    );
    let over = sb
        .cancel(json!({"imp_uid": p2, "amount": 8000, "checksum": 8000, "reason": "r"}))
        .await;
    assert_eq!((over.status, &over.body["code"]), (200, &json!(1)));
    assert_eq!(sb.payment(&p2).await, partial);
    // The rest, form-encoded: cancelled, two history entries and receipts.
    let auth = format!("Bearer {}", sb.token);
    let form = format!("imp_uid={p2}&amount=7000&checksum=7000&reason=%EB%82%98%EB%A8%B8%EC%A7%80");
    let r = sb
        .raw(
            "POST",
            "/payments/cancel",
            &[("authorization", &auth)],
            Some(("application/x-www-form-urlencoded", form)),
        )
        .await
        .expect("answer");
    assert_eq!(r.body["code"], 0, "{}", r.text);
    let p = &r.body["response"];
    assert_eq!(
        (&p["status"], &p["cancel_amount"], &p["cancel_reason"]),
        (&json!("cancelled"), &json!(10_000), &json!("나머지"))
    );
    assert_eq!(p["cancel_history"].as_array().map(Vec::len), Some(2));
    assert_eq!(p["cancel_receipt_urls"].as_array().map(Vec::len), Some(2));
    assert_ne!(
        p["cancel_history"][0]["cancellation_id"],
        p["cancel_history"][1]["cancellation_id"]
    );
    // Iamport's other refusals: no such payment, or one that is not paid.
    for body in [
        json!({"imp_uid": "imp_000000000001", "reason": "r"}),
        json!({"merchant_uid": "nobody", "reason": "r"}),
    ] {
        let r = sb.cancel(body).await;
        assert_eq!(
            (
                r.status,
                &r.body["code"],
                &r.body["message"],
                &r.body["response"]
            ),
            (
                200,
                &json!(1),
                &json!("취소할 결제건이 존재하지 않습니다."),
                &Json::Null
            )
        );
    }
    sb.api(
        "POST",
        "/subscribe/payments/onetime",
        Some(card("4000000000000010", "c_failed", 3000)),
    )
    .await;
    sb.api(
        "POST",
        "/subscribe/payments/onetime",
        Some(card("4000000000000085", "c_ready", 3000)),
    )
    .await;
    for m in ["c_failed", "c_ready"] {
        let r = sb.cancel(json!({"merchant_uid": m, "reason": "r"})).await;
        assert_eq!(
            (r.status, &r.body["code"]),
            (200, &json!(1)),
            "{m}: {}",
            r.text
        );
        assert_eq!(r.body["response"], Json::Null);
    }
    // Invalid input is the builder's 400; no reason, no refund.
    assert_eq!(sb.cancel(json!({"imp_uid": p2})).await.status, 400);
    assert_eq!(
        sb.get("/__sandbox/stats").await["routes"]["POST /payments/cancel"],
        12
    );
    assert_eq!(sb.get("/__sandbox/payments/count/c_part").await["count"], 1);
}

#[tokio::test]
async fn commit_then_drop_applies_the_refund_once_and_loses_the_answer() {
    let sb = start(Config::default()).await;
    let imp_uid = sb.paid("d_1", 10_000).await;
    let body = json!({"imp_uid": imp_uid, "amount": 2500, "checksum": 10_000, "reason": "lost"});
    sb.cancel_unanswered("commit_then_drop", &body).await;
    // Applied exactly once: the look-up shows it.
    let p = sb.payment(&imp_uid).await;
    assert_eq!(
        (&p["cancel_amount"], &p["status"]),
        (&json!(2500), &json!("paid"))
    );
    assert_eq!(p["cancel_history"].as_array().map(Vec::len), Some(1));
    assert_eq!(refundable(&p), Some(7500));
    // The fault is used up; the same refund sent again meets a stale checksum.
    let resent = sb.cancel(body).await;
    assert_eq!((resent.status, &resent.body["code"]), (200, &json!(1)));
    assert_eq!(sb.payment(&imp_uid).await, p);
    let stats = sb.get("/__sandbox/stats").await;
    assert_eq!(stats["routes"]["POST /payments/cancel"], 2);
    assert_eq!(sb.get("/__sandbox/payments/count/d_1").await["count"], 1);
    // The mode list names the new mode.
    let bad = sb
        .control("faults", json!({"path": "/payments/cancel", "mode": "x"}))
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.text.contains("commit_then_drop"), "{}", bad.text);
}

#[tokio::test]
async fn a_webhook_is_retried_after_5xx_until_it_is_answered() {
    let rx = Receiver::start(&[500, 500, 200]).await;
    let sb = start(with_webhook(&rx.url)).await;
    let imp_uid = sb.paid("w_1", 3000).await;
    let d = sb
        .deliveries_until("the 3rd attempt", |d| {
            d.first().is_some_and(|x| x["done"] == true)
        })
        .await;
    assert_eq!(d.len(), 1);
    let x = &d[0];
    assert_eq!(
        (&x["attempts"], &x["last_status"], &x["done"]),
        (&json!(3), &json!(200), &json!(true)),
        "{x}"
    );
    assert!(x.get("error").is_none(), "{x}");
    assert_eq!(x["url"], rx.url);
    assert_eq!(x["id"], 1);
    assert_eq!(
        x["body"],
        json!({"imp_uid": imp_uid, "merchant_uid": "w_1", "status": "paid"})
    );
    let got = rx.got();
    assert_eq!(got.len(), 3);
    for (ctype, body) in &got {
        assert_eq!(ctype, "application/json");
        let claim = parse_webhook_body(body).expect("a webhook body");
        assert_eq!(
            (claim.imp_uid.as_str(), claim.status.as_deref()),
            (imp_uid.as_str(), Some("paid"))
        );
    }
    // A billing-key charge notifies too, at its notice_url when it gives one;
    // a declined charge does not.
    let other = Receiver::start(&[]).await;
    let key = json!({"card_number": "4111111111111111", "expiry": "12/30", "birth": "820213", "pwd_2digit": "12"});
    sb.api("POST", "/subscribe/customers/w_c", Some(key)).await;
    let again = sb
        .api(
            "POST",
            "/subscribe/payments/again",
            Some(json!({"customer_uid": "w_c", "merchant_uid": "w_2", "amount": 1000, "name": "n", "notice_url": other.url})),
        )
        .await;
    assert_eq!(again.body["response"]["status"], "paid", "{}", again.text);
    sb.api(
        "POST",
        "/subscribe/payments/onetime",
        Some(card("4000000000000010", "w_declined", 3000)),
    )
    .await;
    let d = sb
        .deliveries_until("the again webhook", |d| {
            d.len() == 2 && d.iter().all(|x| x["done"] == true)
        })
        .await;
    assert_eq!(d[1]["url"], other.url);
    assert_eq!(
        (&d[1]["body"]["merchant_uid"], &d[1]["attempts"]),
        (&json!("w_2"), &json!(1))
    );
    assert_eq!(other.got().len(), 1);
    // A reset forgets the deliveries.
    sb.control("reset", json!({})).await;
    assert!(sb.deliveries().await.is_empty());
}

#[tokio::test]
async fn a_webhook_ends_on_4xx_gives_up_after_5_retries_and_never_sends_to_https() {
    let rx = Receiver::start(&[404]).await;
    let down = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let down_url = format!("http://{}/hook", down.local_addr().expect("addr"));
    drop(down);
    let errors = Receiver::start(&[503; 10]).await;
    let sb = start(Config::default()).await;
    for (m, url) in [
        ("e_404", rx.url.as_str()),
        ("e_refused", down_url.as_str()),
        ("e_503", errors.url.as_str()),
        ("e_https", "https://shop.example/hook"),
    ] {
        let mut body = card("4111111111111111", m, 1000);
        body["notice_url"] = json!(url);
        let r = sb
            .api("POST", "/subscribe/payments/onetime", Some(body))
            .await;
        assert_eq!(r.body["response"]["status"], "paid", "{}", r.text);
    }
    let d = sb
        .deliveries_until("every delivery to end", |d| {
            d.len() == 4 && d.iter().all(|x| x["done"] == true)
        })
        .await;
    let by = |m: &str| {
        d.iter()
            .find(|x| x["body"]["merchant_uid"] == m)
            .cloned()
            .expect("delivery")
    };
    let x = by("e_404");
    assert_eq!(
        (&x["attempts"], &x["last_status"]),
        (&json!(1), &json!(404)),
        "{x}"
    );
    let x = by("e_refused");
    assert_eq!(
        (&x["attempts"], &x["last_status"]),
        (&json!(6), &Json::Null),
        "{x}"
    );
    assert!(
        x["error"].as_str().is_some_and(|e| e.contains("gave up")),
        "{x}"
    );
    let x = by("e_503");
    assert_eq!(
        (&x["attempts"], &x["last_status"]),
        (&json!(6), &json!(503)),
        "{x}"
    );
    assert_eq!(errors.got().len(), 6);
    let x = by("e_https");
    assert_eq!(
        (&x["attempts"], &x["last_status"]),
        (&json!(0), &Json::Null),
        "{x}"
    );
    assert!(
        x["error"].as_str().is_some_and(|e| e.contains("https")),
        "{x}"
    );
    // Creation order, ids from 1.
    let ids: Vec<&Json> = d.iter().map(|x| &x["id"]).collect();
    assert_eq!(ids, [&json!(1), &json!(2), &json!(3), &json!(4)]);
}

/// Books `merchant_uid` for `customer_uid` at `at`, with an optional notice_url.
async fn book(sb: &Sb, customer_uid: &str, merchant_uid: &str, at: i64, notice_url: Option<&str>) {
    let mut s =
        json!({"merchant_uid": merchant_uid, "schedule_at": at, "amount": 9900, "name": "월 구독"});
    if let Some(u) = notice_url {
        s["notice_url"] = json!(u);
    }
    let r = sb
        .api(
            "POST",
            "/subscribe/payments/schedule",
            Some(json!({"customer_uid": customer_uid, "schedules": [s]})),
        )
        .await;
    assert_eq!(r.body["code"], 0, "{}", r.text);
}

#[tokio::test]
async fn scheduled_runs_notify_paid_and_failed_declining_by_card_or_fault() {
    let rx = Receiver::start(&[]).await;
    let own = Receiver::start(&[]).await;
    let sb = start(with_webhook(&rx.url)).await;
    let key = |n: &str| json!({"card_number": n, "expiry": "12/30", "birth": "820213", "pwd_2digit": "12"});
    // The scheduled-decline card: its key registers and an immediate charge is approved.
    let r = sb
        .api(
            "POST",
            "/subscribe/customers/s_decl",
            Some(key("4000000000000093")),
        )
        .await;
    assert_eq!(r.body["code"], 0, "{}", r.text);
    let now_paid = sb
        .api(
            "POST",
            "/subscribe/payments/again",
            Some(json!({"customer_uid": "s_decl", "merchant_uid": "s_now", "amount": 9900, "name": "n"})),
        )
        .await;
    assert_eq!(
        now_paid.body["response"]["status"], "paid",
        "{}",
        now_paid.text
    );
    sb.api(
        "POST",
        "/subscribe/customers/s_ok",
        Some(key("4111111111111111")),
    )
    .await;
    let at = sb.now().await + 100;
    book(&sb, "s_decl", "s_card", at, None).await;
    book(&sb, "s_ok", "s_armed", at, None).await;
    book(&sb, "s_ok", "s_fine", at, Some(&own.url)).await;
    let armed = sb
        .control("faults", json!({"decline_schedule": "s_armed"}))
        .await;
    assert_eq!(armed.body["applied"], json!(["decline_schedule"]));
    sb.control("clock", json!({"advance": 200})).await;
    let run = sb.control("schedules/run", json!({})).await;
    let executed = run.body["executed"].as_array().cloned().expect("executed");
    let status = |m: &str| {
        executed
            .iter()
            .find(|s| s["merchant_uid"] == m)
            .map(|s| (s["payment_status"].clone(), s["fail_reason"].clone()))
    };
    assert_eq!(
        status("s_card"),
        Some((json!("failed"), json!("[5113] 잔액부족")))
    );
    assert_eq!(
        status("s_armed"),
        Some((json!("failed"), json!("[5113] 잔액부족")))
    );
    assert_eq!(status("s_fine"), Some((json!("paid"), Json::Null)));
    // One webhook per execution (plus the immediate charge's), paid and failed alike.
    let d = sb
        .deliveries_until("4 deliveries", |d| {
            d.len() == 4 && d.iter().all(|x| x["done"] == true)
        })
        .await;
    let by = |m: &str| {
        d.iter()
            .find(|x| x["body"]["merchant_uid"] == m)
            .cloned()
            .expect("delivery")
    };
    assert_eq!(by("s_now")["body"]["status"], "paid");
    for m in ["s_card", "s_armed"] {
        let x = by(m);
        assert_eq!(
            (&x["body"]["status"], &x["url"], &x["last_status"]),
            (&json!("failed"), &json!(rx.url), &json!(200)),
            "{x}"
        );
        let imp_uid = x["body"]["imp_uid"].as_str().expect("imp_uid");
        let p = sb.api("GET", &format!("/payments/{imp_uid}"), None).await;
        assert_eq!(p.body["response"]["status"], "failed");
        assert_eq!(p.body["response"]["merchant_uid"], m);
    }
    let fine = by("s_fine");
    assert_eq!(
        (&fine["body"]["status"], &fine["url"]),
        (&json!("paid"), &json!(own.url))
    );
    assert_eq!(own.got().len(), 1);
    assert_eq!(rx.got().len(), 3);
    // decline_schedule is used once: the order booked again is charged.
    book(&sb, "s_ok", "s_armed", at + 300, None).await;
    sb.control("clock", json!({"advance": 300})).await;
    let run = sb.control("schedules/run", json!({})).await;
    assert_eq!(
        run.body["executed"][0]["payment_status"], "paid",
        "{}",
        run.text
    );
    let d = sb
        .deliveries_until("the 5th delivery", |d| d.len() == 5)
        .await;
    assert_eq!(d[4]["body"]["status"], "paid");
}

#[tokio::test]
async fn webhooks_send_posts_any_body_and_nothing_goes_out_without_a_url() {
    let rx = Receiver::start(&[]).await;
    let sb = start(Config::default()).await;
    // No notice_url and no --webhook-url: no delivery (listed at once when there is one).
    sb.paid("n_1", 1000).await;
    let now = sb.now().await;
    let key = json!({"card_number": "4111111111111111", "expiry": "12/30", "birth": "820213", "pwd_2digit": "12"});
    sb.api("POST", "/subscribe/customers/n_c", Some(key)).await;
    book(&sb, "n_c", "n_s", now + 10, None).await;
    sb.control("clock", json!({"advance": 20})).await;
    let run = sb.control("schedules/run", json!({})).await;
    assert_eq!(run.body["executed"][0]["payment_status"], "paid");
    assert!(sb.deliveries().await.is_empty());
    let none = sb
        .control("webhooks/send", json!({"body": {"imp_uid": "imp_1"}}))
        .await;
    assert_eq!(none.status, 400);
    assert!(sb.deliveries().await.is_empty());
    // Any body, to any URL: an object as JSON, a string as a form, and each the other way.
    let sends = [
        (
            json!({"url": rx.url, "body": {"imp_uid": "imp_777777777777", "status": "paid", "extra": [1]}}),
            "application/json",
            r#"{"extra":[1],"imp_uid":"imp_777777777777","status":"paid"}"#,
        ),
        (
            json!({"url": rx.url, "body": "imp_uid=imp_1&status=paid"}),
            "application/x-www-form-urlencoded",
            "imp_uid=imp_1&status=paid",
        ),
        (
            json!({"url": rx.url, "body": {"imp_uid": "imp_2", "n": 5}, "content_type": "form"}),
            "application/x-www-form-urlencoded",
            "imp_uid=imp_2&n=5",
        ),
        (
            json!({"url": rx.url, "body": "{\"imp_uid\":", "content_type": "json"}),
            "application/json",
            "{\"imp_uid\":",
        ),
    ];
    for (i, (req, _, _)) in sends.iter().enumerate() {
        let r = sb.control("webhooks/send", req.clone()).await;
        assert_eq!(r.body, json!({"id": i + 1}), "{}", r.text);
    }
    let d = sb
        .deliveries_until("4 sent bodies", |d| {
            d.len() == 4 && d.iter().all(|x| x["done"] == true)
        })
        .await;
    assert_eq!(
        d[0]["body"]["extra"],
        json!([1]),
        "an object is listed as itself"
    );
    assert_eq!(
        d[1]["body"], "imp_uid=imp_1&status=paid",
        "a form body as its text"
    );
    assert_eq!(d[2]["body"], "imp_uid=imp_2&n=5");
    let got = rx.got();
    assert_eq!(got.len(), 4);
    for (_, ctype, text) in &sends {
        assert!(
            got.iter().any(|(c, b)| c == ctype && b == text),
            "{ctype} {text} not received: {got:?}"
        );
    }
    // Bad requests.
    for bad in [
        json!({"url": rx.url, "body": 42}),
        json!({"url": rx.url}),
        json!({"url": 1, "body": {}}),
        json!({"url": rx.url, "body": {}, "content_type": "xml"}),
    ] {
        assert_eq!(
            sb.control("webhooks/send", bad.clone()).await.status,
            400,
            "{bad}"
        );
    }
    // With --webhook-url, the url may be left out.
    let sb = start(with_webhook(&rx.url)).await;
    let r = sb
        .control("webhooks/send", json!({"body": {"imp_uid": "imp_3"}}))
        .await;
    assert_eq!(r.body, json!({"id": 1}));
    let d = sb
        .deliveries_until("the default url", |d| {
            d.first().is_some_and(|x| x["done"] == true)
        })
        .await;
    assert_eq!(
        (&d[0]["url"], &d[0]["last_status"]),
        (&json!(rx.url), &json!(200))
    );
}

#[tokio::test]
async fn drop_before_the_route_leaves_the_refund_unmade() {
    let sb = start(Config::default()).await;
    let imp_uid = sb.paid("d_2", 10_000).await;
    let before = sb.payment(&imp_uid).await;
    let body = json!({"imp_uid": imp_uid, "amount": 2500, "checksum": 10_000, "reason": "lost"});
    sb.cancel_unanswered("drop", &body).await;
    // The route never ran: nothing was refunded, so the same refund goes through.
    assert_eq!(sb.payment(&imp_uid).await, before);
    let again = sb.cancel(body).await;
    assert_eq!(again.body["code"], 0, "{}", again.text);
    assert_eq!(again.body["response"]["cancel_amount"], 2500);
}
