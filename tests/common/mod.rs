//! One test body for every JS runtime: `tests/node.rs` runs it under Node and
//! `tests/browser.rs` in headless Chromium and Firefox. It calls the real
//! `#[wasm_bindgen]` exports with JS values, as JS code would.

mod api;
mod client;

use iamport_keyin::js;
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).expect("property read")
}

fn string(v: &JsValue, key: &str) -> Option<String> {
    get(v, key).as_string()
}

fn boolean(v: &JsValue, key: &str) -> bool {
    get(v, key).as_bool().expect("a boolean")
}

fn error_code(v: &JsValue) -> Option<String> {
    let e = get(v, "error");
    if e.is_null() {
        None
    } else {
        string(&e, "code")
    }
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).expect("property write");
    }
    o.into()
}

fn today(date: &str) -> Option<JsValue> {
    Some(obj(&[("today", date.into())]))
}

fn json(v: &JsValue) -> String {
    JSON::stringify(v)
        .expect("plain JSON")
        .as_string()
        .unwrap_or_default()
}

/// Every kind of non-string JS value the checks must refuse without throwing.
fn hostile_values() -> Vec<JsValue> {
    vec![
        JsValue::NULL,
        JsValue::UNDEFINED,
        JsValue::from_f64(4111111111111111.0),
        JsValue::from_f64(f64::NAN),
        JsValue::TRUE,
        Object::new().into(),
        Array::of1(&"4111111111111111".into()).into(),
        js_sys::Symbol::for_("card").into(),
        js_sys::BigInt::from(4111111111111111u64).into(),
        js_sys::Function::new_no_args("return 1").into(),
    ]
}

#[wasm_bindgen_test]
fn card_number_valid_result_shape() {
    let r = js::check_card_number("4111 1111 1111 1111".into(), None);
    assert!(boolean(&r, "isValid"));
    assert!(boolean(&r, "isPotentiallyValid"));
    assert!(get(&r, "error").is_null());
    assert_eq!(string(&r, "digits").as_deref(), Some("4111111111111111"));
    assert_eq!(
        string(&r, "formatted").as_deref(),
        Some("4111-1111-1111-1111")
    );
    assert_eq!(string(&r, "masked").as_deref(), Some("4111-11**-****-1111"));
    assert_eq!(string(&r, "brand").as_deref(), Some("visa"));
    let brands = Array::from(&get(&r, "possibleBrands"));
    assert_eq!(brands.length(), 1);
    // A plain JSON-compatible object (no Map, no undefined holes).
    assert!(json(&r).contains("\"possibleBrands\":[\"visa\"]"));
}

#[wasm_bindgen_test]
fn card_number_brands_and_partials() {
    let cases: &[(&str, Option<&str>, u32)] = &[
        ("6011111111111117", Some("discover"), 1),
        ("2230000000000008", None, 1),
        ("9410123412341234", None, 1),
        ("3", None, 3),
        ("", None, 8),
    ];
    for &(input, brand, possible) in cases {
        let r = js::check_card_number(input.into(), None);
        if let Some(b) = brand {
            assert_eq!(string(&r, "brand").as_deref(), Some(b), "{input}");
        }
        assert_eq!(
            Array::from(&get(&r, "possibleBrands")).length(),
            possible,
            "{input}"
        );
    }
    let r = js::check_card_number("2230000000000008".into(), None);
    assert_eq!(string(&r, "brand").as_deref(), Some("mastercard"));
    let r = js::check_card_number("4111 11".into(), None);
    assert!(!boolean(&r, "isValid") && boolean(&r, "isPotentiallyValid"));
    let r = js::check_card_number("4111-1111-1111-111x".into(), None);
    assert!(!boolean(&r, "isPotentiallyValid"));
    assert_eq!(
        error_code(&r).as_deref(),
        Some("CARD_NUMBER_INVALID_CHARACTER")
    );
}

#[wasm_bindgen_test]
fn non_strings_are_invalid_and_never_throw() {
    for v in hostile_values() {
        for r in [
            js::check_card_number(v.clone(), None),
            js::check_expiry(v.clone(), None),
            js::check_birth(v.clone(), None),
            js::check_pwd_2digit(v.clone(), None),
        ] {
            assert!(!boolean(&r, "isValid"));
            assert!(!boolean(&r, "isPotentiallyValid"));
            assert_eq!(error_code(&r).as_deref(), Some("INVALID_TYPE"));
        }
        assert!(!js::is_valid_card_number(v.clone()));
        assert!(js::mask_card_number(v.clone()).is_null());
        let f = js::format_card_number_input(v.clone(), v.clone());
        assert_eq!(string(&f, "value").as_deref(), Some(""));
        let c = js::check_card(v.clone(), Some(v.clone()));
        assert!(!boolean(&c, "isValid"));
        // Hostile options never throw either.
        let r = js::check_card_number("4111111111111111".into(), Some(v.clone()));
        if v.is_null() || v.is_undefined() {
            assert!(boolean(&r, "isValid"));
        } else if !v.is_object() && !v.is_function() {
            assert_eq!(error_code(&r).as_deref(), Some("INVALID_OPTION"));
        }
    }
}

#[wasm_bindgen_test]
fn megabyte_inputs_are_total() {
    let big: JsValue = "4".repeat(1 << 20).into();
    let r = js::check_card_number(big.clone(), None);
    assert!(!boolean(&r, "isPotentiallyValid"));
    assert_eq!(string(&r, "digits").map(|d| d.len()), Some(19));
    for r in [
        js::check_expiry(big.clone(), None),
        js::check_birth(big.clone(), None),
        js::check_pwd_2digit(big.clone(), None),
    ] {
        assert!(!boolean(&r, "isValid"));
    }
    let f = js::format_card_number_input(big, JsValue::from_f64(1e9));
    assert_eq!(string(&f, "value").map(|v| v.len()), Some(19 + 4));
}

#[wasm_bindgen_test]
fn expiry_forms_and_today_option() {
    for input in ["12/28", "1228", "12 / 28", "2028-12", "202812", "12/2028"] {
        let r = js::check_expiry(input.into(), today("2026-11-28"));
        assert_eq!(string(&r, "value").as_deref(), Some("2028-12"), "{input}");
    }
    let r = js::check_expiry("11/26".into(), today("2026-11-28"));
    assert!(boolean(&r, "isValid"), "the current month is not expired");
    let r = js::check_expiry("11/26".into(), today("2026-12-01"));
    assert_eq!(error_code(&r).as_deref(), Some("EXPIRY_EXPIRED"));
    let r = js::check_expiry("12/".into(), today("2026-11-28"));
    assert!(boolean(&r, "isPotentiallyValid") && !boolean(&r, "isValid"));
    // Malformed options are reported, not thrown.
    for bad in ["2026-02-30", "28/11/2026", ""] {
        let r = js::check_expiry("12/28".into(), today(bad));
        assert_eq!(error_code(&r).as_deref(), Some("INVALID_OPTION"), "{bad}");
        assert_eq!(
            string(&get(&r, "error"), "field").as_deref(),
            Some("options.today")
        );
    }
    // Without `today`, the real clock is used: a far-past expiry is expired.
    let r = js::check_expiry("01/20".into(), None);
    assert_eq!(error_code(&r).as_deref(), Some("EXPIRY_EXPIRED"));
}

#[wasm_bindgen_test]
fn birth_kinds() {
    let r = js::check_birth("820213".into(), today("2026-11-28"));
    assert_eq!(string(&r, "kind").as_deref(), Some("personal"));
    let r = js::check_birth("116-82-00276".into(), None);
    assert_eq!(string(&r, "kind").as_deref(), Some("business"));
    assert_eq!(string(&r, "value").as_deref(), Some("1168200276"));
    let r = js::check_birth("134-86-72684".into(), None);
    assert_eq!(error_code(&r).as_deref(), Some("BUSINESS_NUMBER_CHECKSUM"));
    let personal = Some(obj(&[
        ("kind", "personal".into()),
        ("today", "2026-11-28".into()),
    ]));
    let r = js::check_birth("1168200276".into(), personal);
    assert_eq!(error_code(&r).as_deref(), Some("BIRTH_KIND_MISMATCH"));
    let r = js::check_birth("010229".into(), today("2026-11-28"));
    assert!(!boolean(&r, "isValid"));
    let r = js::check_birth("000229".into(), today("2026-11-28"));
    assert!(boolean(&r, "isValid"));
}

#[wasm_bindgen_test]
fn pwd_and_check_card() {
    assert!(boolean(&js::check_pwd_2digit("00".into(), None), "isValid"));
    assert!(boolean(
        &js::check_pwd_2digit("0".into(), None),
        "isPotentiallyValid"
    ));
    assert!(!boolean(
        &js::check_pwd_2digit("000".into(), None),
        "isPotentiallyValid"
    ));

    let fields = obj(&[
        ("card_number", "4111111111111111".into()),
        ("expiry", "12/28".into()),
        ("birth", "116-82-00276".into()),
    ]);
    let r = js::check_card(fields, today("2026-11-28"));
    assert!(
        boolean(&r, "isValid"),
        "corporate cards need no PIN: {}",
        json(&r)
    );

    let fields = obj(&[
        ("card_number", "1234-1234-1234-1234".into()),
        ("expiry", JsValue::from_f64(1228.0)),
        ("birth", "820213".into()),
    ]);
    let r = js::check_card(
        fields,
        Some(obj(&[
            ("locale", "en".into()),
            ("today", "2026-11-28".into()),
        ])),
    );
    assert!(!boolean(&r, "isValid"));
    let errors = Array::from(&get(&r, "errors"));
    let codes: Vec<String> = errors
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                string(&e, "field").unwrap_or_default(),
                string(&e, "code").unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            "card_number:CARD_NUMBER_UNKNOWN_BRAND",
            "expiry:INVALID_TYPE",
            "pwd_2digit:REQUIRED"
        ]
    );
    assert_eq!(
        string(&errors.get(2), "message").as_deref(),
        Some("This field is required.")
    );
}

#[wasm_bindgen_test]
fn format_input_keeps_caret() {
    let cases: &[(&str, f64, &str, f64)] = &[
        ("41111", 5.0, "4111 1", 6.0),
        ("4111 91111", 6.0, "4111 9111 1", 6.0),
        ("378282246310005", 15.0, "3782 822463 10005", 17.0),
        ("4111", -3.0, "4111", 0.0),
        ("4111", f64::NAN, "4111", 4.0),
    ];
    for &(value, caret, want, want_caret) in cases {
        let f = js::format_card_number_input(value.into(), JsValue::from_f64(caret));
        assert_eq!(string(&f, "value").as_deref(), Some(want), "{value}");
        assert_eq!(get(&f, "caret").as_f64(), Some(want_caret), "{value}");
    }
    let f = js::format_card_number_input("4111111111111111".into(), JsValue::UNDEFINED);
    assert_eq!(get(&f, "caret").as_f64(), Some(19.0));
}

#[wasm_bindgen_test]
fn locale_switch() {
    assert_eq!(js::get_locale(), "ko");
    let ko = js::check_pwd_2digit("".into(), None);
    assert!(js::set_locale("en".into()));
    let en = js::check_pwd_2digit("".into(), None);
    assert!(!js::set_locale("fr".into()));
    assert!(!js::set_locale(JsValue::from_f64(1.0)));
    assert_eq!(js::get_locale(), "en");
    assert!(js::set_locale("ko".into()));
    let msg = |r: &JsValue| string(&get(r, "error"), "message").unwrap_or_default();
    assert_eq!(msg(&en), "This field is required.");
    assert_eq!(msg(&ko), "필수 입력 항목입니다.");
    // A per-call locale wins over the default.
    let r = js::check_pwd_2digit("".into(), Some(obj(&[("locale", "en-US".into())])));
    assert_eq!(msg(&r), "This field is required.");
}

#[wasm_bindgen_test]
fn no_card_data_in_any_output_but_the_digits_field() {
    let secrets = [
        "4111111111111112",
        "4111111111111111",
        "820213",
        "1168200277",
        "47",
    ];
    let results = [
        js::check_card_number("4111 1111 1111 1112".into(), None),
        js::check_birth("820299".into(), None),
        js::check_birth("116-82-00277".into(), None),
        js::check_pwd_2digit("47x".into(), None),
        js::check_card(
            obj(&[
                ("card_number", "4111111111111112".into()),
                ("expiry", "12/28".into()),
                ("birth", "820213".into()),
                ("pwd_2digit", "4".into()),
            ]),
            None,
        ),
    ];
    for r in &results {
        let e = get(r, "error");
        let text = if e.is_undefined() {
            json(&get(r, "errors"))
        } else {
            json(&e)
        };
        for s in secrets {
            assert!(!text.contains(s), "{text}");
        }
    }
    let masked = js::mask_card_number("4111-1111-1111-1111".into())
        .as_string()
        .unwrap_or_default();
    assert_eq!(masked, "4111-11**-****-1111");
}
