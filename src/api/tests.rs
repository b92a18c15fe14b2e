//! Builder tests: fixture round trips (input → wire JSON == fixture), the seed
//! document's curl examples, and a table per rule.

use super::build::*;
use super::request::{BuildOptions, PgProfile};
use super::value::test_json::{fixtures, json};
use super::value::Value;
use crate::error::{ErrorCode, Locale};

/// 2026-11-28T14:20:42Z.
const NOW: i64 = 1_795_875_642;

fn opts() -> BuildOptions {
    BuildOptions::at(NOW)
}

fn run(op: &str, args: &[Value], o: &BuildOptions) -> Built {
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::Null);
    match op {
        "onetime" => build_onetime_payment(&arg(0), o),
        "billingKey" => build_billing_key(&arg(0), &arg(1), o),
        "getBillingKey" => build_get_billing_key(&arg(0), o),
        "deleteBillingKey" => build_delete_billing_key(&arg(0), &arg(1), o),
        "getBillingKeys" => build_get_billing_keys(&arg(0), o),
        "again" => build_again_payment(&arg(0), o),
        "schedule" => build_schedule(&arg(0), o),
        "unschedule" => build_unschedule(&arg(0), o),
        "getSchedule" => build_get_schedule(&arg(0), o),
        "getSchedulesByCustomer" => build_get_schedules_by_customer(&arg(0), &arg(1), o),
        "findPayment" => build_find_payment(&arg(0), &arg(1), o),
        "getPayment" => super::build_get_payment(&arg(0), o),
        "cancelPayment" => super::build_cancel_payment(&arg(0), o),
        other => panic!("unknown op {other}"),
    }
}

/// A builder result as `field:CODE` strings (none for a success); the plan tests use it too.
pub(super) fn codes<T>(r: &Result<T, Vec<crate::error::FieldError>>) -> Vec<String> {
    match r {
        Ok(_) => vec![],
        Err(errors) => errors
            .iter()
            .map(|e| format!("{}:{}", e.field, e.code))
            .collect(),
    }
}

fn wire(r: &Built) -> serde_json::Value {
    let request = r.as_ref().expect("built");
    // What the wasm builds hand to JS and send is the hand-written text: the same.
    crate::json::tests::assert_same(request);
    serde_json::to_value(request).expect("serialises")
}

#[test]
fn fixture_round_trips() {
    let mut ops = std::collections::BTreeSet::new();
    let mut count = 0;
    for f in fixtures(NOW) {
        let (fixture, op, args, o, name) = (&f.json, f.op.as_str(), &f.args, &f.opts, &f.name);
        let built = run(op, args, o);
        if let Some(expected) = fixture.get("request") {
            assert_eq!(codes(&built), Vec::<String>::new(), "{name}");
            assert_eq!(&wire(&built), expected, "{name}");
            ops.insert(op.to_owned());
        } else {
            let want: Vec<String> = fixture["error_fields"]
                .as_array()
                .expect("error_fields")
                .iter()
                .map(|v| v.as_str().unwrap_or("").to_owned())
                .collect();
            assert_eq!(codes(&built), want, "{name}");
        }
        count += 1;
    }
    assert!(count >= 14, "only {count} fixtures");
    // Every builder has at least one successful round trip.
    assert_eq!(ops.len(), super::operation::OPERATIONS.len(), "{ops:?}");
}

// ---- the seed document's curl examples ----

#[test]
fn seed_examples_as_written_are_rejected() {
    // §2 key-in: the card fails Luhn and there is no merchant_uid.
    let keyin = json(
        r#"{"card_number":"1234-1234-1234-1234", "expiry":"2025-12", "birth":"820213", "pwd_2digit":"00", "amount":3000}"#,
    );
    assert_eq!(
        codes(&build_onetime_payment(
            &keyin,
            &BuildOptions::at(1_735_689_600)
        )),
        [
            "card_number:CARD_NUMBER_UNKNOWN_BRAND",
            "merchant_uid:REQUIRED"
        ]
    );
    // The same number with a Visa-like prefix fails the check digit itself.
    let luhn = json(
        r#"{"card_number":"4234-1234-1234-1234", "expiry":"2025-12", "birth":"820213", "pwd_2digit":"00", "amount":3000, "merchant_uid":"m"}"#,
    );
    assert_eq!(
        codes(&build_onetime_payment(
            &luhn,
            &BuildOptions::at(1_735_689_600)
        )),
        ["card_number:CARD_NUMBER_LUHN"]
    );
    // §3.1 billing key only.
    let key = json(
        r#"{"card_number":"1234-1234-1234-1234", "expiry":"2025-12", "birth":"820213", "pwd_2digit":"00"}"#,
    );
    assert_eq!(
        codes(&build_billing_key(
            &"your-customer-unique-id".into(),
            &key,
            &BuildOptions::at(1_735_689_600)
        )),
        ["card_number:CARD_NUMBER_UNKNOWN_BRAND"]
    );
    // §3.2 first charge + billing key: no merchant_uid, no amount.
    let first = json(
        r#"{"customer_uid":"your-customer-unique-id", "card_number":"1234-1234-1234-1234", "expiry":"2025-12", "birth":"820213", "pwd_2digit":"00"}"#,
    );
    assert_eq!(
        codes(&build_onetime_payment(
            &first,
            &BuildOptions::at(1_735_689_600)
        )),
        [
            "card_number:CARD_NUMBER_UNKNOWN_BRAND",
            "merchant_uid:REQUIRED",
            "amount:REQUIRED"
        ]
    );
    // In 2026 the seed's 2025-12 expiry has passed as well.
    assert!(codes(&build_onetime_payment(&keyin, &opts()))
        .contains(&"expiry:EXPIRY_EXPIRED".to_owned()));
}

#[test]
fn seed_examples_fixed_give_the_seed_bodies() {
    // At 2025-01-01 (when 2025-12 was still valid), with a valid card and a merchant_uid.
    let at = BuildOptions::at(1_735_689_600);
    let keyin = json(
        r#"{"card_number":"4111-1111-1111-1111", "expiry":"2025-12", "birth":"820213", "pwd_2digit":"00", "amount":3000, "merchant_uid":"order_id_8237352"}"#,
    );
    let r = build_onetime_payment(&keyin, &at);
    assert_eq!(
        wire(&r)["body"],
        serde_json::json!({"card_number":"4111-1111-1111-1111", "expiry":"2025-12", "birth":"820213", "pwd_2digit":"00", "amount":3000, "merchant_uid":"order_id_8237352"})
    );
    let key = json(
        r#"{"card_number":"4111-1111-1111-1111", "expiry":"2025-12", "birth":"820213", "pwd_2digit":"00"}"#,
    );
    let r = build_billing_key(&"your-customer-unique-id".into(), &key, &at);
    assert_eq!(
        wire(&r)["path"],
        "/subscribe/customers/your-customer-unique-id"
    );
    assert_eq!(
        wire(&r)["body"],
        serde_json::json!({"card_number":"4111-1111-1111-1111", "expiry":"2025-12", "birth":"820213", "pwd_2digit":"00"})
    );
    let first = json(
        r#"{"customer_uid":"your-customer-unique-id", "card_number":"4111-1111-1111-1111", "expiry":"2025-12", "birth":"820213", "pwd_2digit":"00", "merchant_uid":"order_id_1", "amount":3000}"#,
    );
    let r = build_onetime_payment(&first, &at);
    assert_eq!(
        wire(&r)["body"],
        serde_json::json!({"customer_uid":"your-customer-unique-id", "card_number":"4111-1111-1111-1111", "expiry":"2025-12", "birth":"820213", "pwd_2digit":"00", "merchant_uid":"order_id_1", "amount":3000})
    );
    // §4: charge the stored key (the seed omits `name`, which `again` requires).
    let again = json(
        r#"{"customer_uid":"your-customer-unique-id", "merchant_uid":"order_id_8237352", "amount":3000}"#,
    );
    assert_eq!(codes(&build_again_payment(&again, &at)), ["name:REQUIRED"]);
    let again = json(
        r#"{"customer_uid":"your-customer-unique-id", "merchant_uid":"order_id_8237352", "amount":3000, "name":"정기결제"}"#,
    );
    assert_eq!(
        wire(&build_again_payment(&again, &at))["body"],
        serde_json::json!({"customer_uid":"your-customer-unique-id", "merchant_uid":"order_id_8237352", "amount":3000, "name":"정기결제"})
    );
}

// ---- rules ----

fn onetime(extra: &str) -> Built {
    let text = format!(
        r#"{{"merchant_uid":"m1", "amount":60000, "card_number":"4111111111111111", "expiry":"12/28", "birth":"820213", "pwd_2digit":"12"{extra}}}"#
    );
    build_onetime_payment(&json(&text), &opts())
}

#[test]
fn amount_rules() {
    let table: &[(&str, &[&str])] = &[
        (r#", "amount": 1"#, &[]),
        (r#", "amount": 9007199254740991"#, &[]),
        (r#", "amount": 0"#, &["amount:INVALID_AMOUNT"]),
        (r#", "amount": -100"#, &["amount:INVALID_AMOUNT"]),
        (r#", "amount": 1000.5"#, &["amount:INVALID_AMOUNT"]),
        (
            r#", "amount": 9007199254740992"#,
            &["amount:INVALID_AMOUNT"],
        ),
        (r#", "amount": "3000""#, &["amount:INVALID_TYPE"]),
        (r#", "amount": null"#, &["amount:REQUIRED"]),
        (r#", "tax_free": 60000"#, &[]),
        (r#", "tax_free": 0"#, &[]),
        (
            r#", "tax_free": 60001"#,
            &["tax_free:TAX_FREE_EXCEEDS_AMOUNT"],
        ),
        (r#", "tax_free": -1"#, &["tax_free:INVALID_INTEGER"]),
        (r#", "card_quota": 0"#, &[]),
        (r#", "card_quota": 2"#, &[]),
        (r#", "card_quota": 36"#, &[]),
        (r#", "card_quota": 1"#, &["card_quota:CARD_QUOTA_INVALID"]),
        (r#", "card_quota": 37"#, &["card_quota:CARD_QUOTA_INVALID"]),
        (r#", "card_quota": 2.5"#, &["card_quota:INVALID_INTEGER"]),
        (
            r#", "amount": 49999, "card_quota": 2"#,
            &["card_quota:CARD_QUOTA_MIN_AMOUNT"],
        ),
        (r#", "amount": 49999, "card_quota": 0"#, &[]),
    ];
    for &(extra, want) in table {
        // Later duplicate keys are caught; these tests replace amount by writing it once.
        let text = if extra.contains("\"amount\"") {
            format!(
                r#"{{"merchant_uid":"m1", "card_number":"4111111111111111", "expiry":"12/28", "birth":"820213", "pwd_2digit":"12"{extra}}}"#
            )
        } else {
            format!(
                r#"{{"merchant_uid":"m1", "amount":60000, "card_number":"4111111111111111", "expiry":"12/28", "birth":"820213", "pwd_2digit":"12"{extra}}}"#
            )
        };
        assert_eq!(
            codes(&build_onetime_payment(&json(&text), &opts())),
            want,
            "{extra}"
        );
    }
    // Numbers JSON cannot even spell (1e309 parses to infinity in JS), and NaN.
    for n in [f64::INFINITY, f64::NEG_INFINITY, f64::NAN, -0.0] {
        let input = Value::object([
            ("merchant_uid", Value::from("m1")),
            ("amount", Value::Number(n)),
            ("card_number", Value::from("4111111111111111")),
            ("expiry", Value::from("12/28")),
            ("birth", Value::from("820213")),
            ("pwd_2digit", Value::from("12")),
        ]);
        assert_eq!(
            codes(&build_onetime_payment(&input, &opts())),
            ["amount:INVALID_AMOUNT"],
            "{n}"
        );
    }
}

#[test]
fn lengths_count_characters() {
    let name40 = "가".repeat(40);
    assert_eq!(
        codes(&onetime(&format!(r#", "name": "{name40}""#))),
        Vec::<String>::new()
    );
    assert_eq!(
        codes(&onetime(&format!(r#", "name": "{name40}x""#))),
        ["name:TOO_LONG"]
    );
    let table: &[(&str, usize)] = &[
        ("buyer_name", 16),
        ("buyer_email", 64),
        ("buyer_tel", 16),
        ("buyer_addr", 128),
        ("buyer_postcode", 8),
        ("pg", 80),
    ];
    for &(field, max) in table {
        let long = "k".repeat(max + 1);
        let value = if field == "pg" {
            format!("kcp.{long}")
        } else {
            long
        };
        let r = onetime(&format!(r#", "{field}": "{value}""#));
        assert_eq!(codes(&r), [format!("{field}:TOO_LONG")], "{field}");
        let err = &r.as_ref().unwrap_err()[0];
        assert!(err.message.contains(&max.to_string()), "{}", err.message);
    }
    let uid41 = "m".repeat(41);
    let r = build_onetime_payment(
        &json(&format!(
            r#"{{"merchant_uid":"{uid41}", "amount":1000, "card_number":"4111111111111111", "expiry":"12/28", "birth":"820213", "pwd_2digit":"12"}}"#
        )),
        &opts(),
    );
    assert_eq!(codes(&r), ["merchant_uid:TOO_LONG"]);
}

#[test]
fn kcp_profile_rules() {
    for (extra, code) in [
        (r#", "vat_amount": 100"#, "vat_amount:UNSUPPORTED_BY_PG"),
        (
            r#", "interest_free_by_merchant": true"#,
            "interest_free_by_merchant:UNSUPPORTED_BY_PG",
        ),
        (
            r#", "use_card_point": false"#,
            "use_card_point:UNSUPPORTED_BY_PG",
        ),
        (r#", "pg": "nice""#, "pg:INVALID_PG"),
        (r#", "pg": "kcp.""#, "pg:INVALID_PG"),
        (r#", "pg": "KCP""#, "pg:INVALID_PG"),
    ] {
        assert_eq!(codes(&onetime(extra)), [code], "{extra}");
    }
    assert_eq!(codes(&onetime(r#", "pg": "kcp""#)), Vec::<String>::new());
    let mut any = opts();
    any.pg_profile = PgProfile::Any;
    let input = json(
        r#"{"merchant_uid":"m1", "amount":1000, "card_number":"4111111111111111", "expiry":"12/28", "vat_amount": 1001}"#,
    );
    assert_eq!(
        codes(&build_onetime_payment(&input, &any)),
        ["vat_amount:TAX_FREE_EXCEEDS_AMOUNT"]
    );
}

#[test]
fn card_rules_in_builders() {
    // Corporate card: no PIN needed.
    let corp = json(
        r#"{"merchant_uid":"m1", "amount":1000, "card_number":"4111111111111111", "expiry":"12/28", "birth":"1168200276"}"#,
    );
    assert!(build_onetime_payment(&corp, &opts()).is_ok());
    let personal = json(
        r#"{"merchant_uid":"m1", "amount":1000, "card_number":"4111111111111111", "expiry":"12/28", "birth":"820213"}"#,
    );
    assert_eq!(
        codes(&build_onetime_payment(&personal, &opts())),
        ["pwd_2digit:REQUIRED"]
    );
    let no_birth = json(
        r#"{"merchant_uid":"m1", "amount":1000, "card_number":"4111111111111111", "expiry":"12/28", "pwd_2digit":"12"}"#,
    );
    assert_eq!(
        codes(&build_onetime_payment(&no_birth, &opts())),
        ["birth:REQUIRED"]
    );
    let expired = json(
        r#"{"merchant_uid":"m1", "amount":1000, "card_number":"4111111111111111", "expiry":"10/26", "birth":"820213", "pwd_2digit":"12"}"#,
    );
    assert_eq!(
        codes(&build_onetime_payment(&expired, &opts())),
        ["expiry:EXPIRY_EXPIRED"]
    );
    // `now` decides: a month later, 11/26 has expired too.
    let nov = json(
        r#"{"merchant_uid":"m1", "amount":1000, "card_number":"4111111111111111", "expiry":"11/26", "birth":"820213", "pwd_2digit":"12"}"#,
    );
    assert!(build_onetime_payment(&nov, &opts()).is_ok());
    assert_eq!(
        codes(&build_onetime_payment(
            &nov,
            &BuildOptions::at(NOW + 31 * 86_400)
        )),
        ["expiry:EXPIRY_EXPIRED"]
    );
    let wrong_types = json(
        r#"{"merchant_uid":7, "amount":1000, "card_number":4111111111111111, "expiry":["12/28"], "birth":820213, "pwd_2digit":12}"#,
    );
    assert_eq!(
        codes(&build_onetime_payment(&wrong_types, &opts())),
        [
            "card_number:INVALID_TYPE",
            "expiry:INVALID_TYPE",
            "birth:INVALID_TYPE",
            "pwd_2digit:INVALID_TYPE",
            "merchant_uid:INVALID_TYPE"
        ]
    );
}

#[test]
fn unknown_and_duplicate_fields() {
    assert_eq!(
        codes(&onetime(r#", "amout": 100"#)),
        ["amout:UNKNOWN_FIELD"]
    );
    assert_eq!(
        codes(&onetime(r#", "4111111111111111": 1"#)),
        ["(unprintable key):UNKNOWN_FIELD"]
    );
    assert_eq!(
        codes(&onetime(r#", "__proto__": {}"#)),
        ["__proto__:UNKNOWN_FIELD"]
    );
    let dup = Value::object([
        ("merchant_uid", Value::from("m1")),
        ("amount", Value::from(1000_i64)),
        ("amount", Value::from(1_i64)),
        ("card_number", Value::from("4111111111111111")),
        ("expiry", Value::from("12/28")),
        ("birth", Value::from("820213")),
        ("pwd_2digit", Value::from("12")),
    ]);
    assert_eq!(
        codes(&build_onetime_payment(&dup, &opts())),
        ["amount:DUPLICATE_FIELD"]
    );
    for not_object in [
        Value::Null,
        Value::from("x"),
        Value::Array(vec![]),
        Value::Unsupported,
    ] {
        assert_eq!(
            codes(&build_onetime_payment(&not_object, &opts())),
            ["input:INVALID_TYPE"]
        );
    }
    // customer_uid goes in the path for billing keys; in the body it is unknown.
    let r = build_billing_key(
        &"c1".into(),
        &json(
            r#"{"customer_uid":"c1", "card_number":"4111111111111111", "expiry":"12/28", "birth":"820213", "pwd_2digit":"12"}"#,
        ),
        &opts(),
    );
    assert_eq!(codes(&r), ["customer_uid:UNKNOWN_FIELD"]);
}

#[test]
fn hostile_uids_never_reach_a_path() {
    let hostile = [
        "../payments/cancel",
        "%2e%2e%2f",
        "a/b",
        "?x=1",
        "#",
        "a\u{0}b",
        "..",
        "a\\b",
        "\r\nX-Injected: 1",
    ];
    for uid in hostile {
        let v = Value::from(uid);
        for r in [
            build_get_billing_key(&v, &opts()),
            build_delete_billing_key(&v, &Value::Null, &opts()),
            build_get_schedule(&v, &opts()),
            build_find_payment(&v, &Value::Null, &opts()),
            build_billing_key(
                &v,
                &json(
                    r#"{"card_number":"4111111111111111", "expiry":"12/28", "birth":"820213", "pwd_2digit":"12"}"#,
                ),
                &opts(),
            ),
        ] {
            let c = codes(&r);
            assert_eq!(c.len(), 1, "{uid:?}: {c:?}");
            assert!(c[0].ends_with(":INVALID_UID"), "{uid:?}: {c:?}");
        }
    }
    let big = Value::from("a".repeat(10_240));
    assert_eq!(
        codes(&build_get_billing_key(&big, &opts())),
        ["customer_uid:TOO_LONG"]
    );
    assert_eq!(
        codes(&build_get_billing_key(&Value::from(""), &opts())),
        ["customer_uid:REQUIRED"]
    );
    assert_eq!(
        codes(&build_get_billing_key(&Value::Null, &opts())),
        ["customer_uid:REQUIRED"]
    );
    assert_eq!(
        codes(&build_get_billing_key(&Value::from(5_i64), &opts())),
        ["customer_uid:INVALID_TYPE"]
    );
    // Anything else is percent-encoded: the path stays one segment.
    let r = build_get_billing_key(&Value::from("고객+1&x=y;z"), &opts()).unwrap();
    assert_eq!(
        r.path,
        "/subscribe/customers/%EA%B3%A0%EA%B0%9D%2B1%26x%3Dy%3Bz"
    );
}

#[test]
fn schedule_rules() {
    let mk = |schedules: &str| {
        json(&format!(
            r#"{{"customer_uid":"c1", "schedules": {schedules}}}"#
        ))
    };
    let table: &[(&str, &[&str])] = &[
        ("[]", &["schedules:EMPTY_LIST"]),
        ("{}", &["schedules:INVALID_TYPE"]),
        (
            r#"[{"merchant_uid":"s1", "schedule_at": 1795875642, "amount": 1000}]"#,
            &["schedules[0].schedule_at:SCHEDULE_NOT_IN_FUTURE"],
        ),
        (
            r#"[{"merchant_uid":"s1", "schedule_at": 1795875643, "amount": 1000}]"#,
            &[],
        ),
        (
            r#"[{"merchant_uid":"s1", "schedule_at": 1800000000, "amount": 1000}, {"merchant_uid":"s1", "schedule_at": 1800000001, "amount": 0}]"#,
            &[
                "schedules[1].merchant_uid:DUPLICATE_UID",
                "schedules[1].amount:INVALID_AMOUNT",
            ],
        ),
        (
            r#"[{"merchant_uid":"s1", "schedule_at": 1800000000, "amount": 1000, "currency": "USD"}]"#,
            &["schedules[0].currency:INVALID_VALUE"],
        ),
        (
            r#"[{"merchant_uid":"s1", "schedule_at": 1800000000, "amount": 1000, "extra": 1}]"#,
            &["schedules[0].extra:UNKNOWN_FIELD"],
        ),
        (
            r#"[{"merchant_uid":"s1", "schedule_at": "tomorrow", "amount": 1000}]"#,
            &["schedules[0].schedule_at:INVALID_TYPE"],
        ),
        (r#"[5]"#, &["schedules[0]:INVALID_TYPE"]),
        // A duplicate of an invalid entry is still a duplicate.
        (
            r#"[{"merchant_uid":"s1", "schedule_at": 1, "amount": 1000}, {"merchant_uid":"s1", "schedule_at": 1800000000, "amount": 1000}]"#,
            &[
                "schedules[0].schedule_at:SCHEDULE_NOT_IN_FUTURE",
                "schedules[1].merchant_uid:DUPLICATE_UID",
            ],
        ),
    ];
    for &(schedules, want) in table {
        assert_eq!(
            codes(&build_schedule(&mk(schedules), &opts())),
            want,
            "{schedules}"
        );
    }
    assert_eq!(
        codes(&build_schedule(&json(r#"{"customer_uid":"c1"}"#), &opts())),
        ["schedules:REQUIRED"]
    );
    // A partial card is checked whole.
    let partial = json(
        r#"{"customer_uid":"c1", "card_number":"4111111111111111", "schedules":[{"merchant_uid":"s1", "schedule_at": 1800000000, "amount": 1000}]}"#,
    );
    assert_eq!(
        codes(&build_schedule(&partial, &opts())),
        ["expiry:REQUIRED", "birth:REQUIRED", "pwd_2digit:REQUIRED"]
    );
}

#[test]
fn unschedule_rules() {
    let r = build_unschedule(&json(r#"{"merchant_uid": ["a", "b"]}"#), &opts());
    assert_eq!(
        wire(&r)["body"],
        serde_json::json!({"merchant_uid": ["a", "b"]})
    );
    let r = build_unschedule(&json(r#"{"customer_uid": "c1"}"#), &opts());
    assert_eq!(wire(&r)["body"], serde_json::json!({"customer_uid": "c1"}));
    assert_eq!(
        codes(&build_unschedule(&json("{}"), &opts())),
        ["customer_uid:TARGET_REQUIRED"]
    );
    assert_eq!(
        codes(&build_unschedule(&json(r#"{"merchant_uid": []}"#), &opts())),
        ["merchant_uid:EMPTY_LIST"]
    );
    assert_eq!(
        codes(&build_unschedule(
            &json(r#"{"merchant_uid": ["a", "a/b", "a"]}"#),
            &opts()
        )),
        [
            "merchant_uid[1]:INVALID_UID",
            "merchant_uid[2]:DUPLICATE_UID"
        ]
    );
}

#[test]
fn look_up_rules() {
    let p = |t: &str| json(t);
    let c = Value::from("c1");
    assert_eq!(
        codes(&build_get_schedules_by_customer(
            &c,
            &p(r#"{"from": 10, "to": 10}"#),
            &opts()
        )),
        ["params.to:INVALID_RANGE"]
    );
    assert_eq!(
        codes(&build_get_schedules_by_customer(
            &c,
            &p(r#"{"from": 0, "to": 7948801}"#),
            &opts()
        )),
        ["params.to:RANGE_TOO_LONG"]
    );
    assert_eq!(
        codes(&build_get_schedules_by_customer(
            &c,
            &p(r#"{"from": 0, "to": 7948800}"#),
            &opts()
        )),
        Vec::<String>::new()
    );
    assert_eq!(
        codes(&build_get_schedules_by_customer(
            &c,
            &p(r#"{"to": 5, "status": "done", "page": 0}"#),
            &opts()
        )),
        [
            "params.from:REQUIRED",
            "params.status:INVALID_VALUE",
            "params.page:INVALID_INTEGER"
        ]
    );
    assert_eq!(
        codes(&build_get_schedules_by_customer(&c, &Value::Null, &opts())),
        ["params:INVALID_TYPE"]
    );
    assert_eq!(
        codes(&build_find_payment(
            &"m".into(),
            &"refunded".into(),
            &opts()
        )),
        ["status:INVALID_VALUE"]
    );
    assert_eq!(
        build_find_payment(&"m".into(), &Value::Null, &opts())
            .unwrap()
            .path,
        "/payments/find/m"
    );
    assert_eq!(
        codes(&build_get_billing_keys(&json("[]"), &opts())),
        ["customer_uid:EMPTY_LIST"]
    );
    assert_eq!(
        codes(&build_get_billing_keys(&json(r#"["a", "a"]"#), &opts())),
        ["customer_uid[1]:DUPLICATE_UID"]
    );
    let many = Value::Array((0..101).map(|i| Value::from(format!("c{i}"))).collect());
    assert_eq!(
        codes(&build_get_billing_keys(&many, &opts())),
        ["customer_uid:TOO_LONG"]
    );
    let r = build_get_billing_keys(&json(r#"["a&b", "c"]"#), &opts()).unwrap();
    assert_eq!(
        r.path_and_query(),
        "/subscribe/customers?customer_uid%5B%5D=a%26b&customer_uid%5B%5D=c"
    );
    assert_eq!(
        codes(&build_delete_billing_key(&c, &Value::from(3_i64), &opts())),
        ["reason:INVALID_TYPE"]
    );
}

#[test]
fn other_field_formats() {
    assert_eq!(
        codes(&onetime(r#", "notice_url": "ftp://x""#)),
        ["notice_url:INVALID_URL"]
    );
    assert_eq!(
        codes(&onetime(r#", "notice_url": "https://""#)),
        ["notice_url:INVALID_URL"]
    );
    assert_eq!(
        codes(&onetime(r#", "browser_ip": "::1""#)),
        Vec::<String>::new()
    );
    assert_eq!(
        codes(&onetime(r#", "browser_ip": "999.1.1.1""#)),
        ["browser_ip:INVALID_IP"]
    );
    assert_eq!(
        codes(&onetime(r#", "product_type": "physical""#)),
        ["product_type:INVALID_VALUE"]
    );
    assert_eq!(
        codes(&onetime(r#", "name": "", "buyer_name": null"#)),
        Vec::<String>::new(),
        "empty optional strings are absent"
    );
}

#[test]
fn every_error_at_once_and_localised() {
    let input =
        json(r#"{"amount": -1, "card_number": "x", "expiry": "13/28", "name": 5, "bogus": true}"#);
    let mut o = opts();
    o.locale = Locale::En;
    let r = build_onetime_payment(&input, &o);
    assert_eq!(
        codes(&r),
        [
            "card_number:CARD_NUMBER_INVALID_CHARACTER",
            "expiry:EXPIRY_INVALID_MONTH",
            "birth:REQUIRED",
            "pwd_2digit:REQUIRED",
            "merchant_uid:REQUIRED",
            "amount:INVALID_AMOUNT",
            "name:INVALID_TYPE",
            "bogus:UNKNOWN_FIELD",
        ]
    );
    let errors = r.unwrap_err();
    assert_eq!(errors[4].message, ErrorCode::Required.message(Locale::En));
}

#[test]
fn no_card_data_in_errors_or_debug() {
    let input = json(
        r#"{"merchant_uid":"m1", "amount":1000, "card_number":"4111-1111-1111-1112", "expiry":"12/28", "birth":"820231", "pwd_2digit":"1x"}"#,
    );
    let text = format!("{:?}", build_onetime_payment(&input, &opts()));
    for secret in ["4111111111111112", "1111-1112", "820231", "1x"] {
        assert!(!text.contains(secret), "{text}");
    }
    let ok = build_onetime_payment(
        &json(
            r#"{"merchant_uid":"m1", "amount":1000, "card_number":"4111-1111-1111-1111", "expiry":"12/28", "birth":"820213", "pwd_2digit":"47"}"#,
        ),
        &opts(),
    );
    let dbg = format!("{ok:?}");
    for secret in ["4111-1111-1111-1111", "820213", "\"47\""] {
        assert!(!dbg.contains(secret), "{dbg}");
    }
}

#[test]
fn look_alike_uids_are_refused() {
    // Invisible and bidirectional formatting characters (Unicode Cf): a uid with one
    // can pass for another ("\u{202e}nimda" shows as "admin").
    for uid in [
        "\u{202e}nimda",
        "ad\u{200b}min",
        "\u{feff}cust_1",
        "cust\u{2066}_1",
        "cust\u{00ad}1",
        "m\u{e0041}1",
    ] {
        let r = build_get_billing_key(&Value::String(uid.into()), &opts());
        assert_eq!(codes(&r), ["customer_uid:INVALID_UID"], "{uid:?}");
        let r = build_find_payment(&Value::String(uid.into()), &Value::Null, &opts());
        assert_eq!(codes(&r), ["merchant_uid:INVALID_UID"], "{uid:?}");
    }
    // Letters of any script stay allowed (Korean order ids are common).
    for uid in ["주문_1", "cust-é", "ордер1"] {
        assert!(
            build_get_billing_key(&Value::String(uid.into()), &opts()).is_ok(),
            "{uid}"
        );
    }
}

#[test]
fn lists_are_capped_before_any_entry_is_read() {
    let many = |n: usize, f: &dyn Fn(usize) -> String| (0..n).map(f).collect::<Vec<_>>().join(",");
    let body = json(&format!(
        r#"{{"customer_uid":"c1","schedules":[{}]}}"#,
        many(LIST_MAX + 1, &|i| format!(
            r#"{{"merchant_uid":"s{i}","schedule_at":1,"amount":-1}}"#
        ))
    ));
    assert_eq!(
        codes(&build_schedule(&body, &opts())),
        ["schedules:TOO_LONG"]
    );
    let body = json(&format!(
        r#"{{"merchant_uid":[{}]}}"#,
        many(LIST_MAX + 1, &|i| format!(r#""m{i}""#))
    ));
    assert_eq!(
        codes(&build_unschedule(&body, &opts())),
        ["merchant_uid:TOO_LONG"]
    );
    let body = json(&format!(
        r#"{{"merchant_uid":[{}]}}"#,
        many(LIST_MAX, &|i| format!(r#""m{i}""#))
    ));
    assert!(build_unschedule(&body, &opts()).is_ok());
}

#[test]
fn schedule_at_in_milliseconds_is_refused() {
    let at = |schedule_at: i64| {
        json(&format!(
            r#"{{"customer_uid":"c1", "schedules": [{{"merchant_uid":"s1", "schedule_at": {schedule_at}, "amount": 1000}}]}}"#
        ))
    };
    let day = 86_400;
    // `Date.now()` where UNIX seconds belong: around the year 58,900.
    assert_eq!(
        codes(&build_schedule(&at(NOW * 1_000 + 123), &opts())),
        ["schedules[0].schedule_at:SCHEDULE_TOO_FAR"]
    );
    assert_eq!(SCHEDULE_AT_MAX_AHEAD, 5 * 366 * day);
    assert_eq!(
        codes(&build_schedule(
            &at(NOW + SCHEDULE_AT_MAX_AHEAD - day),
            &opts()
        )),
        Vec::<String>::new()
    );
    // The boundary: exactly 5 years ahead is taken, a second more is not.
    assert_eq!(
        codes(&build_schedule(&at(NOW + SCHEDULE_AT_MAX_AHEAD), &opts())),
        Vec::<String>::new()
    );
    assert_eq!(
        codes(&build_schedule(
            &at(NOW + SCHEDULE_AT_MAX_AHEAD + 1),
            &opts()
        )),
        ["schedules[0].schedule_at:SCHEDULE_TOO_FAR"]
    );
    // The message says what to do, in both languages.
    let en = BuildOptions {
        locale: Locale::En,
        ..opts()
    };
    let errors = build_schedule(&at(NOW * 1_000), &en)
        .err()
        .unwrap_or_default();
    assert_eq!(
        errors.first().map(|e| e.message.as_str()),
        Some("schedule_at is more than 5 years ahead: it must be UNIX seconds, not milliseconds (Date.now() / 1000).")
    );
    let ko = ErrorCode::ScheduleTooFar.message(Locale::Ko);
    assert!(ko.contains("UNIX") && ko.contains("밀리초"), "{ko}");
    // A clock at the end of time does not overflow.
    let late = BuildOptions::at(i64::MAX - 1);
    assert_eq!(
        codes(&build_schedule(&at(NOW), &late)),
        ["schedules[0].schedule_at:SCHEDULE_NOT_IN_FUTURE"]
    );
}

// ---- refunds ----

fn cancel(input: &str) -> Vec<String> {
    codes(&super::build_cancel_payment(&json(input), &opts()))
}

#[test]
fn a_refund_names_a_payment_and_gives_a_reason() {
    assert_eq!(
        cancel(r#"{"amount":1000,"checksum":5000}"#),
        ["imp_uid:PAYMENT_ID_REQUIRED", "reason:REQUIRED"]
    );
    assert_eq!(
        cancel(r#"{"imp_uid":"imp_1","reason":""}"#),
        ["reason:REQUIRED"]
    );
    let long = format!(r#"{{"imp_uid":"imp_1","reason":"{}"}}"#, "가".repeat(201));
    assert_eq!(cancel(&long), ["reason:TOO_LONG"]);
    assert_eq!(
        cancel(r#"{"imp_uid":"imp/1","reason":"r"}"#),
        ["imp_uid:INVALID_UID"]
    );
    // Both ids: both are sent; Iamport uses imp_uid.
    let both = super::build_cancel_payment(
        &json(r#"{"imp_uid":"imp_1","merchant_uid":"m1","reason":"r"}"#),
        &opts(),
    );
    assert_eq!(
        wire(&both)["body"],
        serde_json::json!({"imp_uid":"imp_1","merchant_uid":"m1","reason":"r"})
    );
}

#[test]
fn a_partial_refund_needs_the_balance_and_stays_within_it() {
    assert_eq!(
        cancel(r#"{"imp_uid":"imp_1","amount":1000,"reason":"r"}"#),
        ["checksum:CHECKSUM_REQUIRED"]
    );
    assert_eq!(
        cancel(r#"{"imp_uid":"imp_1","amount":6000,"checksum":5000,"reason":"r"}"#),
        ["amount:REFUND_EXCEEDS_BALANCE"]
    );
    assert!(cancel(r#"{"imp_uid":"imp_1","amount":5000,"checksum":5000,"reason":"r"}"#).is_empty());
    // 0 would be a full refund at Iamport: refused, so a computed "nothing" never refunds everything.
    assert_eq!(
        cancel(r#"{"imp_uid":"imp_1","amount":0,"checksum":5000,"reason":"r"}"#),
        ["amount:INVALID_AMOUNT"]
    );
    assert_eq!(
        cancel(r#"{"imp_uid":"imp_1","amount":"1000","checksum":5000,"reason":"r"}"#),
        ["amount:INVALID_TYPE"]
    );
    // A full refund may carry the balance as a check.
    assert!(cancel(r#"{"imp_uid":"imp_1","checksum":5000,"reason":"r"}"#).is_empty());
}

#[test]
fn a_refunds_tax_free_part_is_within_it_and_vat_is_not_for_kcp() {
    assert_eq!(
        cancel(r#"{"imp_uid":"imp_1","amount":1000,"checksum":5000,"tax_free":1001,"reason":"r"}"#),
        ["tax_free:TAX_FREE_EXCEEDS_AMOUNT"]
    );
    assert_eq!(
        cancel(r#"{"imp_uid":"imp_1","checksum":5000,"tax_free":5001,"reason":"r"}"#),
        ["tax_free:TAX_FREE_EXCEEDS_AMOUNT"]
    );
    assert_eq!(
        cancel(r#"{"imp_uid":"imp_1","vat_amount":10,"reason":"r"}"#),
        ["vat_amount:UNSUPPORTED_BY_PG"]
    );
    let mut any = opts();
    any.pg_profile = PgProfile::Any;
    assert!(super::build_cancel_payment(
        &json(r#"{"imp_uid":"imp_1","amount":100,"checksum":100,"vat_amount":10,"reason":"r"}"#),
        &any
    )
    .is_ok());
    assert_eq!(
        cancel(r#"{"imp_uid":"imp_1","refund_account":"123","reason":"r"}"#),
        ["refund_account:UNKNOWN_FIELD"]
    );
}

#[test]
fn get_payment_takes_one_safe_id() {
    let ok = super::build_get_payment(&Value::String("imp_1".into()), &opts());
    assert_eq!(wire(&ok)["path"], "/payments/imp_1");
    for bad in [
        Value::Null,
        Value::Number(1.0),
        Value::String("../x".into()),
    ] {
        assert!(super::build_get_payment(&bad, &opts()).is_err());
    }
}
