//! The fail-closed policy: configuration, pricing, server-owned fields, uids.

use super::*;
use crate::api::value::test_json::json;
use crate::api::BuildOptions;

const BASE: &str = "/iamport";

fn prep(method: &str, path: &str, body: Option<&str>, query: &str) -> Prepared {
    let r = route(method, path, BASE).unwrap();
    let body = body.map(json);
    prepare(
        &r,
        body.as_ref(),
        query,
        &BuildOptions::at(1_795_875_642),
        &ServerFields::default(),
    )
    .unwrap_or_else(|e| panic!("{path}: {e:?}"))
}

fn policy(authorize: bool, resolve: bool, ops: Option<&[&str]>) -> Policy {
    Policy {
        operations: ops.map(|o| {
            parse_operations(&o.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
        }),
        has_authorize: authorize,
        has_resolve_amount: resolve,
        server_fields: ServerFields::default(),
    }
}

#[test]
fn fails_closed_at_creation() {
    let e = policy(false, true, None).check().unwrap_err();
    assert!(e.contains("authorize is required"), "{e}");
    let e = policy(false, false, Some(&["findPayment"]))
        .check()
        .unwrap_err();
    assert!(e.contains("authorize"), "{e}");
    let e = policy(true, false, None).check().unwrap_err();
    assert!(
        e.contains("resolveAmount is required to serve payOnetime, payAgain, schedule"),
        "{e}"
    );
    let e = policy(true, false, Some(&["findPayment", "payAgain"]))
        .check()
        .unwrap_err();
    assert!(e.contains("to serve payAgain ("), "{e}");
    // Leaving every priced operation out needs no price.
    assert!(policy(
        true,
        false,
        Some(&["findPayment", "registerBillingKey", "getBillingKey"])
    )
    .check()
    .is_ok());
    assert!(policy(true, true, None).check().is_ok());
    let e = parse_operations(&["refund".into()]).unwrap_err();
    assert!(e.contains("\"refund\" is not an operation"), "{e}");
    // A card number pasted by mistake is never echoed.
    let e = parse_operations(&["4111111111111111".into()]).unwrap_err();
    assert!(!e.contains("4111111111111111"), "{e}");
    for (f, bad) in [
        (
            ServerFields {
                pg: Some("nice".into()),
                ..ServerFields::default()
            },
            "pg",
        ),
        (
            ServerFields {
                notice_url: Some("javascript:alert(1)".into()),
                ..ServerFields::default()
            },
            "noticeUrl",
        ),
        (
            ServerFields {
                channel_key: Some(String::new()),
                ..ServerFields::default()
            },
            "channelKey",
        ),
    ] {
        let mut p = policy(true, true, None);
        p.server_fields = f;
        assert!(p.check().unwrap_err().contains(bad));
    }
}

#[test]
fn serves_only_the_listed_operations() {
    let p = policy(true, true, Some(&["payOnetime", "findPayment"]));
    assert!(p.serves(OpName::PayOnetime) && p.serves(OpName::FindPayment));
    assert!(!p.serves(OpName::PayAgain) && !p.serves(OpName::DeleteBillingKey));
    let all = policy(true, true, None);
    assert!(crate::api::operation::OPERATIONS
        .iter()
        .all(|o| all.serves(o.name) != o.name.server_only()));
    // A refund is never served, listed or not; listing it is refused at createProxy.
    assert!(!all.serves(OpName::CancelPayment));
    let e = super::parse_operations(&["cancelPayment".to_owned()]).unwrap_err();
    assert!(e.contains("server-only"), "{e}");
    let e = super::parse_operations(&["refund".to_owned()]).unwrap_err();
    assert!(!e.contains("cancelPayment"), "{e}");
}

#[test]
fn every_amount_is_priced_on_its_own() {
    let p = prep(
        "POST",
        "/iamport/subscribe/payments/again",
        Some(r#"{"customer_uid":"c1","merchant_uid":"m1","amount":9900,"name":"n"}"#),
        "",
    );
    let items = price_requests(&p.operation);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].pricing, Pricing::Charge);
    assert_eq!(items[0].operation.amount, Some(9900));
    // A schedule: one price per entry, and the checking amount too.
    let p = prep(
        "POST",
        "/iamport/subscribe/payments/schedule",
        Some(
            r#"{"customer_uid":"c1","checking_amount":5000000,"schedules":[
              {"merchant_uid":"s1","schedule_at":1800000000,"amount":1},
              {"merchant_uid":"s2","schedule_at":1800000001,"amount":1},
              {"merchant_uid":"s3","schedule_at":1800000002,"amount":29698}]}"#,
        ),
        "",
    );
    let items = price_requests(&p.operation);
    let seen: Vec<(Option<&str>, Option<u64>, Pricing)> = items
        .iter()
        .map(|i| {
            (
                i.operation.merchant_uid.as_deref(),
                i.operation.amount,
                i.pricing,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (Some("s1"), Some(1), Pricing::ScheduledCharge),
            (Some("s2"), Some(1), Pricing::ScheduledCharge),
            (Some("s3"), Some(29698), Pricing::ScheduledCharge),
            (None, Some(5_000_000), Pricing::CheckingAmount),
        ]
    );
    // A price of 29700 for each entry refuses the 1 + 1 + 29698 split at once.
    assert_eq!(
        check_price(1, PriceAnswer::Number(29700.0))
            .unwrap_err()
            .code,
        ProxyCode::AmountMismatch
    );
    let json = serde_json::to_string(&items[0]).unwrap();
    assert!(
        json.contains(r#""merchantUid":"s1""#)
            && json.contains(r#""pricing":"scheduledCharge""#)
            && json.contains(r#""scheduleAt":1800000000"#),
        "{json}"
    );
    // Look-ups price nothing.
    let p = prep("GET", "/iamport/payments/find/m1", None, "");
    assert!(price_requests(&p.operation).is_empty());
}

#[test]
fn a_price_is_a_whole_positive_number_or_nothing() {
    assert!(check_price(9900, PriceAnswer::Number(9900.0)).is_ok());
    for bad in [
        PriceAnswer::Other, // null, undefined, "9900", 9900n, a thenable left unresolved
        PriceAnswer::Number(f64::NAN),
        PriceAnswer::Number(0.0),
        PriceAnswer::Number(-9900.0),
        PriceAnswer::Number(9900.5),
        PriceAnswer::Number(f64::INFINITY),
        PriceAnswer::Number(1e300),
    ] {
        let e = check_price(9900, bad).unwrap_err();
        assert_eq!(
            (e.status, e.code),
            (409, ProxyCode::AmountUnresolved),
            "{bad:?}"
        );
    }
    let e = check_price(1, PriceAnswer::Number(9900.0)).unwrap_err();
    assert_eq!((e.status, e.code), (409, ProxyCode::AmountMismatch));
}

#[test]
fn server_owned_fields_are_set_and_never_overridden_by_the_browser() {
    let f = ServerFields {
        pg: Some("kcp.A52CY".into()),
        channel_key: Some("channel-key-1".into()),
        notice_url: Some("https://shop.example/hooks/iamport".into()),
    };
    let card =
        r#""card_number":"4111111111111111","expiry":"12/28","birth":"820213","pwd_2digit":"12""#;
    // Absent in the browser's body: set.
    let mut p = prep(
        "POST",
        "/iamport/subscribe/payments/onetime",
        Some(&format!(r#"{{"merchant_uid":"m1","amount":1000,{card}}}"#)),
        "",
    );
    apply_server_fields(&mut p.request, &f).unwrap();
    let wire = serde_json::to_string(&p.request).unwrap();
    assert!(
        wire.contains(r#""pg":"kcp.A52CY""#) && wire.contains("hooks/iamport"),
        "{wire}"
    );
    // The same value: fine. Another value: refused, naming the field, never echoing it.
    for (path, body, field) in [
        ("/iamport/subscribe/payments/onetime", format!(r#"{{"merchant_uid":"m1","amount":1000,"pg":"kcp.TEST",{card}}}"#), "pg"),
        ("/iamport/subscribe/payments/onetime", format!(r#"{{"merchant_uid":"m1","amount":1000,"notice_url":"http://169.254.169.254/x",{card}}}"#), "notice_url"),
        ("/iamport/subscribe/payments/again", r#"{"customer_uid":"c","merchant_uid":"m","amount":1,"name":"n","channel_key":"other"}"#.to_owned(), "channel_key"),
        ("/iamport/subscribe/payments/schedule", r#"{"customer_uid":"c","schedules":[{"merchant_uid":"s","schedule_at":1800000000,"amount":1,"notice_url":"https://evil.example/"}]}"#.to_owned(), "schedules[0].notice_url"),
    ] {
        let mut p = prep("POST", path, Some(&body), "");
        let e = apply_server_fields(&mut p.request, &f).unwrap_err();
        assert_eq!((e.status, e.code), (400, ProxyCode::ServerOwnedField));
        assert_eq!(e.fields[0].field, field);
        let text = serde_json::to_string(&e.body()).unwrap();
        assert!(!text.contains("169.254") && !text.contains("evil"), "{text}");
    }
    let mut p = prep(
        "POST",
        "/iamport/subscribe/payments/onetime",
        Some(&format!(
            r#"{{"merchant_uid":"m1","amount":1000,"pg":"kcp.A52CY",{card}}}"#
        )),
        "",
    );
    assert!(apply_server_fields(&mut p.request, &f).is_ok());
    // Through `prepare`: the hooks' view is derived after the fields are set.
    let r = route("POST", "/iamport/subscribe/payments/onetime", BASE).unwrap();
    let body = json(&format!(r#"{{"merchant_uid":"m1","amount":1000,{card}}}"#));
    let opts = BuildOptions::at(1_795_875_642);
    let p = prepare(&r, Some(&body), "", &opts, &f).unwrap();
    assert_eq!(p.operation.pg.as_deref(), Some("kcp.A52CY"));
    assert_eq!(
        p.operation.notice_url.as_deref(),
        Some("https://shop.example/hooks/iamport")
    );
    let body = json(&format!(
        r#"{{"merchant_uid":"m1","amount":1000,"pg":"kcp.TEST",{card}}}"#
    ));
    let e = prepare(&r, Some(&body), "", &opts, &f).unwrap_err();
    assert_eq!(e.code, ProxyCode::ServerOwnedField);
    // Without the options, the browser's values pass, and the hooks see them.
    let p = prep(
        "POST",
        "/iamport/subscribe/payments/onetime",
        Some(&format!(
            r#"{{"merchant_uid":"m1","amount":1000,"pg":"kcp.TEST","custom_data":"{{\"vip\":true}}","notice_url":"https://x.example/h",{card}}}"#
        )),
        "",
    );
    let op = serde_json::to_string(&p.operation).unwrap();
    assert!(
        op.contains(r#""pg":"kcp.TEST""#)
            && op.contains(r#""noticeUrl":"https://x.example/h""#)
            && op.contains(r#""customData":"{\"vip\":true}""#),
        "{op}"
    );
}

#[test]
fn hooks_see_every_uid_the_request_touches() {
    let cases = [
        (
            "GET",
            "/iamport/payments/find/m1",
            None,
            "",
            vec!["m1"],
            vec![],
        ),
        (
            "GET",
            "/iamport/subscribe/customers/c1",
            None,
            "",
            vec![],
            vec!["c1"],
        ),
        (
            "DELETE",
            "/iamport/subscribe/customers/c1",
            None,
            "",
            vec![],
            vec!["c1"],
        ),
        (
            "GET",
            "/iamport/subscribe/customers",
            None,
            "customer_uid[]=a&customer_uid[]=b",
            vec![],
            vec!["a", "b"],
        ),
        (
            "GET",
            "/iamport/subscribe/payments/schedule/s1",
            None,
            "",
            vec!["s1"],
            vec![],
        ),
        (
            "POST",
            "/iamport/subscribe/payments/unschedule",
            Some(r#"{"customer_uid":"c1","merchant_uid":["s1","s2"]}"#),
            "",
            vec!["s1", "s2"],
            vec!["c1"],
        ),
        (
            "POST",
            "/iamport/subscribe/payments/again",
            Some(r#"{"customer_uid":"c1","merchant_uid":"m1","amount":1,"name":"n"}"#),
            "",
            vec!["m1"],
            vec!["c1"],
        ),
    ];
    for (method, path, body, query, merchants, customers) in cases {
        let p = prep(method, path, body, query);
        assert_eq!(p.operation.merchant_uids, merchants, "{path}");
        assert_eq!(p.operation.customer_uids, customers, "{path}");
    }
}
