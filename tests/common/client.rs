//! KeyinClient against the real stack (sandbox → proxy in miniflare), shared by
//! the Node, Chromium and Firefox suites. `scripts/test.sh` starts the stack and
//! bakes its URLs in at build time (`KEYIN_TEST_PROXY_URL`, `KEYIN_TEST_SANDBOX_URL`);
//! in the browsers the test page's origin differs from the proxy's, as in production.

use iamport_keyin::client::web::{KeyinClient, Task};
use js_sys::{Promise, Reflect, JSON};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen(module = "/pkg-template/drive.js")]
extern "C" {
    /// The package's own driver: runs a `Task` to its end, doing the I/O it asks for.
    fn drive(task: Task) -> Promise;
}

/// The client's methods as the package's entry defines them (one per row of
/// the operation table, over `KeyinClient::call` and the package's driver).
trait Methods {
    fn op(&self, name: &str, args: &[JsValue]) -> Promise;
    fn pay_onetime(&self, input: JsValue) -> Promise {
        self.op("payOnetime", &[input])
    }
    fn pay_again(&self, input: JsValue) -> Promise {
        self.op("payAgain", &[input])
    }
    fn register_billing_key(&self, uid: JsValue, input: JsValue) -> Promise {
        self.op("registerBillingKey", &[uid, input])
    }
    fn get_billing_key(&self, uid: JsValue) -> Promise {
        self.op("getBillingKey", &[uid])
    }
    fn delete_billing_key(&self, uid: JsValue, reason: JsValue) -> Promise {
        self.op("deleteBillingKey", &[uid, reason])
    }
    fn schedule(&self, input: JsValue) -> Promise {
        self.op("schedule", &[input])
    }
    fn unschedule(&self, input: JsValue) -> Promise {
        self.op("unschedule", &[input])
    }
    fn get_schedule(&self, uid: JsValue) -> Promise {
        self.op("getSchedule", &[uid])
    }
    fn find_payment(&self, uid: JsValue) -> Promise {
        self.op("findPayment", &[uid])
    }
}

impl Methods for KeyinClient {
    fn op(&self, name: &str, args: &[JsValue]) -> Promise {
        drive(self.call(
            operation_number(name),
            args.iter().collect::<js_sys::Array>().into(),
        ))
    }
}

/// An operation's number, as the JS entry passes it (its row in `__operations`, the
/// order of `OpName::ALL`).
fn operation_number(name: &str) -> JsValue {
    use iamport_keyin::api::operation::OpName;
    let n = OpName::ALL.iter().position(|o| o.client() == name);
    JsValue::from(n.expect("an operation's client name") as u32)
}

const PROXY: Option<&str> = option_env!("KEYIN_TEST_PROXY_URL");
const SANDBOX: Option<&str> = option_env!("KEYIN_TEST_SANDBOX_URL");

fn proxy() -> &'static str {
    PROXY.expect("KEYIN_TEST_PROXY_URL: run the client suites through scripts/test.sh, which starts the stack")
}

const TRAP_PROXY: Option<&str> = option_env!("KEYIN_TEST_TRAP_PROXY_URL");

fn trap_proxy() -> &'static str {
    TRAP_PROXY.expect("KEYIN_TEST_TRAP_PROXY_URL: run through scripts/test.sh")
}

fn sandbox() -> &'static str {
    SANDBOX.expect("KEYIN_TEST_SANDBOX_URL: run through scripts/test.sh")
}

fn parse(json: &str) -> JsValue {
    JSON::parse(json).expect("test JSON")
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn s(v: &JsValue, key: &str) -> Option<String> {
    get(v, key).as_string()
}

/// A merchant_uid unique to this run and runtime.
fn uid(tag: &str) -> String {
    let n = (js_sys::Math::random() * 1e9) as u64;
    format!("{tag}_{}_{n}", js_sys::Date::now() as u64)
}

fn client(extra: &str) -> KeyinClient {
    let opts = format!(r#"{{"proxyUrl": "{}", "locale": "en"{extra}}}"#, proxy());
    KeyinClient::new(parse(&opts), None).expect("client")
}

async fn ok(p: Promise) -> JsValue {
    match JsFuture::from(p).await {
        Ok(v) => v,
        Err(e) => panic!(
            "rejected: {} {}",
            s(&e, "code").unwrap_or_default(),
            s(&e, "message").unwrap_or_default()
        ),
    }
}

async fn err(p: Promise) -> JsValue {
    match JsFuture::from(p).await {
        Ok(v) => panic!(
            "expected a rejection, got {}",
            JSON::stringify(&v)
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default()
        ),
        Err(e) => e,
    }
}

async fn fetch_json(url: &str, method: &str, body: Option<&str>) -> JsValue {
    let mut b = gloo_net::http::RequestBuilder::new(url).method(if method == "POST" {
        gloo_net::http::Method::POST
    } else {
        gloo_net::http::Method::GET
    });
    if body.is_some() {
        b = b.header("content-type", "application/json");
    }
    let req = match body {
        Some(text) => b.body(text.to_owned()).expect("request"),
        None => b.build().expect("request"),
    };
    let res = req.send().await.expect("sandbox answers");
    parse(&res.text().await.expect("text"))
}

async fn payment_count(merchant_uid: &str) -> f64 {
    let r = fetch_json(
        &format!("{}/__sandbox/payments/count/{merchant_uid}", sandbox()),
        "GET",
        None,
    )
    .await;
    get(&r, "count").as_f64().unwrap_or(-1.0)
}

async fn upstream_total() -> f64 {
    get(
        &fetch_json(&format!("{}/__sandbox/stats", sandbox()), "GET", None).await,
        "total",
    )
    .as_f64()
    .unwrap_or(-1.0)
}

async fn fault(body: &str) {
    fetch_json(
        &format!("{}/__sandbox/faults", sandbox()),
        "POST",
        Some(body),
    )
    .await;
}

fn card(merchant_uid: &str, number: &str, extra: &str) -> JsValue {
    parse(&format!(
        r#"{{"merchant_uid": "{merchant_uid}", "amount": 3000, "card_number": "{number}", "expiry": "12/30", "birth": "820213", "pwd_2digit": "12"{extra}}}"#
    ))
}

/// `__operations`, which the JS entry makes the clients' methods from: one row per
/// operation, in the table's order, `[clientMethod, chargesNow, serverOnly]`.
#[wasm_bindgen_test]
fn the_operations_export_lists_the_table() {
    use iamport_keyin::api::operation::OpName;
    let rows = js_sys::Array::from(&iamport_keyin::client::web::operations());
    assert_eq!(rows.length() as usize, OpName::ALL.len());
    for (row, op) in rows.iter().zip(OpName::ALL) {
        let row = js_sys::Array::from(&row);
        assert_eq!(row.length(), 3);
        assert_eq!(row.get(0).as_string().as_deref(), Some(op.client()));
        assert_eq!(row.get(1).as_bool(), Some(op.charges_now()));
        assert_eq!(row.get(2).as_bool(), Some(op.server_only()));
    }
}

/// A task driven by hand, step by step, as drive.js drives it: what each step asks
/// for, and what each answer leads to. A charge with no answer is looked up by its
/// merchant_uid, never sent again; a look-up's `ready` payment asks for a wait; a
/// request with no answer is a TIMEOUT or a NETWORK_ERROR as the driver reports it.
#[wasm_bindgen_test]
fn a_task_asks_for_each_request_and_wait_and_never_resends_a_charge() {
    let c = KeyinClient::new(
        parse(
            r#"{"proxyUrl": "https://shop.example/iamport/", "timeoutMs": 1234, "credentials": "include",
                "headers": {"X-Csrf": "a", "x-csrf": "t", "Content-Type": "text/plain"}}"#,
        ),
        None,
    )
    .expect("client");
    let obj = |v: &JsValue| js_sys::Object::from(v.clone());
    let charge = js_sys::Array::of1(&card("m_task", "4111 1111 1111 1111", ""));
    let mut t = c.call(operation_number("payOnetime"), charge.into());
    let ask = t.next(0, None, false).expect("the charge");
    assert_eq!(
        s(&ask, "url").as_deref(),
        Some("https://shop.example/iamport/subscribe/payments/onetime")
    );
    assert_eq!(get(&ask, "timeoutMs").as_f64(), Some(1234.0));
    let init = get(&ask, "init");
    assert_eq!(s(&init, "method").as_deref(), Some("POST"));
    assert_eq!(s(&init, "credentials").as_deref(), Some("include"));
    // One entry per header name, the last one given; the body's content-type wins.
    let headers = get(&init, "headers");
    assert_eq!(js_sys::Object::keys(&obj(&headers)).length(), 2);
    assert_eq!(s(&headers, "x-csrf").as_deref(), Some("t"));
    assert_eq!(
        s(&headers, "content-type").as_deref(),
        Some("application/json")
    );
    let body = parse(&s(&init, "body").expect("a body"));
    assert_eq!(s(&body, "merchant_uid").as_deref(), Some("m_task"));
    assert_eq!(get(&body, "amount").as_f64(), Some(3000.0));
    // No answer (a dropped connection): the charge may have happened, so the next
    // ask is the look-up by merchant_uid.
    let ask = t.next(0, None, false).expect("the look-up");
    assert_eq!(
        s(&ask, "url").as_deref(),
        Some("https://shop.example/iamport/payments/find/m_task")
    );
    assert_eq!(s(&get(&ask, "init"), "method").as_deref(), Some("GET"));
    assert!(get(&get(&ask, "init"), "body").is_undefined());
    let payment = |status: &str| {
        format!(
            r#"{{"code":0,"message":null,"response":{{"merchant_uid":"m_task","imp_uid":"imp_t","status":"{status}","amount":3000,"currency":"KRW"}}}}"#
        )
    };
    // Still `ready`: wait, then look up again (the same look-up, not the charge).
    let ask = t.next(200, Some(payment("ready")), false).expect("a wait");
    assert_eq!(get(&ask, "sleep").as_f64(), Some(500.0));
    let ask = t.next(0, None, false).expect("the look-up again");
    assert_eq!(
        s(&ask, "url").as_deref(),
        Some("https://shop.example/iamport/payments/find/m_task")
    );
    let done = t
        .next(200, Some(payment("paid")), false)
        .expect("the outcome");
    let outcome = get(&done, "done");
    assert_eq!(s(&outcome, "status").as_deref(), Some("paid"));
    assert_eq!(get(&outcome, "resolvedByLookup").as_bool(), Some(true));
    // An ended task answers an error, never a hang or a trap.
    let e = t.next(0, None, false).expect_err("ended");
    assert_eq!(s(&e, "code").as_deref(), Some("INTERNAL_ERROR"));

    // A look-up with no answer rejects: TIMEOUT when the ask's timeout passed, else
    // NETWORK_ERROR; a status no HTTP answer has is no answer.
    for (status, text, timed_out, code) in [
        (0, None, true, "TIMEOUT"),
        (0, None, false, "NETWORK_ERROR"),
        (200, None, false, "NETWORK_ERROR"),
        (70_000, Some("{}"), false, "NETWORK_ERROR"),
    ] {
        let find = js_sys::Array::of1(&"m_task".into());
        let mut t = c.call(operation_number("findPayment"), find.into());
        t.next(0, None, false).expect("the look-up");
        let e = t
            .next(status, text.map(str::to_owned), timed_out)
            .expect_err(code);
        assert_eq!(s(&e, "code").as_deref(), Some(code));
    }
    // Not JSON: MALFORMED_RESPONSE.
    let find = js_sys::Array::of1(&"m_task".into());
    let mut t = c.call(operation_number("findPayment"), find.into());
    t.next(0, None, false).expect("the look-up");
    let e = t
        .next(502, Some("<html>bad gateway</html>".into()), false)
        .expect_err("not JSON");
    assert_eq!(s(&e, "code").as_deref(), Some("MALFORMED_RESPONSE"));
}

#[wasm_bindgen_test]
async fn every_method_happy_path() {
    let c = client("");
    let cust = uid("cust");
    let m1 = uid("pay");
    let o = ok(c.pay_onetime(card(
        &m1,
        "4111 1111 1111 1111",
        &format!(r#", "customer_uid": "{cust}""#),
    )))
    .await;
    assert_eq!(s(&o, "status").as_deref(), Some("paid"));
    assert_eq!(get(&o, "resolvedByLookup").as_bool(), Some(false));
    assert_eq!(
        s(&get(&o, "payment"), "card_number").as_deref(),
        Some("411111******1111")
    );
    let found = ok(c.find_payment(m1.clone().into())).await;
    assert_eq!(s(&found, "status").as_deref(), Some("paid"));
    assert!(ok(c.find_payment(uid("none").into())).await.is_null());

    let key = ok(c.get_billing_key(cust.clone().into())).await;
    assert_eq!(s(&key, "customer_uid").as_deref(), Some(cust.as_str()));
    let again = ok(c.pay_again(parse(&format!(
        r#"{{"customer_uid": "{cust}", "merchant_uid": "{}", "amount": 3000, "name": "again"}}"#,
        uid("again")
    ))))
    .await;
    assert_eq!(s(&again, "status").as_deref(), Some("paid"));

    let cust2 = uid("cust2");
    let reg = ok(c.register_billing_key(cust2.clone().into(), parse(r#"{"card_number": "5555-5555-5555-4444", "expiry": "2030-01", "birth": "116-82-00276"}"#))).await;
    assert_eq!(s(&reg, "card_number").as_deref(), Some("555555******4444"));

    let now = (js_sys::Date::now() / 1000.0) as u64;
    let s1 = uid("sched");
    let sched = ok(c.schedule(parse(&format!(r#"{{"customer_uid": "{cust2}", "schedules": [{{"merchant_uid": "{s1}", "schedule_at": {}, "amount": 9900, "name": "monthly"}}]}}"#, now + 86_400)))).await;
    assert_eq!(js_sys::Array::from(&sched).length(), 1);
    let one = ok(c.get_schedule(s1.clone().into())).await;
    assert_eq!(s(&one, "schedule_status").as_deref(), Some("scheduled"));
    let revoked = ok(c.unschedule(parse(&format!(r#"{{"merchant_uid": "{s1}"}}"#)))).await;
    assert_eq!(
        s(&js_sys::Array::from(&revoked).get(0), "schedule_status").as_deref(),
        Some("revoked")
    );
    assert!(ok(c.get_schedule(uid("nosched").into())).await.is_null());

    let deleted = ok(c.delete_billing_key(cust2.clone().into(), "test".into())).await;
    assert_eq!(s(&deleted, "customer_uid").as_deref(), Some(cust2.as_str()));
    assert!(ok(c.get_billing_key(cust2.into())).await.is_null());
}

#[wasm_bindgen_test]
async fn declines_are_outcomes_not_exceptions() {
    let c = client("");
    let limit = ok(c.pay_onetime(card(&uid("lim"), "4000 0000 0000 0010", ""))).await;
    assert_eq!(s(&limit, "status").as_deref(), Some("failed"));
    assert_eq!(
        s(&limit, "failReason").as_deref(),
        Some("[2116]개인 월 한도금액 초과")
    );
    let auth = ok(c.pay_onetime(card(&uid("auth"), "4000 0000 0000 0028", ""))).await;
    assert_eq!(s(&auth, "status").as_deref(), Some("failed"));
    assert_eq!(get(&auth, "iamportCode").as_f64(), Some(-1.0));
    let funds = ok(c.pay_onetime(card(&uid("funds"), "4000 0000 0000 0036", ""))).await;
    assert_eq!(
        s(&funds, "failReason").as_deref(),
        Some("[1001]잔액이 부족합니다.")
    );
    // PG error: HTTP 500, so the outcome is looked up (recorded as failed).
    let m = uid("pg");
    let pg = ok(c.pay_onetime(card(&m, "4000 0000 0000 0044", ""))).await;
    assert_eq!(s(&pg, "status").as_deref(), Some("failed"));
    assert_eq!(get(&pg, "resolvedByLookup").as_bool(), Some(true));
    assert_eq!(payment_count(&m).await, 1.0);
}

/// The proxy's instance traps right after it forwarded the charge, so the proxy
/// answers 500 `INTERNAL`: the charge may have happened. The client looks it up
/// and reports the one payment; it never rejects with "nothing was charged"
/// (after which a merchant would charge again under a new merchant_uid).
#[wasm_bindgen_test]
async fn a_proxy_that_traps_after_forwarding_a_charge_ends_in_a_look_up() {
    let opts = format!(r#"{{"proxyUrl": "{}", "locale": "en"}}"#, trap_proxy());
    let c = KeyinClient::new(parse(&opts), None).expect("client");
    let m = uid("trap");
    let o = ok(c.pay_onetime(card(&m, "4111 1111 1111 1111", ""))).await;
    assert_eq!(s(&o, "status").as_deref(), Some("paid"));
    assert_eq!(get(&o, "resolvedByLookup").as_bool(), Some(true));
    assert_eq!(payment_count(&m).await, 1.0);
    // A billing-key charge the same way.
    let cust = uid("trapcust");
    let m2 = uid("trap2");
    let first = ok(client("").pay_onetime(card(
        &m2,
        "4111 1111 1111 1111",
        &format!(r#", "customer_uid": "{cust}""#),
    )))
    .await;
    assert_eq!(s(&first, "status").as_deref(), Some("paid"));
    let m3 = uid("trap3");
    let again = ok(c.pay_again(parse(&format!(
        r#"{{"customer_uid": "{cust}", "merchant_uid": "{m3}", "amount": 1000, "name": "again"}}"#
    ))))
    .await;
    assert_eq!(s(&again, "status").as_deref(), Some("paid"));
    assert_eq!(get(&again, "resolvedByLookup").as_bool(), Some(true));
    assert_eq!(payment_count(&m3).await, 1.0);
}

#[wasm_bindgen_test]
async fn committed_then_dropped_or_504_end_as_paid_exactly_once() {
    let c = client("");
    for number in ["4000 0000 0000 0069", "4000 0000 0000 0077"] {
        let m = uid("commit");
        let o = ok(c.pay_onetime(card(&m, number, ""))).await;
        assert_eq!(s(&o, "status").as_deref(), Some("paid"), "{number}");
        assert_eq!(
            get(&o, "resolvedByLookup").as_bool(),
            Some(true),
            "{number}"
        );
        assert_eq!(
            payment_count(&m).await,
            1.0,
            "exactly one payment for {number}"
        );
    }
}

#[wasm_bindgen_test]
async fn a_ready_payment_is_polled_until_it_settles() {
    let c = client("");
    let m = uid("ready");
    let o = ok(c.pay_onetime(card(&m, "4000 0000 0000 0085", ""))).await;
    assert_eq!(s(&o, "status").as_deref(), Some("paid"));
    assert_eq!(get(&o, "resolvedByLookup").as_bool(), Some(true));
    assert_eq!(payment_count(&m).await, 1.0);
}

#[wasm_bindgen_test]
async fn a_slow_answer_past_the_timeout_is_looked_up() {
    let c = client(r#", "timeoutMs": 1000"#);
    let m = uid("slow");
    let o = ok(c.pay_onetime(card(&m, "4000 0000 0000 0051", ""))).await;
    assert_eq!(s(&o, "status").as_deref(), Some("paid"));
    assert_eq!(get(&o, "resolvedByLookup").as_bool(), Some(true));
    assert_eq!(payment_count(&m).await, 1.0);
}

#[wasm_bindgen_test]
async fn a_failing_look_up_gives_unknown_and_a_missing_payment_not_found() {
    let c = client("");
    let m = uid("lost");
    fault(&format!(
        r#"{{"path": "/payments/find/{m}", "mode": "500", "count": 5}}"#
    ))
    .await;
    let o = ok(c.pay_onetime(card(&m, "4000 0000 0000 0069", ""))).await;
    assert_eq!(s(&o, "status").as_deref(), Some("unknown"));
    assert_eq!(s(&o, "unknownReason").as_deref(), Some("lookup_failed"));
    assert!(s(&o, "message").is_some_and(|m| m.contains("do not charge again")));
    assert_eq!(payment_count(&m).await, 1.0, "never re-sent");
    // The connection dropped before anything was recorded: not found.
    fault(r#"{"path": "/subscribe/payments/onetime", "mode": "drop", "count": 1}"#).await;
    let m2 = uid("never");
    let o = ok(c.pay_onetime(card(&m2, "4111 1111 1111 1111", ""))).await;
    assert_eq!(s(&o, "status").as_deref(), Some("unknown"));
    assert_eq!(s(&o, "unknownReason").as_deref(), Some("not_found"));
    assert_eq!(payment_count(&m2).await, 0.0);
}

#[wasm_bindgen_test]
async fn invalid_input_sends_nothing() {
    let c = client("");
    let before = upstream_total().await;
    let e = err(c.pay_onetime(card(
        &uid("bad"),
        "4111 1111 1111 1112",
        r#", "birth": "820231""#,
    )))
    .await;
    assert_eq!(s(&e, "name").as_deref(), Some("KeyinError"));
    assert_eq!(s(&e, "code").as_deref(), Some("INVALID_INPUT"));
    let errors = js_sys::Array::from(&get(&e, "errors"));
    assert_eq!(errors.length(), 2);
    let text = JSON::stringify(&e)
        .ok()
        .and_then(|t| t.as_string())
        .unwrap_or_default()
        + &s(&e, "message").unwrap_or_default();
    assert!(!text.contains("4111111111111112") && !text.contains("820231"));
    let e = err(c.register_billing_key("a/b".into(), parse("{}"))).await;
    assert_eq!(s(&e, "code").as_deref(), Some("INVALID_INPUT"));
    // An operation number that is none (past the table, fractional, negative, a name).
    let count = iamport_keyin::api::operation::OpName::ALL.len() as f64;
    for n in [
        JsValue::from(count),
        JsValue::from(0.5),
        JsValue::from(-1),
        "payOnetime".into(),
    ] {
        let e = err(drive(c.call(n, js_sys::Array::new().into()))).await;
        assert_eq!(s(&e, "code").as_deref(), Some("INVALID_INPUT"));
    }
    assert_eq!(upstream_total().await, before, "the sandbox saw nothing");
}

#[wasm_bindgen_test]
async fn proxy_refusals_map_to_codes() {
    let c = client("");
    let e = err(c.pay_onetime(card(
        &format!("mismatch-{}", uid("m")),
        "4111 1111 1111 1111",
        "",
    )))
    .await;
    // (merchant_uids starting with "mismatch-" get another server-side price from the test proxy)
    assert_eq!(
        (s(&e, "code").as_deref(), get(&e, "httpStatus").as_f64()),
        (Some("AMOUNT_MISMATCH"), Some(409.0))
    );
    let denied = client(r#", "headers": {"x-test-authorize": "deny"}"#);
    let e = err(denied.pay_onetime(card(&uid("deny"), "4111 1111 1111 1111", ""))).await;
    assert_eq!(
        (s(&e, "code").as_deref(), get(&e, "httpStatus").as_f64()),
        (Some("FORBIDDEN"), Some(403.0))
    );
    // Header names in any case: the last value given for a name is sent, and the
    // body's content-type replaces the merchant's (else the proxy answers 415).
    let cased = client(
        r#", "headers": {"X-Test-Authorize": "allow", "x-test-authorize": "deny", "Content-Type": "text/plain"}"#,
    );
    let e = err(cased.pay_onetime(card(&uid("deny"), "4111 1111 1111 1111", ""))).await;
    assert_eq!(
        (s(&e, "code").as_deref(), get(&e, "httpStatus").as_f64()),
        (Some("FORBIDDEN"), Some(403.0))
    );
    let big = "x".repeat(20_000);
    let e = err(c.pay_onetime(card(
        &uid("big"),
        "4111 1111 1111 1111",
        &format!(r#", "custom_data": "{big}""#),
    )))
    .await;
    assert_eq!(
        (s(&e, "code").as_deref(), get(&e, "httpStatus").as_f64()),
        (Some("BODY_TOO_LARGE"), Some(413.0))
    );
}

#[wasm_bindgen_test]
fn bad_configuration_is_refused_clearly() {
    for opts in [
        r#"{}"#,
        r#"{"proxyUrl": "ftp://x"}"#,
        r#"{"proxyUrl": "https://x/iamport?a=1"}"#,
        r#"{"proxyUrl": "https://x", "timeoutMs": 0}"#,
        r#"{"proxyUrl": "https://x", "locale": "jp"}"#,
    ] {
        let e = KeyinClient::new(parse(opts), None).expect_err(opts);
        assert_eq!(s(&e, "code").as_deref(), Some("INVALID_CONFIG"), "{opts}");
    }
    assert!(KeyinClient::new(JsValue::NULL, None).is_err());
    let c = KeyinClient::new(
        parse(r#"{"proxyUrl": "https://shop.example/iamport/"}"#),
        None,
    )
    .expect("absolute URL");
    assert_eq!(c.proxy_url(), "https://shop.example/iamport");
    // A relative URL is resolved against the page's (or worker's) location, which the
    // JS entry passes (`location.href`); without one (Node) it is refused.
    let relative = || parse(r#"{"proxyUrl": "/iamport/x/"}"#);
    let page = Some("https://shop.example/cart/pay?step=2".to_owned());
    assert_eq!(
        KeyinClient::new(relative(), page)
            .expect("relative URL in a page")
            .proxy_url(),
        "https://shop.example/iamport/x"
    );
    let e = KeyinClient::new(relative(), None).expect_err("relative URL outside a page");
    assert_eq!(s(&e, "code").as_deref(), Some("INVALID_CONFIG"));
    let location = get(&js_sys::global(), "location");
    if let (Some(origin), Some(href)) = (s(&location, "origin"), s(&location, "href")) {
        assert_eq!(
            KeyinClient::new(relative(), Some(href))
                .expect("this page")
                .proxy_url(),
            format!("{origin}/iamport/x")
        );
    }
}
