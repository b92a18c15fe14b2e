use super::*;
use crate::api::value::test_json::json;
use crate::api::BuildOptions;

const BASE: &str = "/iamport";

fn opts() -> BuildOptions {
    BuildOptions::at(1_795_875_642)
}

#[test]
fn routes_mirror_iamport_under_the_base_path() {
    let table: &[(&str, &str, OpName, &[&str])] = &[
        (
            "POST",
            "/iamport/subscribe/payments/onetime",
            OpName::PayOnetime,
            &[],
        ),
        (
            "POST",
            "/iamport/subscribe/payments/again",
            OpName::PayAgain,
            &[],
        ),
        (
            "POST",
            "/iamport/subscribe/payments/schedule",
            OpName::Schedule,
            &[],
        ),
        (
            "POST",
            "/iamport/subscribe/payments/unschedule",
            OpName::Unschedule,
            &[],
        ),
        (
            "GET",
            "/iamport/subscribe/payments/schedule/sub_1",
            OpName::GetSchedule,
            &["sub_1"],
        ),
        (
            "GET",
            "/iamport/subscribe/payments/schedule/customers/c%201",
            OpName::GetSchedulesByCustomer,
            &["c 1"],
        ),
        (
            "GET",
            "/iamport/subscribe/customers",
            OpName::GetBillingKeys,
            &[],
        ),
        (
            "GET",
            "/iamport/subscribe/customers/c1",
            OpName::GetBillingKey,
            &["c1"],
        ),
        (
            "POST",
            "/iamport/subscribe/customers/c1",
            OpName::RegisterBillingKey,
            &["c1"],
        ),
        (
            "DELETE",
            "/iamport/subscribe/customers/c1",
            OpName::DeleteBillingKey,
            &["c1"],
        ),
        (
            "GET",
            "/iamport/payments/find/m%2F1",
            OpName::FindPayment,
            &["m/1"],
        ),
    ];
    for &(method, path, op, params) in table {
        let r = route(method, path, BASE).unwrap_or_else(|e| panic!("{method} {path}: {e:?}"));
        assert_eq!(r.op, op, "{path}");
        assert_eq!(r.params, params, "{path}");
    }
}

#[test]
fn everything_else_is_404_or_405() {
    let not_found = [
        "/iamport/users/getToken",
        "/iamport/payments/find/m1/paid",
        "/iamport/payments/findAll/m1",
        "/iamport/../users/getToken",
        "/iamport/subscribe/../../users/getToken",
        "/iamport/subscribe/payments/./onetime",
        "/iamport/subscribe/payments/onetime/",
        "/iamport/subscribe/payments/onetime.",
        "/iamport/Subscribe/Payments/Onetime",
        "/IAMPORT/subscribe/payments/onetime",
        "/iamport//subscribe/payments/onetime",
        "/iamport/subscribe%2Fpayments%2Fonetime",
        "/iamport/subscribe/customers/%zz",
        "/iamport/subscribe/customers/%ff",
        "/iamportx/subscribe/payments/onetime",
        "/iamport",
        "/iamport/",
        "/subscribe/payments/onetime",
        "/",
        "",
    ];
    for path in not_found {
        let e = route("POST", path, BASE).unwrap_err();
        assert_eq!((e.status, e.code.as_str()), (404, "NOT_FOUND"), "{path}");
    }
    for (method, path) in [
        ("GET", "/iamport/subscribe/payments/onetime"),
        ("PUT", "/iamport/subscribe/customers/c1"),
        ("DELETE", "/iamport/payments/find/m1"),
        ("POST", "/iamport/payments/imp_123"),
        ("post", "/iamport/subscribe/payments/onetime"),
    ] {
        let e = route(method, path, BASE).unwrap_err();
        assert_eq!(
            (e.status, e.code.as_str()),
            (405, "METHOD_NOT_ALLOWED"),
            "{method} {path}"
        );
    }
    // The refund's row routes, and the proxy never serves it (404 before any hook).
    let r = route("POST", "/iamport/payments/cancel", BASE).unwrap();
    assert_eq!(r.op, OpName::CancelPayment);
    assert!(!crate::proxy::Policy::default().serves(r.op));
    // Double encoding decodes once: "%252e%252e" stays the literal "%2e%2e", which the builders refuse.
    let r = route("GET", "/iamport/subscribe/customers/%252e%252e", BASE).unwrap();
    assert_eq!(r.params, ["%2e%2e"]);
    let e = prepare(&r, None, "", &opts(), &ServerFields::default()).unwrap_err();
    assert_eq!(e.fields[0].code.as_str(), "INVALID_UID");
}

#[test]
fn origins() {
    let own = "https://shop.example";
    let allowed = vec![
        "https://shop.example".to_owned(),
        "https://m.shop.example".to_owned(),
    ];
    let check = |o: Option<&str>, list: &[String]| check_origin(o, own, list, false);
    assert_eq!(check(None, &[]), OriginDecision::SameOrigin);
    assert_eq!(check(Some(own), &[]), OriginDecision::SameOrigin);
    assert_eq!(
        check(Some("https://evil.example"), &[]),
        OriginDecision::Refused
    );
    assert_eq!(check(Some("null"), &[]), OriginDecision::Refused);
    assert_eq!(
        check(Some("https://m.shop.example"), &allowed),
        OriginDecision::Allowed(Cors {
            allow_origin: "https://m.shop.example".into(),
            credentials: false
        })
    );
    assert_eq!(
        check_origin(Some("https://m.shop.example"), own, &allowed, true),
        OriginDecision::Allowed(Cors {
            allow_origin: "https://m.shop.example".into(),
            credentials: true
        })
    );
    assert_eq!(
        check(Some("https://m.shop.example.evil"), &allowed),
        OriginDecision::Refused
    );
    assert_eq!(
        check(Some("HTTPS://M.SHOP.EXAMPLE"), &allowed),
        OriginDecision::Refused
    );
    // "*": a literal `*`, never the caller's origin echoed, never credentials.
    let any = vec!["*".to_owned()];
    for o in ["https://evil.example", "null"] {
        assert_eq!(
            check_origin(Some(o), own, &any, true),
            OriginDecision::Allowed(Cors {
                allow_origin: "*".into(),
                credentials: false
            })
        );
    }
}

#[test]
fn origin_options_fail_closed() {
    let list = |o: &[&str]| o.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(check_origins_option(&list(&["https://a.example"]), true).is_ok());
    assert!(check_origins_option(&list(&["*"]), false).is_ok());
    assert!(check_origins_option(&list(&["*"]), true).is_err());
    assert!(check_origins_option(&list(&[]), true).is_err());
    assert!(check_origins_option(&list(&["null"]), false).is_err());
    assert!(check_origins_option(&list(&["shop.example"]), false).is_err());
}

#[test]
fn cors_echoes_plain_requested_headers_only() {
    let cors = Cors {
        allow_origin: "https://a.example".into(),
        credentials: false,
    };
    let allow = |req| cors_headers(&cors, req)[2].1.clone();
    assert_eq!(
        allow(Some("content-type, x-csrf-token")),
        "content-type, x-csrf-token"
    );
    assert_eq!(allow(None), "content-type, authorization, x-requested-with");
    assert_eq!(
        allow(Some("x\r\nset-cookie: a")),
        "content-type, authorization, x-requested-with"
    );
    let names = |c: &Cors| {
        cors_headers(c, None)
            .iter()
            .map(|(k, _)| *k)
            .collect::<Vec<_>>()
    };
    assert!(names(&cors).contains(&"vary"));
    assert!(!names(&cors).contains(&"access-control-allow-credentials"));
    let star = Cors {
        allow_origin: "*".into(),
        credentials: false,
    };
    assert!(!names(&star).contains(&"vary"));
    let creds = Cors {
        allow_origin: "https://a.example".into(),
        credentials: true,
    };
    assert!(names(&creds).contains(&"access-control-allow-credentials"));
}

#[test]
fn content_types_and_bodies() {
    assert!(is_json_content_type(Some("application/json")));
    assert!(is_json_content_type(Some(
        "Application/JSON; charset=utf-8"
    )));
    for bad in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("application/jsonx"),
        Some(""),
    ] {
        assert!(!is_json_content_type(bad), "{bad:?}");
    }
    for (body, code) in [
        (&b"{"[..], "MALFORMED_JSON"),
        (b"\xff", "MALFORMED_JSON"),
        (b"1e309", "MALFORMED_JSON"),
        (b"", "MALFORMED_JSON"),
    ] {
        let e = parse_body(body).unwrap_err();
        assert_eq!((e.status, e.code.as_str()), (400, code));
    }
}

#[test]
fn prepare_rebuilds_and_hooks_never_see_card_fields() {
    let r = route("POST", "/iamport/subscribe/payments/onetime", BASE).unwrap();
    let body = json(
        r#"{"merchant_uid":"m1","amount":3000,"card_number":"4111 1111 1111 1111","expiry":"12/28","birth":"820213","pwd_2digit":"12","name":"주문","buyer_name":"홍길동","customer_uid":"c1"}"#,
    );
    let p = prepare(&r, Some(&body), "", &opts(), &ServerFields::default()).unwrap();
    assert_eq!(p.request.path, "/subscribe/payments/onetime");
    let op = serde_json::to_string(&p.operation).unwrap();
    assert_eq!(
        op,
        r#"{"name":"onetime","merchantUid":"m1","customerUid":"c1","merchantUids":["m1"],"customerUids":["c1"],"amount":3000,"orderName":"주문","buyerName":"홍길동"}"#
    );
    for secret in ["4111", "820213", "\"12\"", "2028"] {
        assert!(!op.contains(secret), "{op}");
    }
    // Invalid input: 400 with fields, no card data.
    let bad = json(
        r#"{"merchant_uid":"m1","amount":3000,"card_number":"4111 1111 1111 1112","expiry":"12/28","birth":"820213","pwd_2digit":"12","extra":1}"#,
    );
    let e = prepare(&r, Some(&bad), "", &opts(), &ServerFields::default()).unwrap_err();
    assert_eq!(e.status, 400);
    let text = serde_json::to_string(&e.body()).unwrap();
    assert!(
        text.contains("CARD_NUMBER_LUHN") && text.contains("UNKNOWN_FIELD"),
        "{text}"
    );
    assert!(!text.contains("4111"), "{text}");
}

#[test]
fn prepare_every_route() {
    let card =
        r#""card_number":"4111111111111111","expiry":"12/28","birth":"820213","pwd_2digit":"12""#;
    let cases: Vec<(&str, &str, Option<String>, &str, &str)> = vec![
        ("POST", "/iamport/subscribe/customers/c1", Some(format!("{{{card}}}")), "", "/subscribe/customers/c1"),
        ("GET", "/iamport/subscribe/customers/c1", None, "", "/subscribe/customers/c1"),
        ("DELETE", "/iamport/subscribe/customers/c1", None, "reason=%EC%9D%B4%EC%82%AC", "/subscribe/customers/c1?reason=%EC%9D%B4%EC%82%AC"),
        ("GET", "/iamport/subscribe/customers", None, "customer_uid[]=a&customer_uid%5B%5D=b", "/subscribe/customers?customer_uid%5B%5D=a&customer_uid%5B%5D=b"),
        ("POST", "/iamport/subscribe/payments/again", Some(r#"{"customer_uid":"c1","merchant_uid":"m2","amount":1000,"name":"n"}"#.into()), "", "/subscribe/payments/again"),
        ("POST", "/iamport/subscribe/payments/schedule", Some(r#"{"customer_uid":"c1","schedules":[{"merchant_uid":"s1","schedule_at":1800000000,"amount":1000},{"merchant_uid":"s2","schedule_at":1800000001,"amount":2000}]}"#.into()), "", "/subscribe/payments/schedule"),
        ("POST", "/iamport/subscribe/payments/unschedule", Some(r#"{"merchant_uid":["s1"]}"#.into()), "", "/subscribe/payments/unschedule"),
        ("GET", "/iamport/subscribe/payments/schedule/s1", None, "", "/subscribe/payments/schedule/s1"),
        ("GET", "/iamport/subscribe/payments/schedule/customers/c1", None, "from=1795875642&to=1798000000&schedule-status=scheduled&page=2", "/subscribe/payments/schedule/customers/c1?from=1795875642&to=1798000000&schedule-status=scheduled&page=2"),
        ("GET", "/iamport/payments/find/m1", None, "", "/payments/find/m1"),
    ];
    for (method, path, body, query, upstream) in cases {
        let r = route(method, path, BASE).unwrap();
        let body = body.map(|b| json(&b));
        let p = prepare(&r, body.as_ref(), query, &opts(), &ServerFields::default())
            .unwrap_or_else(|e| panic!("{path}: {e:?}"));
        assert_eq!(p.request.path_and_query(), upstream);
        assert_eq!(p.request.method.as_str(), method);
        if r.op == OpName::Schedule {
            assert_eq!(p.operation.amount, Some(3000));
            assert_eq!(p.operation.merchant_uids, ["s1", "s2"]);
        }
    }
}

#[test]
fn browser_ip_comes_from_the_runtime() {
    let r = route("POST", "/iamport/subscribe/payments/again", BASE).unwrap();
    let body = json(
        r#"{"customer_uid":"c1","merchant_uid":"m2","amount":1000,"name":"n","browser_ip":"10.0.0.1"}"#,
    );
    let mut p = prepare(&r, Some(&body), "", &opts(), &ServerFields::default()).unwrap();
    set_browser_ip(&mut p.request, Some("203.0.113.9"));
    assert!(serde_json::to_string(&p.request)
        .unwrap()
        .contains("\"browser_ip\":\"203.0.113.9\""));
    // No trusted source (or not an address): the browser's claim is dropped, never forwarded.
    for none in [None, Some("not an ip")] {
        let mut p = prepare(&r, Some(&body), "", &opts(), &ServerFields::default()).unwrap();
        set_browser_ip(&mut p.request, none);
        let wire = serde_json::to_string(&p.request).unwrap();
        assert!(!wire.contains("browser_ip"), "{wire}");
    }
}

#[test]
fn token_timing_uses_the_servers_lifetime() {
    // The server's clock is an hour off; only expired_at − now matters.
    let resp = json(r#"{"access_token":"t1","now":1000,"expired_at":2800}"#);
    let t = CachedToken::from_response(&resp, 5_000_000.0).unwrap();
    assert_eq!(t.refresh_at_ms, 5_000_000.0 + 1_800_000.0 - 30_000.0);
    assert!(t.fresh(5_000_000.0 + 1_769_999.0));
    assert!(!t.fresh(5_000_000.0 + 1_770_000.0));
    // Short lifetimes refresh at half-life rather than never being fresh.
    let short = CachedToken::from_response(
        &json(r#"{"access_token":"t","now":0,"expired_at":10}"#),
        0.0,
    )
    .unwrap();
    assert_eq!(short.refresh_at_ms, 5_000.0);
    for bad in [
        r#"{"access_token":"","now":0,"expired_at":10}"#,
        r#"{"access_token":"t","now":10,"expired_at":10}"#,
        r#"{"now":0}"#,
    ] {
        assert!(
            CachedToken::from_response(&json(bad), 0.0).is_none(),
            "{bad}"
        );
    }
}

#[test]
fn every_code_has_one_wire_name_and_a_status() {
    let mut seen = std::collections::HashSet::new();
    for &c in ProxyCode::ALL {
        assert!(seen.insert(c.as_str()), "{c:?}");
        assert!((400..600).contains(&c.status()));
        assert_eq!(ProxyCode::parse(c.as_str()), Some(c));
        assert!(!c.about().is_empty());
    }
    // Only what follows a forwarded charge may have charged; a code this
    // version does not know is taken as "may have charged".
    let charged: Vec<&str> = ProxyCode::ALL
        .iter()
        .filter(|c| c.may_have_charged())
        .map(|c| c.as_str())
        .collect();
    assert_eq!(charged, ["INTERNAL", "OUTCOME_UNKNOWN"]);
    assert!(ProxyCode::wire_may_have_charged("SOMETHING_NEW"));
    assert!(!ProxyCode::wire_may_have_charged("FORBIDDEN"));
}

#[test]
fn field_errors_are_capped() {
    let r = route("POST", "/iamport/subscribe/payments/schedule", BASE).unwrap();
    let entries: Vec<String> = (0..100)
        .map(|i| format!(r#"{{"merchant_uid":"s{i}","schedule_at":1,"amount":-1}}"#))
        .collect();
    let body = json(&format!(
        r#"{{"customer_uid":"c1","schedules":[{}]}}"#,
        entries.join(",")
    ));
    let e = prepare(&r, Some(&body), "", &opts(), &ServerFields::default()).unwrap_err();
    assert_eq!(e.fields.len(), MAX_FIELD_ERRORS);
}

#[test]
fn lost_answers_and_retries() {
    let e = send_failure(OpName::PayOnetime, SendFailure::Timeout);
    assert_eq!((e.status, e.code), (504, ProxyCode::OutcomeUnknown));
    let e = send_failure(OpName::PayAgain, SendFailure::Network);
    assert_eq!((e.status, e.code), (502, ProxyCode::OutcomeUnknown));
    let e = send_failure(OpName::FindPayment, SendFailure::Timeout);
    assert_eq!((e.status, e.code), (504, ProxyCode::UpstreamTimeout));
    let e = send_failure(OpName::Schedule, SendFailure::Network);
    assert_eq!((e.status, e.code), (502, ProxyCode::UpstreamUnreachable));
    assert_eq!(after_answer(401, false), AfterAnswer::RetryWithFreshToken);
    assert_eq!(after_answer(401, true), AfterAnswer::Answer);
    assert_eq!(after_answer(200, false), AfterAnswer::Answer);
    assert_eq!(after_answer(500, false), AfterAnswer::Answer);
}

#[test]
fn one_deadline_for_token_forward_and_retry() {
    let d = Deadline::after(1_000.0, 25_000.0);
    assert_eq!(d.remaining(1_000.0), Ok(25_000.0));
    // A slow getToken eats the forward's budget.
    assert_eq!(d.remaining(21_000.0), Ok(5_000.0));
    let e = d.remaining(26_000.0).unwrap_err();
    assert_eq!((e.status, e.code), (504, ProxyCode::UpstreamTimeout));
    assert!(d.remaining(25_999.5).is_err());
}

#[test]
fn token_cache_single_failure_back_off_and_invalidation() {
    let mut c = TokenCache::default();
    assert_eq!(c.step(0.0), TokenStep::Fetch);
    c.fail(1_000.0);
    assert_eq!(c.step(1_000.0), TokenStep::Failing);
    assert_eq!(
        c.step(1_000.0 + TOKEN_FAILURE_BACKOFF_MS - 1.0),
        TokenStep::Failing
    );
    assert_eq!(c.step(1_000.0 + TOKEN_FAILURE_BACKOFF_MS), TokenStep::Fetch);
    let t = read_token_answer(
        200,
        Some(&json(r#"{"code":0,"message":null,"response":{"access_token":"t1","now":0,"expired_at":1800}}"#)),
        5_000.0,
    )
    .unwrap();
    c.store(t);
    assert_eq!(c.step(5_000.0), TokenStep::Use("t1".into()));
    c.invalidate("t0");
    assert_eq!(c.step(5_000.0), TokenStep::Use("t1".into()));
    c.invalidate("t1");
    assert_eq!(c.step(5_000.0), TokenStep::Fetch);
    // Failures carry our words, never Iamport's.
    let upstream =
        json(r#"{"code":-1,"message":"<script>imp_secret 오류</script>","response":null}"#);
    for status in [200, 401, 500] {
        let e = read_token_answer(status, Some(&upstream), 0.0).unwrap_err();
        assert_eq!(e.code, ProxyCode::TokenFailed);
        assert!(
            !e.message.contains("script") && !e.message.contains("오류"),
            "{}",
            e.message
        );
    }
    assert!(!format!(
        "{:?}",
        read_token_answer(
            200,
            Some(&json(
                r#"{"code":0,"response":{"access_token":"secret-token","now":0,"expired_at":9}}"#
            )),
            0.0,
        )
    )
    .contains("secret-token"));
}

#[test]
fn the_readme_documents_every_code() {
    let readme = include_str!("../../README.md");
    for &c in ProxyCode::ALL {
        let row = format!("| `{}` | {}", c.as_str(), c.status());
        assert!(readme.contains(&row), "README lacks the row {row}");
    }
}

#[test]
fn the_webhook_route_is_for_servers_only() {
    assert!(is_webhook_path("/iamport/webhook", BASE));
    assert!(!is_webhook_path("/iamport/webhook/", BASE));
    assert!(!is_webhook_path("/iamportwebhook", BASE));
    assert!(!is_webhook_path("/webhook", BASE));
    let code = |m: &str, o: Option<&str>, ip: Option<&str>, list: Option<&[String]>| {
        check_webhook_sender(m, o, ip, list).map_err(|e| (e.status, e.code.as_str()))
    };
    assert_eq!(code("POST", None, None, None), Ok(()));
    // A browser's Origin, even the shop's own, is refused: no CORS, ever.
    assert_eq!(
        code("POST", Some("https://shop.example"), None, None),
        Err((403, "ORIGIN_NOT_ALLOWED"))
    );
    assert_eq!(
        code("OPTIONS", Some("null"), None, None),
        Err((403, "ORIGIN_NOT_ALLOWED"))
    );
    assert_eq!(
        code("GET", None, None, None),
        Err((405, "METHOD_NOT_ALLOWED"))
    );
    let ips = ["52.78.100.19".to_owned(), "52.78.48.223".to_owned()];
    assert_eq!(code("POST", None, Some("52.78.48.223"), Some(&ips)), Ok(()));
    assert_eq!(
        code("POST", None, Some("203.0.113.9"), Some(&ips)),
        Err((403, "FORBIDDEN"))
    );
    // No trusted address to check: refused when a list is set.
    assert_eq!(
        code("POST", None, None, Some(&ips)),
        Err((403, "FORBIDDEN"))
    );
}

#[test]
fn a_webhooks_amount_is_checked_fail_closed() {
    let p = crate::api::Payment::from_value(&json(r#"{"amount":9900,"status":"paid"}"#))
        .expect("payment");
    assert_eq!(
        webhook_amount(&p, Some(PriceAnswer::Number(9900.0))),
        (Some(9900), false)
    );
    assert_eq!(
        webhook_amount(&p, Some(PriceAnswer::Number(100.0))),
        (Some(100), true)
    );
    for answer in [
        None,
        Some(PriceAnswer::Other),
        Some(PriceAnswer::Number(f64::NAN)),
        Some(PriceAnswer::Number(0.0)),
        Some(PriceAnswer::Number(9900.5)),
    ] {
        assert!(webhook_amount(&p, answer).1, "{answer:?}");
    }
    let no_amount = crate::api::Payment::from_value(&json(r#"{"status":"paid"}"#)).expect("p");
    assert!(webhook_amount(&no_amount, Some(PriceAnswer::Number(9900.0))).1);
    let asked = WebhookPrice::of(&p, "imp_1");
    let v = serde_json::to_value(&asked).expect("json");
    assert_eq!(v["pricing"], "webhook");
    assert_eq!(v["amount"], 9900);
    assert_eq!(v["impUid"], "imp_1");
}
