//! The proxy's request handling on any method, path, query and body: routing,
//! body parsing and re-validation never panic, and what is forwarded stays on
//! the allow-list.
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
    let _ = proxy::check_origin(Some(method), path, &[query.to_owned()]);
    let Ok(route) = proxy::route(method, path, "/iamport") else { return };
    let parsed = proxy::parse_body(body.as_bytes()).ok();
    if let Ok(p) = proxy::prepare(&route, parsed.as_ref(), query, &BuildOptions::at(1_795_875_642)) {
        let up = p.request.path_and_query();
        assert!(up.starts_with("/subscribe/") || up.starts_with("/payments/find/"), "{up}");
        // Every uid stays one percent-encoded segment: no `..`, never an extra `/`.
        let path_only = up.split('?').next().unwrap_or("");
        assert!(!path_only.contains("/../") && !path_only.ends_with("/.."), "{up}");
        assert!(path_only.matches('/').count() <= 5, "{up}");
        let _ = proxy::check_amount(&p.operation, Some(1.0));
    }
});
