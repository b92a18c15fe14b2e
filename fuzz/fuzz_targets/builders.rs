//! Every builder on any JSON (as the body and as the uid arguments): no panic,
//! and nothing built can address another endpoint.
#![no_main]
use iamport_keyin::api::{self, BuildOptions, PgProfile, Value};
use libfuzzer_sys::fuzz_target;

fn check(r: &api::Built) {
    if let Ok(req) = r {
        let p = req.path_and_query();
        assert!(!p.contains("/../") && !p.contains("/./") && !p.contains('#'), "{p}");
        assert_eq!(req.path.matches('?').count(), 0);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(v) = api::parse_json_bytes(data) else { return };
    for profile in [PgProfile::Kcp, PgProfile::Any] {
        let o = BuildOptions { pg_profile: profile, ..BuildOptions::at(1_795_875_642) };
        let uid = v.get("uid").cloned().unwrap_or(Value::Null);
        check(&api::build_onetime_payment(&v, &o));
        check(&api::build_billing_key(&uid, &v, &o));
        check(&api::build_get_billing_key(&uid, &o));
        check(&api::build_delete_billing_key(&uid, &v, &o));
        check(&api::build_get_billing_keys(&v, &o));
        check(&api::build_again_payment(&v, &o));
        check(&api::build_schedule(&v, &o));
        check(&api::build_unschedule(&v, &o));
        check(&api::build_get_schedule(&uid, &o));
        check(&api::build_get_schedules_by_customer(&uid, &v, &o));
        check(&api::build_find_payment(&uid, &v, &o));
    }
});
