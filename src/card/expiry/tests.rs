//! Tests of `expiry`.
/// The packed verdict decodes to exactly what `check_expiry` says.
#[test]
fn packed_agrees_with_the_full_check() {
    let today = Date::new(2026, 11, 28).unwrap();
    for input in [
        "",
        "1",
        "12/30",
        "13/30",
        "00/30",
        "11/26",
        "10/26",
        "12 / 2030",
        "2030-12",
        "12/46",
        "ab",
        "1/3",
    ] {
        let full = check_expiry(input, today, Locale::En);
        let p = check_expiry_packed(input, today);
        assert_eq!(p & 1 == 1, full.is_valid, "{input:?}");
        assert_eq!(p & 2 == 2, full.is_potentially_valid);
        assert_eq!(p & (1 << 8), 0, "bit 8 is the card number's only");
        let code = (p >> 2) & 0x3f;
        assert_eq!(
            code.checked_sub(1).map(|i| ErrorCode::ALL[i as usize]),
            full.error.map(|e| e.code)
        );
        let mut text = [0u8; TEXT_MAX];
        assert_eq!(check_expiry_text(input, today, &mut text), p);
        let len = ((p >> 9) & 0xf) as usize;
        assert!(text[len..].iter().all(|&b| b == 0), "nothing past the text");
        let value = (p & 1 == 1).then(|| core::str::from_utf8(&text[..len]).unwrap());
        assert_eq!(value, full.value.as_deref());
    }
}

use super::*;

const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 28,
};

fn check(s: &str) -> ExpiryCheck {
    check_expiry(s, TODAY, Locale::En)
}

#[test]
fn valid_forms() {
    let table: &[(&str, &str)] = &[
        ("12/28", "2028-12"),
        ("12/2028", "2028-12"),
        ("1/28", "2028-01"),
        ("1/2028", "2028-01"),
        ("1228", "2028-12"),
        ("12 28", "2028-12"),
        ("12 / 28", "2028-12"),
        ("  12/28 ", "2028-12"),
        ("2028-12", "2028-12"),
        ("202812", "2028-12"),
        ("122028", "2028-12"),
        ("12-28", "2028-12"),
        // the current month is not expired
        ("11/26", "2026-11"),
        ("2026-11", "2026-11"),
        // exactly 20 years ahead
        ("11/46", "2046-11"),
    ];
    for &(input, want) in table {
        let c = check(input);
        assert!(c.is_valid, "{input:?}: {c:?}");
        assert!(c.is_potentially_valid);
        assert_eq!(c.value.as_deref(), Some(want), "{input:?}");
    }
}

#[test]
fn potentially_valid_partials() {
    for input in [
        "", "1", "0", "12", "12/", "12/2", "12/20", "1/", "122", "20", "202", "2026", "20261",
        "2026-", "2026-1", "12 /", "12/203", "5",
    ] {
        let c = check(input);
        assert!(!c.is_valid, "{input:?}");
        assert!(c.is_potentially_valid, "{input:?}: {c:?}");
        assert_eq!(c.value, None);
    }
}

#[test]
fn invalid() {
    let table: &[(&str, ErrorCode)] = &[
        ("13/28", ErrorCode::ExpiryInvalidMonth),
        ("00/28", ErrorCode::ExpiryInvalidMonth),
        ("0/28", ErrorCode::ExpiryInvalidMonth),
        ("10/26", ErrorCode::ExpiryExpired),
        ("2026-10", ErrorCode::ExpiryExpired),
        ("12/1", ErrorCode::ExpiryExpired),
        ("12/2019", ErrorCode::ExpiryExpired),
        ("12/46", ErrorCode::ExpiryTooFar),
        ("01/2050", ErrorCode::ExpiryTooFar),
        ("12/28/1", ErrorCode::ExpiryInvalidFormat),
        ("12.28", ErrorCode::ExpiryInvalidFormat),
        ("ab/cd", ErrorCode::ExpiryInvalidFormat),
        ("/28", ErrorCode::ExpiryInvalidFormat),
        ("12/285", ErrorCode::ExpiryTooFar),
        ("12/20285", ErrorCode::ExpiryInvalidFormat),
        ("1234567", ErrorCode::ExpiryInvalidFormat),
        ("123/28", ErrorCode::ExpiryInvalidFormat),
        ("2028-123", ErrorCode::ExpiryInvalidFormat),
        ("1328", ErrorCode::ExpiryInvalidMonth),
        ("20263", ErrorCode::ExpiryInvalidMonth),
        ("13", ErrorCode::ExpiryInvalidMonth),
        ("１２/２８", ErrorCode::ExpiryInvalidFormat),
    ];
    for &(input, code) in table {
        let c = check(input);
        assert!(!c.is_valid, "{input:?}");
        assert!(!c.is_potentially_valid, "{input:?}: {c:?}");
        assert_eq!(c.error.map(|e| e.code), Some(code), "{input:?}");
    }
}

#[test]
fn century_wraps_near_2100() {
    let today = Date {
        year: 2095,
        month: 1,
        day: 1,
    };
    assert_eq!(
        check_expiry("12/05", today, Locale::Ko).value.as_deref(),
        Some("2105-12")
    );
    assert_eq!(
        check_expiry("12/94", today, Locale::Ko)
            .error
            .map(|e| e.code),
        Some(ErrorCode::ExpiryExpired)
    );
}

#[test]
fn parse_for_wire() {
    assert_eq!(
        parse_expiry("12/28", TODAY).map(Expiry::wire).as_deref(),
        Ok("2028-12")
    );
    assert_eq!(parse_expiry("12/", TODAY), Err(ErrorCode::Incomplete));
    assert_eq!(parse_expiry("12/20", TODAY), Err(ErrorCode::ExpiryExpired));
    assert_eq!(parse_expiry("", TODAY), Err(ErrorCode::Required));
}

#[test]
fn huge_input_is_total() {
    let s = "1".repeat(1 << 20);
    assert!(!check(&s).is_potentially_valid);
    let s = "/".repeat(1 << 20);
    assert!(!check(&s).is_potentially_valid);
}

#[test]
fn div10_is_exact() {
    let mut v: u32 = 1;
    for _ in 0..100_000 {
        v = v.wrapping_mul(2_654_435_761).wrapping_add(12_345);
        assert_eq!(div10(v), v / 10);
        assert_eq!(last_digit(v), b'0' + (v % 10) as u8);
    }
    for v in [0, 9, 10, 99, 100, 9999, 10_000, u32::MAX - 1, u32::MAX] {
        assert_eq!(div10(v), v / 10);
    }
}

#[test]
fn wire_form_is_zero_padded_and_total() {
    let wire = |year, month| Expiry { year, month }.wire();
    assert_eq!(wire(2028, 7), "2028-07");
    assert_eq!(wire(2030, 12), "2030-12");
    assert_eq!(wire(7, 1), "0007-01");
    assert_eq!(wire(0, 1), "0000-01");
    assert_eq!(wire(12345, 12), "12345-12");
    assert_eq!(wire(-1, 1), "4294967295-01");
}

/// `wire_small` (for size) writes what `wire_into` (for the fast path) writes, for any year
/// and month, odd ones included.
#[test]
fn wire_is_wire_into() {
    let years = [
        0,
        1,
        9,
        10,
        99,
        100,
        999,
        1000,
        2026,
        9999,
        10_000,
        123_456,
        i32::MAX,
        -1,
        i32::MIN,
    ];
    for year in years {
        for month in 0..=u8::MAX {
            let e = Expiry { year, month };
            let mut buf = [0u8; TEXT_MAX];
            let n = e.wire_into(&mut buf);
            assert_eq!(e.wire_small().as_bytes(), &buf[..n], "{year} {month}");
            assert_eq!(e.wire(), e.wire_small());
        }
    }
}
