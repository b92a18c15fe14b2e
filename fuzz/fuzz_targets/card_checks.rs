//! Every card-field check and the as-you-type formatter, on any text.
#![no_main]
use iamport_keyin::card::{
    birth::check_birth,
    date::Date,
    expiry::{self, check_expiry, check_expiry_packed, check_expiry_text},
    number, pwd::check_pwd_2digit,
};
use iamport_keyin::Locale;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let today = Date::new(2026, 11, 28).unwrap_or(Date::from_unix(0, 0));
    let c = number::check_card_number(&s, Locale::Ko);
    // A mask never shows more than the first 6 and last 4 digits.
    assert!(c.masked.bytes().filter(u8::is_ascii_digit).count() <= 10);
    assert_eq!(number::is_valid_card_number(&s), c.is_valid);
    if c.is_valid {
        assert!(c.is_potentially_valid && c.brand.is_some());
    }
    // The packed verdict and its text (the JS fast path) agree with the full check.
    let p = number::check_card_number_packed(&s);
    assert_eq!(p & 1 == 1, c.is_valid);
    assert_eq!(p & 2 == 2, c.is_potentially_valid);
    let n = ((p >> 21) & 0x1f) as usize;
    let l = (p >> 27) as usize;
    assert_eq!(n, c.digits.len());
    assert_eq!(l, c.formatted.len());
    let mut text = [0u8; number::TEXT_MAX];
    assert_eq!(number::check_card_number_text(&s, &mut text), p);
    let digits = if p & (1 << 26) != 0 { "" } else { c.digits.as_str() };
    let text = &text[..digits.len() + 2 * l];
    assert_eq!(text, [digits, &c.formatted, &c.masked].concat().as_bytes());
    let e = check_expiry(&s, today, Locale::En);
    let q = check_expiry_packed(&s, today);
    assert_eq!(q & 1 == 1, e.is_valid);
    assert_eq!(q & 2 == 2, e.is_potentially_valid);
    let mut value = [0u8; expiry::TEXT_MAX];
    assert_eq!(check_expiry_text(&s, today, &mut value), q);
    let len = ((q >> 9) & 0xf) as usize;
    assert_eq!(e.value.as_deref().map(str::as_bytes), (len > 0).then(|| &value[..len]));
    let b = check_birth(&s, None, today, Locale::En);
    assert!(!b.is_valid || b.value.as_ref().is_some_and(|v| v.len() == 6 || v.len() == 10));
    let w = check_pwd_2digit(&s, Locale::En);
    // The checks give only the codes the checks-only build keeps the text of.
    for err in [&c.error, &e.error, &b.error, &w.error].into_iter().flatten() {
        assert!(err.code.is_card_code(), "{}", err.code);
    }
    let caret = data.first().map_or(0, |&b| usize::from(b));
    let f = number::format_card_number_input(&s, caret);
    assert!(f.caret <= f.value.len());
    let _ = number::mask_card_number(&s);
});
