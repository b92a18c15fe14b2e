//! The builders and decoders through the JS surface, shared by every runtime.

use iamport_keyin::js;
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

/// 2026-11-28T14:20:42Z.
const NOW: f64 = 1_795_875_642.0;

fn parse(json: &str) -> JsValue {
    JSON::parse(json).expect("test JSON")
}

fn opts() -> Option<JsValue> {
    Some(parse(r#"{"now": 1795875642}"#))
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).expect("property read")
}

fn json(v: &JsValue) -> String {
    JSON::stringify(v)
        .expect("plain JSON")
        .as_string()
        .unwrap_or_default()
}

fn codes(r: &JsValue) -> Vec<String> {
    let errors = get(r, "errors");
    if errors.is_undefined() {
        return vec![];
    }
    Array::from(&errors)
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                get(&e, "field").as_string().unwrap_or_default(),
                get(&e, "code").as_string().unwrap_or_default()
            )
        })
        .collect()
}

#[wasm_bindgen_test]
fn onetime_payment_wire_form() {
    let input = parse(
        r#"{"merchant_uid":"order_1","amount":3000,"card_number":"4111 1111 1111 1111","expiry":"12/28","birth":"820213","pwd_2digit":"00","buyer_name":"홍길동"}"#,
    );
    let r = js::build_onetime_payment(input, opts());
    assert_eq!(get(&r, "ok").as_bool(), Some(true), "{}", json(&r));
    assert_eq!(
        json(&get(&r, "request")),
        r#"{"method":"POST","path":"/subscribe/payments/onetime","body":{"card_number":"4111-1111-1111-1111","expiry":"2028-12","birth":"820213","pwd_2digit":"00","merchant_uid":"order_1","amount":3000,"buyer_name":"홍길동"}}"#
    );
}

#[wasm_bindgen_test]
fn every_builder_answers_from_js() {
    let card =
        r#""card_number":"4111111111111111","expiry":"12/28","birth":"820213","pwd_2digit":"12""#;
    let cases: Vec<(&str, JsValue)> = vec![
        (
            "/subscribe/customers/c1",
            js::build_billing_key("c1".into(), parse(&format!("{{{card}}}")), opts()),
        ),
        (
            "/subscribe/customers/c1",
            js::build_get_billing_key("c1".into(), opts()),
        ),
        (
            "/subscribe/customers/c1",
            js::build_delete_billing_key("c1".into(), "moved".into(), opts()),
        ),
        (
            "/subscribe/customers",
            js::build_get_billing_keys(parse(r#"["a","b"]"#), opts()),
        ),
        (
            "/subscribe/payments/again",
            js::build_again_payment(
                parse(r#"{"customer_uid":"c1","merchant_uid":"m2","amount":1000,"name":"n"}"#),
                opts(),
            ),
        ),
        (
            "/subscribe/payments/schedule",
            js::build_schedule(
                parse(
                    r#"{"customer_uid":"c1","schedules":[{"merchant_uid":"s1","schedule_at":1800000000,"amount":1000}]}"#,
                ),
                opts(),
            ),
        ),
        (
            "/subscribe/payments/unschedule",
            js::build_unschedule(parse(r#"{"customer_uid":"c1"}"#), opts()),
        ),
        (
            "/subscribe/payments/schedule/s1",
            js::build_get_schedule("s1".into(), opts()),
        ),
        (
            "/subscribe/payments/schedule/customers/c1",
            js::build_get_schedules_by_customer(
                "c1".into(),
                parse(r#"{"from":1795875642,"to":1798000000}"#),
                opts(),
            ),
        ),
        (
            "/payments/find/m1",
            js::build_find_payment("m1".into(), JsValue::UNDEFINED, opts()),
        ),
    ];
    for (path, r) in cases {
        assert_eq!(get(&r, "ok").as_bool(), Some(true), "{path}: {}", json(&r));
        assert_eq!(
            get(&get(&r, "request"), "path").as_string().as_deref(),
            Some(path)
        );
    }
    let r = js::build_get_billing_keys(parse(r#"["a","b"]"#), opts());
    assert_eq!(
        json(&get(&get(&r, "request"), "query")),
        r#"{"customer_uid[]":["a","b"]}"#
    );
    let r = js::build_delete_billing_key("c1".into(), "moved".into(), opts());
    assert!(get(&get(&r, "request"), "body").is_null());
}

#[wasm_bindgen_test]
fn all_errors_at_once_with_paths() {
    let r = js::build_schedule(
        parse(
            r#"{"customer_uid":"a/b","schedules":[{"merchant_uid":"s1","schedule_at":1,"amount":1000},{"merchant_uid":"s1","schedule_at":1800000000,"amount":-5}],"extra":1}"#,
        ),
        opts(),
    );
    assert_eq!(get(&r, "ok").as_bool(), Some(false));
    assert_eq!(
        codes(&r),
        [
            "customer_uid:INVALID_UID",
            "schedules[0].schedule_at:SCHEDULE_NOT_IN_FUTURE",
            "schedules[1].merchant_uid:DUPLICATE_UID",
            "schedules[1].amount:INVALID_AMOUNT",
            "extra:UNKNOWN_FIELD"
        ]
    );
}

#[wasm_bindgen_test]
fn hostile_js_inputs_never_throw() {
    // A cycle, a getter that throws, a Proxy, symbols, bigints, functions, deep nesting.
    let cyclic = Object::new();
    Reflect::set(&cyclic, &"self".into(), &cyclic).expect("set");
    let throwing = js_sys::Function::new_no_args(
        "return Object.defineProperty({}, 'amount', { enumerable: true, get() { throw new Error('boom'); } })",
    )
    .call0(&JsValue::NULL)
    .expect("object with throwing getter");
    let proxy = js_sys::Function::new_no_args(
        "return new Proxy({}, { ownKeys() { throw new Error('trap'); } })",
    )
    .call0(&JsValue::NULL)
    .expect("proxy");
    let deep = js_sys::Function::new_no_args(
        "let o = {}; for (let i = 0; i < 10000; i++) o = { a: o }; return o;",
    )
    .call0(&JsValue::NULL)
    .expect("deep");
    let values = [
        cyclic.into(),
        throwing,
        proxy,
        deep,
        js_sys::Symbol::for_("x").into(),
        js_sys::BigInt::from(5u32).into(),
        js_sys::Function::new_no_args("").into(),
        JsValue::from_f64(f64::NAN),
        JsValue::NULL,
        JsValue::UNDEFINED,
    ];
    for v in values {
        for r in [
            js::build_onetime_payment(v.clone(), opts()),
            js::build_billing_key(v.clone(), v.clone(), Some(v.clone())),
            js::build_again_payment(v.clone(), Some(v.clone())),
            js::build_schedule(v.clone(), opts()),
            js::build_unschedule(v.clone(), opts()),
            js::build_get_billing_keys(v.clone(), opts()),
            js::build_get_schedules_by_customer(v.clone(), v.clone(), opts()),
            js::build_find_payment(v.clone(), v.clone(), opts()),
        ] {
            assert_eq!(get(&r, "ok").as_bool(), Some(false));
            assert!(!codes(&r).is_empty());
        }
        let o = js::decode_outcome(v.clone(), v.clone(), Some(v.clone()));
        assert_eq!(get(&o, "status").as_string().as_deref(), Some("unknown"));
    }
}

#[wasm_bindgen_test]
fn options_are_checked() {
    let input = parse(
        r#"{"merchant_uid":"m","amount":1000,"card_number":"4111111111111111","expiry":"11/26","birth":"820213","pwd_2digit":"12"}"#,
    );
    // `now` drives the expiry check: November 2026 is valid now, expired in December.
    let ok = js::build_onetime_payment(input.clone(), Some(parse(r#"{"now": 1795875642}"#)));
    assert_eq!(get(&ok, "ok").as_bool(), Some(true));
    let later = js::build_onetime_payment(input.clone(), Some(parse(r#"{"now": 1798761600}"#)));
    assert_eq!(codes(&later), ["expiry:EXPIRY_EXPIRED"]);
    for (bad, field) in [
        (r#"{"now": "soon"}"#, "options.now"),
        (r#"{"pgProfile": "nice"}"#, "options.pgProfile"),
        (r#"{"locale": "jp"}"#, "options.locale"),
        ("7", "options"),
    ] {
        let r = js::build_onetime_payment(input.clone(), Some(parse(bad)));
        assert_eq!(codes(&r), [format!("{field}:INVALID_OPTION")], "{bad}");
    }
    let en = js::build_onetime_payment(
        parse("{}"),
        Some(parse(r#"{"now": 1795875642, "locale": "en"}"#)),
    );
    let first = Array::from(&get(&en, "errors")).get(0);
    assert_eq!(
        get(&first, "message").as_string().as_deref(),
        Some("This field is required.")
    );
    let any = js::build_onetime_payment(
        parse(
            r#"{"merchant_uid":"m","amount":1000,"card_number":"4111111111111111","expiry":"12/28","vat_amount":100}"#,
        ),
        Some(parse(r#"{"now": 1795875642, "pgProfile": "any"}"#)),
    );
    assert_eq!(get(&any, "ok").as_bool(), Some(true), "{}", json(&any));
    let _ = NOW;
}

#[wasm_bindgen_test]
fn decode_outcome_from_js() {
    let paid = r#"{"code":0,"message":null,"response":{"merchant_uid":"m","amount":3000,"status":"paid","card_number":"411111******1111","future_field":1}}"#;
    let expect = Some(parse(r#"{"expectedAmount": 3000}"#));
    // Parsed JSON and raw text decode the same.
    for body in [parse(paid), JsValue::from_str(paid)] {
        let o = js::decode_outcome(JsValue::from_f64(200.0), body, expect.clone());
        assert_eq!(get(&o, "status").as_string().as_deref(), Some("paid"));
        assert_eq!(get(&o, "amountMismatch").as_bool(), Some(false));
        assert_eq!(get(&get(&o, "payment"), "future_field").as_f64(), Some(1.0));
    }
    let declined = js::decode_outcome(
        JsValue::from_f64(200.0),
        parse(r#"{"code":-1,"message":"카드정보 인증에 실패하였습니다.","response":null}"#),
        None,
    );
    assert_eq!(
        get(&declined, "status").as_string().as_deref(),
        Some("failed")
    );
    assert_eq!(
        get(&declined, "failReason").as_string().as_deref(),
        Some("카드정보 인증에 실패하였습니다.")
    );
    assert_eq!(get(&declined, "iamportCode").as_f64(), Some(-1.0));
    for (status, body, want) in [
        (500.0, "", "unknown"),
        (200.0, "<html>", "unknown"),
        (200.0, "", "unknown"),
        (
            404.0,
            r#"{"code":1,"message":"없음","response":null}"#,
            "rejected",
        ),
    ] {
        let o = js::decode_outcome(JsValue::from_f64(status), body.into(), None);
        assert_eq!(
            get(&o, "status").as_string().as_deref(),
            Some(want),
            "{status} {body}"
        );
    }
    let c = js::decode_customer(
        JsValue::from_f64(200.0),
        parse(
            r#"{"code":0,"message":null,"response":{"customer_uid":"c1","card_number":"4111111111111111"}}"#,
        ),
    );
    assert_eq!(
        get(&get(&c, "customer"), "card_number")
            .as_string()
            .as_deref(),
        Some("4111-11**-****-1111")
    );
    let s = js::decode_schedules(
        JsValue::from_f64(200.0),
        parse(r#"{"code":0,"message":null,"response":{"total":1,"list":[{"merchant_uid":"s1"}]}}"#),
    );
    assert_eq!(get(&get(&s, "page"), "total").as_f64(), Some(1.0));
    let e = js::decode_customers(JsValue::from_f64(500.0), JsValue::NULL);
    assert_eq!(get(&get(&e, "error"), "httpStatus").as_f64(), Some(500.0));
}

#[wasm_bindgen_test]
fn no_card_data_in_builder_errors() {
    let r = js::build_onetime_payment(
        parse(
            r#"{"merchant_uid":"m","amount":1000,"card_number":"4111-1111-1111-1112","expiry":"12/28","birth":"820231","pwd_2digit":"4x","4111111111111111":true}"#,
        ),
        opts(),
    );
    let text = json(&get(&r, "errors"));
    for secret in [
        "4111111111111112",
        "1111-1112",
        "820231",
        "4x",
        "4111111111111111",
    ] {
        assert!(!text.contains(secret), "{text}");
    }
}

/// `__build`, the builders' and decoders' one export, answers by name what each
/// function answers, with the same arguments in the same order, and `undefined` for a
/// name it does not have.
#[wasm_bindgen_test]
fn the_one_export_answers_as_each_builder() {
    let card = r#""card_number":"4111 1111 1111 1111","expiry":"12/28","birth":"820213","pwd_2digit":"00""#;
    let order = parse(&format!(r#"{{"merchant_uid":"o1","amount":3000,{card}}}"#));
    let again = parse(r#"{"customer_uid":"c1","merchant_uid":"o2","amount":1000,"name":"x"}"#);
    let sched = parse(
        r#"{"customer_uid":"c1","schedules":[{"merchant_uid":"s1","schedule_at":1798761600,"amount":1000}]}"#,
    );
    let o = opts().unwrap_or_default();
    let u = JsValue::UNDEFINED;
    let s = |t: &str| JsValue::from_str(t);
    let cases: Vec<(&str, [JsValue; 3], JsValue)> = vec![
        (
            "buildOnetimePayment",
            [order.clone(), o.clone(), u.clone()],
            js::build_onetime_payment(order.clone(), opts()),
        ),
        (
            "buildOnetimePayment",
            [s("x"), u.clone(), u.clone()],
            js::build_onetime_payment(s("x"), None),
        ),
        (
            "buildBillingKey",
            [s("c1"), parse(&format!("{{{card}}}")), o.clone()],
            js::build_billing_key(s("c1"), parse(&format!("{{{card}}}")), opts()),
        ),
        (
            "buildGetBillingKey",
            [s("c1"), o.clone(), u.clone()],
            js::build_get_billing_key(s("c1"), opts()),
        ),
        (
            "buildDeleteBillingKey",
            [s("c1"), s("moved"), o.clone()],
            js::build_delete_billing_key(s("c1"), s("moved"), opts()),
        ),
        (
            "buildGetBillingKeys",
            [parse(r#"["a","b"]"#), o.clone(), u.clone()],
            js::build_get_billing_keys(parse(r#"["a","b"]"#), opts()),
        ),
        (
            "buildAgainPayment",
            [again.clone(), o.clone(), u.clone()],
            js::build_again_payment(again.clone(), opts()),
        ),
        (
            "buildSchedule",
            [sched.clone(), o.clone(), u.clone()],
            js::build_schedule(sched.clone(), opts()),
        ),
        (
            "buildUnschedule",
            [parse(r#"{"customer_uid":"c1"}"#), o.clone(), u.clone()],
            js::build_unschedule(parse(r#"{"customer_uid":"c1"}"#), opts()),
        ),
        (
            "buildGetSchedule",
            [s("s1"), o.clone(), u.clone()],
            js::build_get_schedule(s("s1"), opts()),
        ),
        (
            "buildGetSchedulesByCustomer",
            [
                s("c1"),
                parse(r#"{"from":1798761600,"to":1801353600}"#),
                o.clone(),
            ],
            js::build_get_schedules_by_customer(
                s("c1"),
                parse(r#"{"from":1798761600,"to":1801353600}"#),
                opts(),
            ),
        ),
        (
            "buildFindPayment",
            [s("m1"), u.clone(), o.clone()],
            js::build_find_payment(s("m1"), u.clone(), opts()),
        ),
        (
            "buildGetPayment",
            [s("imp_1"), o.clone(), u.clone()],
            js::build_get_payment(s("imp_1"), opts()),
        ),
        (
            "decodeOutcome",
            [
                JsValue::from(200),
                parse(
                    r#"{"code":0,"response":{"status":"paid","amount":1000,"imp_uid":"i","merchant_uid":"m"}}"#,
                ),
                parse(r#"{"expectedAmount":1000}"#),
            ],
            js::decode_outcome(
                JsValue::from(200),
                parse(
                    r#"{"code":0,"response":{"status":"paid","amount":1000,"imp_uid":"i","merchant_uid":"m"}}"#,
                ),
                Some(parse(r#"{"expectedAmount":1000}"#)),
            ),
        ),
        (
            "decodeCustomer",
            [
                JsValue::from(200),
                parse(r#"{"code":0,"response":{"customer_uid":"c1"}}"#),
                u.clone(),
            ],
            js::decode_customer(
                JsValue::from(200),
                parse(r#"{"code":0,"response":{"customer_uid":"c1"}}"#),
            ),
        ),
        (
            "decodeCustomers",
            [
                JsValue::from(200),
                parse(r#"{"code":0,"response":[]}"#),
                u.clone(),
            ],
            js::decode_customers(JsValue::from(200), parse(r#"{"code":0,"response":[]}"#)),
        ),
        (
            "decodeSchedules",
            [JsValue::from(500), s("oops"), u.clone()],
            js::decode_schedules(JsValue::from(500), s("oops")),
        ),
    ];
    // `__build` takes a name's position in clients.js's BUILDERS, as the JS entry passes it.
    let builders = include_str!("../../pkg-template/clients.js")
        .split_once("const BUILDERS = [")
        .and_then(|(_, rest)| rest.split_once("];"))
        .expect("clients.js: const BUILDERS = [...];")
        .0;
    let number = |name: &str| {
        builders
            .split(',')
            .map(|n| n.trim().trim_matches('"'))
            .position(|n| n == name)
            .unwrap_or_else(|| panic!("{name} is not in BUILDERS")) as u32
    };
    let count = builders.split(',').filter(|n| !n.trim().is_empty()).count() as u32;
    for (name, [a, b, c], direct) in cases {
        let one = js::build(number(name), a, b, c);
        assert_eq!(json(&one), json(&direct), "{name}");
        assert!(!one.is_undefined(), "{name}");
    }
    // Past the list, and the server-only builders in this (browser) build: undefined.
    assert!(js::build(count, u.clone(), u.clone(), u.clone()).is_undefined());
    assert!(js::build(u32::MAX, u.clone(), u.clone(), u.clone()).is_undefined());
    #[cfg(not(feature = "proxy"))]
    for name in ["buildCancelPayment", "buildMonthlySchedules"] {
        assert!(
            js::build(number(name), u.clone(), u.clone(), u.clone()).is_undefined(),
            "{name}"
        );
    }
}
