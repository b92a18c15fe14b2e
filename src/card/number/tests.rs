//! Tests of `number`.

/// A test input as a failure message may show it: its characters, with every digit
/// but the first 6 and the last 4 shown as `*` (as a masked number shows them), so
/// that no message holds a whole card number, test numbers included.
fn shown(input: &str) -> String {
    let digits = input.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    let masked: String = input
        .chars()
        .map(|c| {
            if !c.is_ascii_digit() {
                return c;
            }
            seen += 1;
            if seen <= 6 || seen + 4 > digits {
                c
            } else {
                '*'
            }
        })
        .collect();
    format!("{masked:?}")
}

#[test]
fn shown_masks_the_middle_digits() {
    assert_eq!(shown("4111-1111-1111-1111"), "\"4111-11**-****-1111\"");
    assert_eq!(shown("4111111111111111a"), "\"411111******1111a\"");
    assert_eq!(shown("4111 11"), "\"4111 11\"");
    assert_eq!(shown(""), "\"\"");
}
/// The packed verdict decodes to exactly what `check_card_number` says.
#[test]
fn packed_agrees_with_the_full_check() {
    let mut inputs: Vec<String> = vec![
        String::new(),
        " ".into(),
        "4".into(),
        "4111 1111 1111 1111".into(),
        "4111-1111-1111-1111".into(),
        "3782-822463-10005".into(),
        "4111-1111".into(),
    ];
    for prefix in [
        "4", "51", "2221", "34", "37", "3528", "62", "300", "36", "6011", "65", "9", "1",
    ] {
        for len in 0..=21 {
            let mut s: String = prefix
                .chars()
                .chain("4111111111111111111111".chars())
                .take(len)
                .collect();
            inputs.push(s.clone());
            s.insert(s.len() / 2, '-');
            inputs.push(s.clone());
            s.push('x');
            inputs.push(s);
        }
    }
    for input in &inputs {
        let full = check_card_number(input, Locale::En);
        let p = check_card_number_packed(input);
        assert_eq!(p & 1 == 1, full.is_valid, "{}", shown(input));
        assert_eq!(p & 2 == 2, full.is_potentially_valid);
        let code = (p >> 2) & 0x3f;
        assert_eq!(
            code.checked_sub(1).map(|i| ErrorCode::ALL[i as usize]),
            full.error.map(|e| e.code)
        );
        let brand = (p >> 9) & 0xf;
        assert_eq!(
            brand.checked_sub(1).map(|i| Brand::ALL[i as usize]),
            full.brand
        );
        let set = (p >> 13) & 0xff;
        let brands: Vec<Brand> = Brand::ALL
            .into_iter()
            .filter(|b| set & (1 << *b as u32) != 0)
            .collect();
        assert_eq!(brands, full.possible_brands);
        let n = ((p >> 21) & 0x1f) as usize;
        assert_eq!(n, full.digits.len());
        if p & (1 << 26) != 0 {
            assert!(input.starts_with(&full.digits), "{}", shown(input));
        }
        // Digits only, or digits up to a plain bad character: taken from the input
        // (read in place by `with_digits`, in the builds with the fast path; the
        // checks-only build reads every input with `scan`, and copies).
        let k = input.bytes().position(|b| !b.is_ascii_digit());
        let plain_stop = match k {
            None => true,
            Some(k) if k > MAX_DIGITS => true,
            Some(k) => !matches!(
                input.as_bytes()[k],
                b' ' | b'-' | b'\t' | b'\n' | b'\r' | 0x80..
            ),
        };
        assert_eq!(
            p & (1 << 26) != 0,
            cfg!(feature = "full") && plain_stop,
            "{}",
            shown(input)
        );
        let l = (p >> 27) as usize;
        assert_eq!(l, full.formatted.len());
        assert_eq!(
            p & (1 << 8) != 0,
            full.formatted == *input,
            "{}",
            shown(input)
        );
        assert_eq!(l, full.masked.len());
        // The text is the strings back to back (the digits only when they are
        // not the input), and the verdict the same.
        let mut text = [0u8; TEXT_MAX];
        assert_eq!(check_card_number_text(input, &mut text), p);
        let digits = if p & (1 << 26) != 0 { "" } else { &full.digits };
        let len = digits.len() + 2 * l;
        assert_eq!(
            core::str::from_utf8(&text[..len]).unwrap(),
            [digits, &full.formatted, &full.masked].concat(),
            "{}",
            shown(input)
        );
        assert!(text[len..].iter().all(|&b| b == 0), "nothing past the text");
    }
    for (i, b) in Brand::ALL.iter().enumerate() {
        assert_eq!(*b as usize, i, "Brand::ALL is in declaration order");
    }
}

use super::*;

fn check(s: &str) -> CardNumberCheck {
    check_card_number(s, Locale::En)
}

/// Makes a Luhn-valid number from a prefix and a length.
fn luhn_complete(prefix: &str, len: usize) -> String {
    let mut s = prefix.to_owned();
    while s.len() < len - 1 {
        s.push('0');
    }
    for d in b'0'..=b'9' {
        let mut t = s.clone();
        t.push(d as char);
        if luhn(t.as_bytes()) {
            return t;
        }
    }
    unreachable!("some check digit always works")
}

// ---- valid ----
#[test]
fn valid_known_test_numbers() {
    let table: &[(&str, Brand)] = &[
        ("4111111111111111", Brand::Visa),
        ("4222222222222", Brand::Visa),
        ("5555555555554444", Brand::Mastercard),
        ("2223003122003222", Brand::Mastercard),
        ("378282246310005", Brand::Amex),
        ("371449635398431", Brand::Amex),
        ("3530111333300000", Brand::Jcb),
        ("6200000000000005", Brand::Unionpay),
        ("30569309025904", Brand::Diners),
        ("36227206271667", Brand::Diners),
        ("6011111111111117", Brand::Discover),
        ("6011000990139424", Brand::Discover),
        ("6445644564456445", Brand::Discover),
    ];
    for &(n, b) in table {
        let c = check(n);
        assert!(c.is_valid, "{} should be valid: {c:?}", shown(n));
        assert!(c.is_potentially_valid);
        assert_eq!(c.brand, Some(b), "{}", shown(n));
        assert_eq!(c.possible_brands, vec![b]);
        assert_eq!(c.error, None);
    }
}

#[test]
fn valid_every_mastercard_2_series_prefix() {
    for p in 2221..=2720 {
        let n = luhn_complete(&p.to_string(), 16);
        let c = check(&n);
        assert!(c.is_valid, "{p}");
        assert_eq!(c.brand, Some(Brand::Mastercard), "{p}");
    }
    for p in [2220, 2721] {
        let c = check(&luhn_complete(&p.to_string(), 16));
        assert!(!c.is_valid, "{p}");
        assert_eq!(c.error.unwrap().code, ErrorCode::CardNumberUnknownBrand);
    }
}

#[test]
fn valid_every_brand_length() {
    let table: &[(&str, Brand, &[usize])] = &[
        ("4", Brand::Visa, &[13, 16, 19]),
        ("51", Brand::Mastercard, &[16]),
        ("55", Brand::Mastercard, &[16]),
        ("34", Brand::Amex, &[15]),
        ("37", Brand::Amex, &[15]),
        ("3528", Brand::Jcb, &[16, 17, 18, 19]),
        ("3589", Brand::Jcb, &[16, 17, 18, 19]),
        ("62", Brand::Unionpay, &[16, 17, 18, 19]),
        ("300", Brand::Diners, &[14, 15, 16, 17, 18, 19]),
        ("305", Brand::Diners, &[14, 19]),
        ("36", Brand::Diners, &[14, 16]),
        ("38", Brand::Diners, &[14]),
        ("39", Brand::Diners, &[14]),
        ("6011", Brand::Discover, &[16, 19]),
        ("644", Brand::Discover, &[16]),
        ("649", Brand::Discover, &[16]),
        ("65", Brand::Discover, &[16, 19]),
        ("9", Brand::Domestic, &[16]),
        ("9410", Brand::Domestic, &[16]),
    ];
    for &(prefix, brand, lengths) in table {
        for &len in lengths {
            let n = luhn_complete(prefix, len);
            let c = check(&n);
            assert!(c.is_valid, "{prefix} len {len}");
            assert_eq!(c.brand, Some(brand), "{prefix} len {len}");
        }
        // One digit too many is never valid.
        let too_long = luhn_complete(prefix, brand.max_length() + 1);
        assert!(!check(&too_long).is_valid || brand.max_length() == 19);
    }
}

#[test]
fn valid_with_separators() {
    for s in [
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        " 4111111111111111 ",
        "4111\u{a0}1111\u{a0}1111\u{a0}1111",
        "4111 - 1111 - 1111 - 1111",
    ] {
        let c = check(s);
        assert!(c.is_valid, "{}", shown(s));
        assert_eq!(c.digits, "4111111111111111");
    }
}

#[test]
fn formatted_groups() {
    assert_eq!(check("4111111111111111").formatted, "4111-1111-1111-1111");
    assert_eq!(check("378282246310005").formatted, "3782-822463-10005");
    assert_eq!(check("30569309025904").formatted, "3056-930902-5904");
    let n19 = luhn_complete("4", 19);
    assert_eq!(check(&n19).formatted.len(), 19 + 4);
    assert_eq!(&check(&n19).formatted[19..], "-".to_owned() + &n19[16..]);
    // Partial input is grouped the same way.
    assert_eq!(check("411111").formatted, "4111-11");
    assert_eq!(check("3782822").formatted, "3782-822");
}

#[test]
fn masked_shows_at_most_first6_last4() {
    assert_eq!(check("4111111111111111").masked, "4111-11**-****-1111");
    assert_eq!(check("378282246310005").masked, "3782-82****-*0005");
    assert_eq!(check("30569309025904").masked, "3056-93****-5904");
    // Short input is hidden whole.
    assert_eq!(check("411111111111").masked, "****-****-****");
    for n in [
        "4111111111111111",
        "378282246310005",
        &luhn_complete("4", 19),
        &luhn_complete("4", 13),
    ] {
        let m = check(n).masked.replace('-', "");
        let shown = m.chars().filter(|c| c.is_ascii_digit()).count();
        assert!(shown <= 10, "{m}");
        assert!(m[6..m.len() - 4].bytes().all(|b| b == b'*'), "{m}");
        assert_eq!(&m[..6], &n[..6]);
        assert_eq!(&m[m.len() - 4..], &n[n.len() - 4..]);
    }
    assert_eq!(
        mask_card_number("4111 1111 1111 1111").unwrap(),
        "4111-11**-****-1111"
    );
    assert_eq!(mask_card_number("abc"), None);
}

// ---- potentially valid ----
#[test]
fn potentially_valid_partials() {
    let table: &[(&str, &[Brand], Option<Brand>)] = &[
        ("", &Brand::ALL, None),
        ("4", &[Brand::Visa], Some(Brand::Visa)),
        ("2", &[Brand::Mastercard], Some(Brand::Mastercard)),
        ("22", &[Brand::Mastercard], Some(Brand::Mastercard)),
        ("3", &[Brand::Amex, Brand::Jcb, Brand::Diners], None),
        ("35", &[Brand::Jcb], Some(Brand::Jcb)),
        ("30", &[Brand::Diners], Some(Brand::Diners)),
        ("5", &[Brand::Mastercard], Some(Brand::Mastercard)),
        ("6", &[Brand::Unionpay, Brand::Discover], None),
        ("60", &[Brand::Discover], Some(Brand::Discover)),
        ("64", &[Brand::Discover], Some(Brand::Discover)),
        ("9", &[Brand::Domestic], Some(Brand::Domestic)),
        ("4111 1111", &[Brand::Visa], Some(Brand::Visa)),
    ];
    for &(input, brands, brand) in table {
        let c = check(input);
        assert!(!c.is_valid, "{}", shown(input));
        assert!(c.is_potentially_valid, "{}", shown(input));
        assert_eq!(c.possible_brands, brands, "{}", shown(input));
        assert_eq!(c.brand, brand, "{}", shown(input));
    }
    assert_eq!(check("").error.unwrap().code, ErrorCode::Required);
}

#[test]
fn potentially_valid_when_longer_lengths_remain() {
    // A 16-digit Visa that fails Luhn could still become a valid 19-digit one.
    let c = check("4111111111111112");
    assert!(!c.is_valid);
    assert!(c.is_potentially_valid);
    assert_eq!(c.error.unwrap().code, ErrorCode::CardNumberLuhn);
}

// ---- invalid ----
#[test]
fn invalid_numbers() {
    let table: &[(&str, ErrorCode)] = &[
        ("41111111111111x1", ErrorCode::CardNumberInvalidCharacter),
        ("4111.1111.1111.1111", ErrorCode::CardNumberInvalidCharacter),
        ("4111/1111", ErrorCode::CardNumberInvalidCharacter),
        ("４１１１", ErrorCode::CardNumberInvalidCharacter),
        ("1234567812345678", ErrorCode::CardNumberUnknownBrand),
        ("0", ErrorCode::CardNumberUnknownBrand),
        ("7", ErrorCode::CardNumberUnknownBrand),
        ("50", ErrorCode::CardNumberUnknownBrand),
        ("56", ErrorCode::CardNumberUnknownBrand),
        ("306", ErrorCode::CardNumberUnknownBrand),
        ("6012", ErrorCode::CardNumberUnknownBrand),
        ("5555555555554445", ErrorCode::CardNumberLuhn),
        ("55555555555544440", ErrorCode::CardNumberInvalidLength),
        ("378282246310006", ErrorCode::CardNumberLuhn),
        ("41111111111111111111", ErrorCode::CardNumberInvalidLength),
        ("9111111111111111111", ErrorCode::CardNumberInvalidLength),
    ];
    for &(input, code) in table {
        let c = check(input);
        assert!(!c.is_valid, "{}", shown(input));
        assert!(!c.is_potentially_valid, "{}", shown(input));
        assert_eq!(c.error.unwrap().code, code, "{}", shown(input));
        assert!(!is_valid_card_number(input));
    }
}

#[test]
fn invalid_huge_input_is_cheap_and_total() {
    let big = "4".repeat(1 << 20);
    let c = check(&big);
    assert!(!c.is_valid && !c.is_potentially_valid);
    assert_eq!(c.digits.len(), MAX_DIGITS);
    let junk = "가".repeat(100_000);
    assert_eq!(
        check(&junk).error.unwrap().code,
        ErrorCode::CardNumberInvalidCharacter
    );
}

#[test]
fn lean_entry_agrees() {
    for s in [
        "4111111111111111",
        "4111111111111112",
        "",
        "abc",
        "378282246310005",
    ] {
        assert_eq!(is_valid_card_number(s), check(s).is_valid, "{s}");
    }
}

#[test]
fn debug_never_shows_the_number() {
    let c = check("4111 1111 1111 1111");
    let dbg = format!("{c:?}");
    assert!(!dbg.contains("4111111111111111"));
    assert!(!dbg.contains("1111-1111-1111"));
    let (digits, _) = parse_card_number("4111111111111111").unwrap();
    assert_eq!(format!("{digits:?}"), "CardDigits(\"4111-11**-****-1111\")");
    let f = format_card_number_input("4111111111111111", 3);
    assert!(!format!("{f:?}").contains("1111"));
}

#[test]
fn parse_gives_wire_form() {
    let (d, b) = parse_card_number("4111 1111 1111 1111").unwrap();
    assert_eq!(wire_form(&d, b), "4111-1111-1111-1111");
    assert_eq!(
        parse_card_number("1234-1234-1234-1234"),
        Err(ErrorCode::CardNumberUnknownBrand)
    );
    assert_eq!(
        parse_card_number("4234-1234-1234-1234"),
        Err(ErrorCode::CardNumberLuhn)
    );
}

// ---- as-you-type formatting ----
#[test]
fn format_input_caret_cases() {
    // (value, caret, expected value, expected caret)
    let table: &[(&str, usize, &str, usize)] = &[
        ("", 0, "", 0),
        ("4", 1, "4", 1),
        ("4111", 4, "4111", 4),
        ("41111", 5, "4111 1", 6),
        // typing a digit in the middle
        ("4111 91111", 6, "4111 9111 1", 6),
        // caret right after the 4th digit while a 5th is typed before the space
        ("41119 1111", 5, "4111 9111 1", 6),
        // deleting the middle digit
        ("4111 111 1111", 8, "4111 1111 111", 8),
        // backspace over a separator leaves the digits and the caret before the space
        ("41111111", 4, "4111 1111", 4),
        // paste in the middle with dashes and letters
        ("41-11ab 1111", 12, "4111 1111", 9),
        // amex grouping
        ("378282246310005", 15, "3782 822463 10005", 17),
        // a 14-digit Visa prefix keeps Visa's grouping (4-6-4 is for 14-digit cards only)
        ("41111111111111", 14, "4111 1111 1111 11", 17),
        // more digits than the brand allows are dropped
        ("55555555555544449", 17, "5555 5555 5555 4444", 19),
        // caret past the end is clamped
        ("4111", 99, "4111", 4),
        // caret at the start stays there
        ("4111 1111", 0, "4111 1111", 0),
        // autofill replaces everything
        ("4111111111111111", 16, "4111 1111 1111 1111", 19),
        // non-ASCII before the caret counts in UTF-16 units
        ("😀4111", 3, "4111", 1),
    ];
    for &(value, caret, want, want_caret) in table {
        let f = format_card_number_input(value, caret);
        assert_eq!(f.value, want, "{}@{caret}", shown(value));
        assert_eq!(f.caret, want_caret, "{}@{caret}", shown(value));
    }
}

#[test]
fn format_input_is_idempotent() {
    for s in [
        "4111111111111111",
        "378282246310005",
        "30569309025904",
        "62000000000000000",
    ] {
        let once = format_card_number_input(s, s.len());
        let twice = format_card_number_input(&once.value, once.caret);
        assert_eq!(once, twice);
    }
}

/// The per-keystroke match on the first four digits says what the table of prefix
/// ranges says, for every four-digit prefix.
#[test]
fn first4_match_agrees_with_the_range_table() {
    #[cfg(feature = "full")]
    for p4 in 0..10_000u32 {
        let text = format!("{p4:04}");
        assert_eq!(
            brand::set_of_first4(p4),
            brand::set_of_partial(text.as_bytes()),
            "{text}"
        );
    }
    // And the table itself, at fewer digits, for a few known prefixes.
    let set = |s: &str| brand::set_of_partial(s.as_bytes());
    assert_eq!(set(""), 0xff, "no digit: every brand");
    assert_eq!(
        set("3"),
        1 << Brand::Amex as u8 | 1 << Brand::Jcb as u8 | 1 << Brand::Diners as u8
    );
    assert_eq!(set("35"), 1 << Brand::Jcb as u8);
    assert_eq!(set("2"), 1 << Brand::Mastercard as u8);
    assert_eq!(set("1"), 0);
}

/// The Luhn check against a plain reading of its definition, on every 1–6 digit string
/// of a few shapes and on long ones.
#[test]
fn luhn_matches_its_definition() {
    let reference = |d: &[u8]| {
        let sum: u32 = d
            .iter()
            .rev()
            .enumerate()
            .map(|(i, &c)| {
                let v = u32::from(c - b'0') * if i % 2 == 1 { 2 } else { 1 };
                v / 10 + v % 10
            })
            .sum();
        sum % 10 == 0
    };
    for n in 0..200_000u32 {
        for s in [
            format!("{n}"),
            format!("{n:06}"),
            format!("4111{n:012}"),
            format!("62{n:017}"),
        ] {
            assert_eq!(luhn(s.as_bytes()), reference(s.as_bytes()), "n = {n}");
        }
    }
}

/// The 4-4-4-4 fast case reads exactly what `scan` reads, and only that form.
#[cfg(feature = "full")]
#[test]
fn grouped_4444_reads_what_scan_reads() {
    let mut inputs = vec![
        "4111-1111-1111-1111".to_owned(),
        "4111 1111 1111 1111".to_owned(),
        "4111-1111 1111-1111".to_owned(),
        "4111-1111-1111-111x".to_owned(),
        "4111-1111-1111-1111-".to_owned(),
        "4111--111-1111-1111".to_owned(),
        "41111-111-1111-1111".to_owned(),
        "4111\t1111\t1111\t1111".to_owned(),
        "0000-0000-0000-0000".to_owned(),
        "9999 9999 9999 999".to_owned(),
    ];
    // Every byte in every position of a grouped number.
    let base = *b"5555-5555-5555-4444";
    for at in 0..19 {
        for b in [b'0', b'9', b'-', b' ', b'/', b'a', b'\t', 0x7f] {
            let mut v = base;
            v[at] = b;
            inputs.push(String::from_utf8(v.to_vec()).unwrap());
        }
    }
    for input in &inputs {
        let s = scan(input.as_bytes());
        match grouped_4444(input.as_bytes()) {
            Some(d) => {
                assert!(!s.bad_char && !s.overflow, "{}", shown(input));
                assert_eq!(&d[..], s.digits.as_bytes(), "{}", shown(input));
                let sep = input.as_bytes()[4];
                assert!(
                    input.bytes().filter(|&b| b == sep).count() == 3
                        && (sep == b'-' || sep == b' '),
                    "only the uniform form: {}",
                    shown(input)
                );
            }
            None => {
                let b = input.as_bytes();
                let uniform = b.len() == 19
                    && (b[4] == b'-' || b[4] == b' ')
                    && b[9] == b[4]
                    && b[14] == b[4]
                    && b.iter()
                        .enumerate()
                        .all(|(i, c)| [4, 9, 14].contains(&i) || c.is_ascii_digit());
                assert!(!uniform, "the fast case missed {}", shown(input));
            }
        }
        // Either way, the same verdict as the full check.
        let full = check_card_number(input, Locale::En);
        assert_eq!(
            is_valid_card_number(input),
            full.is_valid,
            "{}",
            shown(input)
        );
    }
}

#[test]
fn same_bytes_is_slice_equality() {
    let samples: [&[u8]; 9] = [
        b"",
        b"4",
        b"4111-1111",
        b"4111-1111-1111-1111",
        b"4111-1111-1111-1112",
        b"5111-1111-1111-1111",
        b"4111-1111-1111-111",
        b"4111-1111-1111-1111-123",
        b"4111-1111-1111-1111-124",
    ];
    for a in samples {
        for b in samples {
            assert_eq!(
                same_bytes(a, b),
                a == b,
                "{} {}",
                shown(&String::from_utf8_lossy(a)),
                shown(&String::from_utf8_lossy(b))
            );
        }
    }
}

/// Every path reads through `with_digits`; `scan` is the reference it must agree
/// with: the same digits, bad character and overflow for every input, including the
/// ones `with_digits` takes without it (digits in place, a plain bad character,
/// 4-4-4-4 groups).
#[test]
fn with_digits_reads_what_scan_reads() {
    let alphabet = ["4", "0", " ", "-", "\t", "a", "/", "\u{a0}", "é"];
    let mut inputs: Vec<String> = vec![String::new()];
    // Every string of up to four symbols.
    let mut frontier = inputs.clone();
    for _ in 0..4 {
        frontier = frontier
            .iter()
            .flat_map(|s| alphabet.iter().map(move |a| format!("{s}{a}")))
            .collect();
        inputs.extend(frontier.iter().cloned());
    }
    // Runs of 14 to 24 digits with each symbol at each position, and the grouped forms.
    for len in 14..=24 {
        let run: String = "5555444433332222111100009".chars().take(len).collect();
        inputs.push(run.clone());
        for at in 0..=len {
            for a in alphabet {
                let mut s = run.clone();
                s.insert_str(at, a);
                inputs.push(s);
            }
        }
    }
    // 4-4-4-4 groups, with each symbol as the separator.
    for a in alphabet {
        inputs.push(["4111", "1111", "1111", "1111"].join(a));
    }
    for input in &inputs {
        let s = scan(input.as_bytes());
        let read = with_digits(input.as_bytes(), |d, bad_char, overflow| {
            (d.to_vec(), bad_char, overflow)
        });
        assert_eq!(
            read,
            (s.digits.as_bytes().to_vec(), s.bad_char, s.overflow),
            "{}",
            shown(input)
        );
    }
}

#[test]
fn brand_names_are_the_serialized_names() {
    let names: Vec<&str> = Brand::ALL.iter().map(|b| b.as_str()).collect();
    assert_eq!(
        names,
        [
            "visa",
            "mastercard",
            "amex",
            "jcb",
            "unionpay",
            "diners",
            "discover",
            "domestic"
        ]
    );
    for b in Brand::ALL {
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            format!("\"{}\"", b.as_str())
        );
    }
}
