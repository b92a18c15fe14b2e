//! The outcome decoder and the response decoders on any body and status:
//! "paid" only for HTTP 200.
#![no_main]
use iamport_keyin::api::{self, OutcomeStatus};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let body = api::parse_json_bytes(data).ok();
    for status in [0u16, 200, 207, 400, 401, 404, 409, 500, 502, 504] {
        let o = api::decode_outcome(status, body.as_ref(), Some(3000));
        if o.status == OutcomeStatus::Paid {
            assert_eq!(status, 200);
            assert!(o.payment.is_some());
        }
        let _ = api::decode_customer(status, body.as_ref());
        let _ = api::decode_customers(status, body.as_ref());
        let _ = api::decode_schedules(status, body.as_ref());
    }
});
