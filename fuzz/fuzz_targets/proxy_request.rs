//! The proxy's request handling on any method, path, query and body: routing,
//! body parsing, re-validation, the server-owned fields and pricing never
//! panic, what is forwarded stays on the allow-list, and every amount that
//! may move money is priced.
#![no_main]
use iamport_keyin::api::BuildOptions;
use iamport_keyin::proxy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(4, '\n');
    let method = parts.next().unwrap_or("");
    let path = parts.next().unwrap_or("");
    let query = parts.next().unwrap_or("");
    let body = parts.next().unwrap_or("");
    let _ = proxy::check_origin(Some(method), path, &[query.to_owned()], body.is_empty());
    let Ok(route) = proxy::route(method, path, "/iamport") else { return };
    let parsed = proxy::parse_body(body.as_bytes()).ok();
    let fields = proxy::ServerFields {
        pg: Some("kcp.A52CY".into()),
        channel_key: Some("ck".into()),
        notice_url: Some("https://shop.example/hook".into()),
    };
    let opts = BuildOptions::at(1_795_875_642);
    // With and without server-owned fields: never a panic either way.
    let _ = proxy::prepare(&route, parsed.as_ref(), query, &opts, &fields);
    if let Ok(p) = proxy::prepare(&route, parsed.as_ref(), query, &opts, &proxy::ServerFields::default()) {
        let up = p.request.path_and_query();
        // The allow-list: billing keys and schedules, and the two look-ups (by merchant_uid,
        // by imp_uid: one segment under /payments/).
        let look_up = route.op == proxy::OpName::GetPayment
            && up.starts_with("/payments/")
            && up.split('?').next().unwrap_or("").matches('/').count() == 2;
        assert!(up.starts_with("/subscribe/") || up.starts_with("/payments/find/") || look_up, "{up}");
        // Every uid stays one percent-encoded segment: no `..`, never an extra `/`.
        let path_only = up.split('?').next().unwrap_or("");
        assert!(!path_only.contains("/../") && !path_only.ends_with("/.."), "{up}");
        assert!(path_only.matches('/').count() <= 5, "{up}");
        // Whatever the body, a charge gives at least one amount to price, and only a
        // price equal to that amount passes.
        let items = proxy::price_requests(&p.operation);
        if route.op.charges_now() {
            assert!(!items.is_empty());
        }
        for item in &items {
            let amount = item.operation.amount.unwrap_or(0);
            assert!(proxy::check_price(amount, proxy::PriceAnswer::Number(amount as f64)).is_ok());
            assert!(proxy::check_price(amount, proxy::PriceAnswer::Number(amount as f64 + 1.0)).is_err());
            assert!(proxy::check_price(amount, proxy::PriceAnswer::Other).is_err());
        }
    }
});
