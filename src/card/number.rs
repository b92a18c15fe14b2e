//! The card number: normalisation, Luhn, brands, grouping, masking and
//! caret-preserving as-you-type formatting.

use core::fmt;

use serde::Serialize;

use crate::error::{ErrorCode, FieldError, Locale};

/// The most digits any supported card number has.
pub const MAX_DIGITS: usize = 19;

/// A card brand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Brand {
    /// Visa: prefix 4; 13, 16 or 19 digits.
    Visa,
    /// Mastercard: 51–55 and 2221–2720; 16 digits.
    Mastercard,
    /// American Express: 34, 37; 15 digits.
    Amex,
    /// JCB: 3528–3589; 16–19 digits.
    Jcb,
    /// UnionPay: 62; 16–19 digits.
    Unionpay,
    /// Diners Club: 300–305, 36, 38, 39; 14–19 digits.
    Diners,
    /// Discover: 6011, 644–649, 65; 16–19 digits.
    Discover,
    /// Korean domestic-only cards: prefix 9; 16 digits.
    Domestic,
}

impl Brand {
    /// Every brand, in the order `possibleBrands` lists them.
    pub const ALL: [Brand; 8] = [
        Brand::Visa,
        Brand::Mastercard,
        Brand::Amex,
        Brand::Jcb,
        Brand::Unionpay,
        Brand::Diners,
        Brand::Discover,
        Brand::Domestic,
    ];

    /// The lowercase name used in JS (`"visa"`, `"domestic"`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            Brand::Visa => "visa",
            Brand::Mastercard => "mastercard",
            Brand::Amex => "amex",
            Brand::Jcb => "jcb",
            Brand::Unionpay => "unionpay",
            Brand::Diners => "diners",
            Brand::Discover => "discover",
            Brand::Domestic => "domestic",
        }
    }

    const fn spec(self) -> &'static Spec {
        &SPECS[self as usize]
    }

    /// Whether a number of this brand may have `len` digits.
    pub const fn accepts_length(self, len: usize) -> bool {
        len <= MAX_DIGITS && self.spec().lengths & (1 << len) != 0
    }

    /// The shortest number this brand issues.
    pub const fn min_length(self) -> usize {
        self.spec().lengths.trailing_zeros() as usize
    }

    /// The longest number this brand issues.
    pub const fn max_length(self) -> usize {
        // Highest set bit of the length mask.
        31 - self.spec().lengths.leading_zeros() as usize
    }
}

/// Prefix ranges (inclusive, both of `digits` digits) and the allowed lengths as a bit mask.
struct Spec {
    ranges: &'static [(u32, u32, u8)],
    lengths: u32,
}

const fn lens(list: &[usize]) -> u32 {
    let mut mask = 0;
    let mut i = 0;
    while i < list.len() {
        mask |= 1 << list[i];
        i += 1;
    }
    mask
}

/// Indexed by `Brand as usize`.
const SPECS: [Spec; 8] = [
    Spec {
        ranges: &[(4, 4, 1)],
        lengths: lens(&[13, 16, 19]),
    },
    Spec {
        ranges: &[(51, 55, 2), (2221, 2720, 4)],
        lengths: lens(&[16]),
    },
    Spec {
        ranges: &[(34, 34, 2), (37, 37, 2)],
        lengths: lens(&[15]),
    },
    Spec {
        ranges: &[(3528, 3589, 4)],
        lengths: lens(&[16, 17, 18, 19]),
    },
    Spec {
        ranges: &[(62, 62, 2)],
        lengths: lens(&[16, 17, 18, 19]),
    },
    Spec {
        ranges: &[(300, 305, 3), (36, 36, 2), (38, 39, 2)],
        lengths: lens(&[14, 15, 16, 17, 18, 19]),
    },
    Spec {
        ranges: &[(6011, 6011, 4), (644, 649, 3), (65, 65, 2)],
        lengths: lens(&[16, 17, 18, 19]),
    },
    Spec {
        ranges: &[(9, 9, 1)],
        lengths: lens(&[16]),
    },
];

/// The digits of a card number as read from loose input. Holds at most
/// [`MAX_DIGITS`] digits; its `Debug` shows only the masked form.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct CardDigits {
    buf: [u8; MAX_DIGITS],
    len: u8,
}

impl CardDigits {
    /// The digits as ASCII bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len as usize]
    }

    /// The digits as a string slice.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored, so this cannot fail; fall back to "" regardless.
        core::str::from_utf8(self.as_bytes()).unwrap_or("")
    }

    /// How many digits there are.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// Whether no digit was read.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl fmt::Debug for CardDigits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CardDigits")
            .field(&mask(self, None, '-'))
            .finish()
    }
}

/// The outcome of reading loose input.
#[derive(Clone, Copy)]
struct Scan {
    digits: CardDigits,
    /// A character other than a digit, whitespace or `-` was found.
    bad_char: bool,
    /// More than [`MAX_DIGITS`] digits.
    overflow: bool,
}

/// Reads digits, stopping at the first bad character or the 20th digit, so a
/// megabyte of input costs no more than a card number.
fn scan(input: &str) -> Scan {
    let mut digits = CardDigits {
        buf: [0; MAX_DIGITS],
        len: 0,
    };
    // The common case, digits only: one tight loop.
    let raw = input.as_bytes();
    if raw.len() <= MAX_DIGITS && raw.iter().all(u8::is_ascii_digit) {
        digits.buf[..raw.len()].copy_from_slice(raw);
        digits.len = raw.len() as u8;
        return Scan {
            digits,
            bad_char: false,
            overflow: false,
        };
    }
    let mut bytes = input.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'0'..=b'9' => {
                if digits.len as usize == MAX_DIGITS {
                    return Scan {
                        digits,
                        bad_char: false,
                        overflow: true,
                    };
                }
                digits.buf[digits.len as usize] = b;
                digits.len += 1;
            }
            b' ' | b'-' | b'\t' | b'\n' | b'\r' => {}
            0x80.. => {
                // Non-ASCII: only Unicode whitespace (a pasted NBSP, say) is a separator.
                // Re-decode from this byte; `input` is valid UTF-8, so the char starts here.
                let at = input.len() - bytes.len() - 1;
                match input.get(at..).and_then(|rest| rest.chars().next()) {
                    Some(c) if c.is_whitespace() => {
                        for _ in 1..c.len_utf8() {
                            bytes.next();
                        }
                    }
                    _ => {
                        return Scan {
                            digits,
                            bad_char: true,
                            overflow: false,
                        }
                    }
                }
            }
            _ => {
                return Scan {
                    digits,
                    bad_char: true,
                    overflow: false,
                }
            }
        }
    }
    Scan {
        digits,
        bad_char: false,
        overflow: false,
    }
}

/// Powers of ten for prefix scaling (a table: `u32::pow` is a loop, on every keystroke).
const POW10: [u32; 10] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
];

/// The brands the digits so far could still become, as a bit set over `Brand as usize`.
/// Every prefix range is at most 4 digits long, so the first 6 digits decide.
fn possible_set(d: &CardDigits) -> u8 {
    let k = d.len().min(6);
    // prefix[j]: the value of the first j digits.
    let mut prefix = [0u32; 7];
    for (j, &b) in d.as_bytes()[..k].iter().enumerate() {
        prefix[j + 1] = prefix[j] * 10 + u32::from(b - b'0');
    }
    let p = prefix[k];
    let mut set = 0u8;
    for b in Brand::ALL {
        for &(lo, hi, n) in b.spec().ranges {
            let n = n as usize;
            let hit = if k >= n {
                let v = prefix[n];
                lo <= v && v <= hi
            } else {
                // Could the digits so far grow into the range?
                let scale = POW10[n - k];
                let v = p * scale;
                v <= hi && v + scale > lo
            };
            if hit {
                set |= 1 << b as usize;
                break;
            }
        }
    }
    set
}

fn brands_of(set: u8) -> Vec<Brand> {
    Brand::ALL
        .into_iter()
        .filter(|b| set & (1 << *b as usize) != 0)
        .collect()
}

/// The single brand of a set, if it has exactly one.
fn only_brand(set: u8) -> Option<Brand> {
    if set.count_ones() == 1 {
        Some(Brand::ALL[set.trailing_zeros() as usize])
    } else {
        None
    }
}

/// The Luhn (mod 10) check over ASCII digits.
pub fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(d - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

/// Positions after which a separator goes, for a brand and a digit count.
/// Iamport's grouping: 4-4-4-4(-3), amex 4-6-5, 14-digit 4-6-4.
fn gaps(brand: Option<Brand>, len: usize) -> &'static [usize] {
    match brand {
        Some(Brand::Amex) => &[4, 10],
        // 14-digit numbers (only Diners issues them) are 4-6-4; longer Diners 4-4-4-4-x.
        Some(Brand::Diners) if len <= 14 => &[4, 10],
        _ => &[4, 8, 12, 16],
    }
}

fn group(digits: &[u8], brand: Option<Brand>, sep: char) -> String {
    let gaps = gaps(brand, digits.len());
    let mut out = String::with_capacity(digits.len() + gaps.len());
    for (i, &d) in digits.iter().enumerate() {
        if i > 0 && gaps.contains(&i) {
            out.push(sep);
        }
        out.push(d as char);
    }
    out
}

/// The masked, grouped form: at most the first 6 and last 4 digits are shown,
/// and only for numbers of 13 digits or more; shorter input is masked whole.
fn mask(d: &CardDigits, brand: Option<Brand>, sep: char) -> String {
    let n = d.len();
    let mut masked = [b'*'; MAX_DIGITS];
    if n >= 13 {
        masked[..6].copy_from_slice(&d.as_bytes()[..6]);
        masked[n - 4..n].copy_from_slice(&d.as_bytes()[n - 4..]);
    }
    group(&masked[..n], brand, sep)
}

/// Masks a card number given in any loose form, for logs and displays.
/// Returns `None` when the input holds no digits.
pub fn mask_card_number(input: &str) -> Option<String> {
    let s = scan(input);
    if s.digits.is_empty() {
        return None;
    }
    let brand = only_brand(possible_set(&s.digits));
    Some(mask(&s.digits, brand, '-'))
}

/// The result of [`check_card_number`]. Its `Debug` never shows the full number.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CardNumberCheck {
    /// A complete, well-formed number of a known brand that passes Luhn.
    pub is_valid: bool,
    /// Valid, or could still become valid by typing more digits.
    pub is_potentially_valid: bool,
    /// Why it is not valid (`None` when valid).
    pub error: Option<FieldError>,
    /// The digits read (separators removed; at most 19).
    pub digits: String,
    /// The digits in Iamport's dash grouping (`dddd-dddd-dddd-dddd`).
    pub formatted: String,
    /// The grouped form with all but the first 6 and last 4 digits hidden.
    pub masked: String,
    /// The brand, once only one is possible.
    pub brand: Option<Brand>,
    /// Every brand the digits so far could still be.
    pub possible_brands: Vec<Brand>,
}

impl fmt::Debug for CardNumberCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardNumberCheck")
            .field("is_valid", &self.is_valid)
            .field("is_potentially_valid", &self.is_potentially_valid)
            .field("error", &self.error)
            .field("masked", &self.masked)
            .field("brand", &self.brand)
            .field("possible_brands", &self.possible_brands)
            .finish_non_exhaustive()
    }
}

/// The verdict on a number, without building any strings.
struct Verdict {
    digits: CardDigits,
    set: u8,
    error: Option<ErrorCode>,
    potentially_valid: bool,
}

fn judge(input: &str) -> Verdict {
    let s = scan(input);
    let d = s.digits;
    let set = possible_set(&d);
    let (error, potentially_valid) = if s.bad_char {
        (Some(ErrorCode::CardNumberInvalidCharacter), false)
    } else if s.overflow {
        (Some(ErrorCode::CardNumberInvalidLength), false)
    } else if d.is_empty() {
        (Some(ErrorCode::Required), true)
    } else if set == 0 {
        (Some(ErrorCode::CardNumberUnknownBrand), false)
    } else {
        let n = d.len();
        let mut could_grow = false;
        let mut length_ok = false;
        let mut too_short = true;
        for b in Brand::ALL {
            if set & (1 << b as usize) != 0 {
                length_ok |= b.accepts_length(n);
                could_grow |= n < b.max_length();
                too_short &= n < b.min_length();
            }
        }
        // Every accepted length is longer than every prefix range, so a brand in
        // `set` that accepts `n` has its prefix fully matched.
        if length_ok && luhn(d.as_bytes()) {
            (None, true)
        } else if length_ok {
            (Some(ErrorCode::CardNumberLuhn), could_grow)
        } else if too_short {
            (Some(ErrorCode::Incomplete), true)
        } else {
            (Some(ErrorCode::CardNumberInvalidLength), could_grow)
        }
    };
    Verdict {
        digits: d,
        set,
        error,
        potentially_valid,
    }
}

/// Checks a card number typed or pasted in any loose form.
///
/// Digits may be separated by spaces (any Unicode whitespace) and dashes; any
/// other character makes the number invalid. It never panics, and reads at most
/// 20 digits of input however long it is.
///
/// # Example
/// ```
/// use iamport_keyin::card::number::{check_card_number, Brand};
/// use iamport_keyin::Locale;
/// let c = check_card_number("4111 1111 1111 1111", Locale::Ko);
/// assert!(c.is_valid);
/// assert_eq!(c.brand, Some(Brand::Visa));
/// assert_eq!(c.formatted, "4111-1111-1111-1111");
/// assert_eq!(c.masked, "4111-11**-****-1111");
/// ```
pub fn check_card_number(input: &str, locale: Locale) -> CardNumberCheck {
    let v = judge(input);
    let brand = only_brand(v.set);
    CardNumberCheck {
        is_valid: v.error.is_none(),
        is_potentially_valid: v.potentially_valid,
        error: v
            .error
            .map(|code| FieldError::new("card_number", code, locale)),
        digits: v.digits.as_str().to_owned(),
        formatted: group(v.digits.as_bytes(), brand, '-'),
        masked: mask(&v.digits, brand, '-'),
        brand,
        possible_brands: brands_of(v.set),
    }
}

impl CardNumberCheck {
    /// A result for input that could not be read at all (a wrong type, a bad option).
    pub fn rejected(error: FieldError) -> Self {
        CardNumberCheck {
            is_valid: false,
            is_potentially_valid: false,
            error: Some(error),
            digits: String::new(),
            formatted: String::new(),
            masked: String::new(),
            brand: None,
            possible_brands: Vec::new(),
        }
    }
}

/// [`check_card_number`]'s verdict as one number, for the JS entry's fast path
/// (`pkg-template/facade.js` builds the result object from it; tests compare the
/// two paths). No strings are built here. Layout, from bit 0:
///
/// | bits  | field |
/// |-------|-------|
/// | 0     | `isValid` |
/// | 1     | `isPotentiallyValid` |
/// | 2–8   | error: 0 none, else the index in [`ErrorCode::ALL`] + 1 |
/// | 9–12  | `brand`: 0 none, else the index in [`Brand::ALL`] + 1 |
/// | 13–20 | `possibleBrands`: bit *i* is `Brand::ALL[i]` |
/// | 21–25 | how many digits were read |
/// | 26    | the input is exactly those digits (else ask [`card_digits`]) |
/// | 27    | grouped 4-6-x (else 4-4-4-4-x) |
/// | 28    | the mask shows the first 6 and last 4 digits (else none) |
pub fn check_card_number_packed(input: &str) -> u32 {
    let v = judge(input);
    let brand = only_brand(v.set);
    let n = v.digits.len();
    let error = v.error.map_or(0, |code| code.index() + 1);
    let brand_bits = brand.map_or(0, |b| b as u32 + 1);
    u32::from(v.error.is_none())
        | u32::from(v.potentially_valid) << 1
        | error << 2
        | brand_bits << 9
        | u32::from(v.set) << 13
        | (n as u32) << 21
        | u32::from(n == input.len()) << 26
        | u32::from(gaps(brand, n)[1] == 10) << 27
        | u32::from(n >= 13) << 28
}

/// The digits [`check_card_number`] reads from loose input (its `digits`).
pub fn card_digits(input: &str) -> String {
    scan(input).digits.as_str().to_owned()
}

/// The lean form of [`check_card_number`]: only whether the number is valid.
pub fn is_valid_card_number(input: &str) -> bool {
    judge(input).error.is_none()
}

/// The digits of a valid card number, for building wire requests.
///
/// # Errors
/// The error code of [`check_card_number`] when the number is not valid.
pub fn parse_card_number(input: &str) -> Result<(CardDigits, Brand), ErrorCode> {
    let v = judge(input);
    match (v.error, only_brand(v.set)) {
        (None, Some(brand)) => Ok((v.digits, brand)),
        (Some(code), _) => Err(code),
        // Unreachable for a valid number (ranges never overlap), kept total.
        (None, None) => Err(ErrorCode::CardNumberUnknownBrand),
    }
}

/// Iamport's wire form of valid digits: dash-grouped.
pub fn wire_form(digits: &CardDigits, brand: Brand) -> String {
    group(digits.as_bytes(), Some(brand), '-')
}

/// The result of [`format_card_number_input`].
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct FormattedInput {
    /// The new field value: digits grouped with spaces.
    pub value: String,
    /// The new caret position, in UTF-16 code units (what JS `selectionStart` uses).
    pub caret: usize,
}

impl fmt::Debug for FormattedInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FormattedInput")
            .field("value", &"<redacted>")
            .field("caret", &self.caret)
            .finish()
    }
}

/// Reformats a card-number field as the user types, keeping the caret beside
/// the same digit.
///
/// `caret` is the field's `selectionStart` in UTF-16 code units; values past the
/// end are clamped. Characters other than ASCII digits are dropped (this is an
/// input filter; [`check_card_number`] is what judges), digits beyond the
/// brand's longest length are dropped, and the digits are grouped with spaces
/// in Iamport's grouping.
pub fn format_card_number_input(value: &str, caret: usize) -> FormattedInput {
    let mut digits = CardDigits {
        buf: [0; MAX_DIGITS],
        len: 0,
    };
    let mut before_caret = 0usize;
    let mut pos16 = 0usize;
    for c in value.chars() {
        if c.is_ascii_digit() && (digits.len as usize) < MAX_DIGITS {
            digits.buf[digits.len as usize] = c as u8;
            digits.len += 1;
            if pos16 < caret {
                before_caret += 1;
            }
        }
        pos16 += c.len_utf16();
    }
    let set = possible_set(&digits);
    let brand = only_brand(set);
    let max = Brand::ALL
        .into_iter()
        .filter(|b| set & (1 << *b as usize) != 0)
        .map(Brand::max_length)
        .max()
        .unwrap_or(MAX_DIGITS);
    digits.len = digits.len.min(max as u8);
    let n = digits.len();
    let keep = before_caret.min(n);
    let value = group(digits.as_bytes(), brand, ' ');
    let caret = if keep == 0 {
        0
    } else {
        // Index just after the keep-th digit: digits plus the separators before it.
        let gaps = gaps(brand, n);
        keep + gaps.iter().filter(|&&g| g < keep).count()
    };
    FormattedInput { value, caret }
}

#[cfg(test)]
mod tests {
    /// The packed verdict decodes to exactly what `check_card_number` says.
    #[test]
    fn packed_agrees_with_the_full_check() {
        let mut inputs: Vec<String> = vec![
            String::new(),
            " ".into(),
            "4".into(),
            "4111 1111 1111 1111".into(),
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
            assert_eq!(p & 1 == 1, full.is_valid, "{input:?}");
            assert_eq!(p & 2 == 2, full.is_potentially_valid);
            let code = (p >> 2) & 0x7f;
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
            assert_eq!(p & (1 << 26) != 0, full.digits == *input);
            assert_eq!(card_digits(input), full.digits);
            // 4-6-x grouping puts the second dash after 10 digits (11 characters).
            if n > 10 {
                assert_eq!(
                    p & (1 << 27) != 0,
                    full.formatted.as_bytes()[11] == b'-',
                    "{input:?}"
                );
            }
            assert_eq!(p & (1 << 28) != 0, !full.masked.starts_with('*') && n > 0);
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
            assert!(c.is_valid, "{n} should be valid: {c:?}");
            assert!(c.is_potentially_valid);
            assert_eq!(c.brand, Some(b), "{n}");
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
            assert!(c.is_valid, "{s:?}");
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
            assert!(!c.is_valid, "{input:?}");
            assert!(c.is_potentially_valid, "{input:?}");
            assert_eq!(c.possible_brands, brands, "{input:?}");
            assert_eq!(c.brand, brand, "{input:?}");
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
            assert!(!c.is_valid, "{input:?}");
            assert!(!c.is_potentially_valid, "{input:?}");
            assert_eq!(c.error.unwrap().code, code, "{input:?}");
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
            assert_eq!(f.value, want, "{value:?}@{caret}");
            assert_eq!(f.caret, want_caret, "{value:?}@{caret}");
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
}
