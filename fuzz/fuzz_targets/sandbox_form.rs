//! The sandbox's form-body parser on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = iamport_sandbox::form::parse_form(data);
    let _ = iamport_sandbox::form::pairs(data);
});
