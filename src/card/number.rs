//! The card number: normalisation, Luhn, brands, grouping, masking and
//! caret-preserving as-you-type formatting.

use core::fmt;

use serde::Serialize;

use crate::error::{ErrorCode, FieldError, Locale};

mod brand;
mod input;

use super::unicode::ascii_string;
use crate::prelude::*;
pub use brand::Brand;
use brand::{brands_of, lengths_of, only_brand, possible_set};
pub use input::{format_card_number_input, is_complete_number, FormattedInput};

/// The most digits any supported card number has.
pub const MAX_DIGITS: usize = 19;

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
        // (`len` never passes the buffer; `get` only keeps a panic path out.)
        self.buf.get(..self.len as usize).unwrap_or_default()
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

    /// A copy of `digits` (ASCII digits; at most [`MAX_DIGITS`] are kept).
    fn copy_of(digits: &[u8]) -> Self {
        let mut c = CardDigits {
            buf: [0; MAX_DIGITS],
            len: 0,
        };
        for (slot, &d) in c.buf.iter_mut().zip(digits) {
            *slot = d;
            c.len += 1;
        }
        c
    }
}

impl fmt::Debug for CardDigits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CardDigits")
            .field(&mask(self, None))
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

/// The ASCII separators between a number's digits (non-ASCII whitespace is one too).
fn is_ascii_separator(b: u8) -> bool {
    matches!(b, b' ' | b'-' | b'\t' | b'\n' | b'\r')
}

/// Reads digits, stopping at the first bad character or the 20th digit, so a
/// megabyte of input costs no more than a card number. The general reader: every
/// path reads through [`with_digits`], which takes the common forms without it.
fn scan(input: &[u8]) -> Scan {
    let mut digits = CardDigits {
        buf: [0; MAX_DIGITS],
        len: 0,
    };
    let mut bytes = input.iter().copied();
    while let Some(b) = bytes.next() {
        match b {
            b'0'..=b'9' => {
                let Some(slot) = digits.buf.get_mut(digits.len as usize) else {
                    // A 20th digit.
                    return Scan {
                        digits,
                        bad_char: false,
                        overflow: true,
                    };
                };
                *slot = b;
                digits.len += 1;
            }
            b if is_ascii_separator(b) => {}
            0x80.. => {
                // Non-ASCII: only Unicode whitespace (a pasted NBSP, say) is a separator.
                // A character starts at this byte when `input` is UTF-8 (bytes that
                // are not are no whitespace: a bad character).
                let at = input.len() - bytes.len() - 1;
                match super::unicode::space_at(input.get(at..).unwrap_or_default()) {
                    0 => {
                        return Scan {
                            digits,
                            bad_char: true,
                            overflow: false,
                        }
                    }
                    n => {
                        for _ in 1..n {
                            bytes.next();
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

/// The Luhn (mod 10) check over ASCII digits.
pub fn luhn(digits: &[u8]) -> bool {
    // A doubled digit's digit sum, by digit.
    const DOUBLED: [u8; 10] = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9];
    let mut sum = 0u32;
    let mut double = false;
    for &d in digits.iter().rev() {
        let v = d.wrapping_sub(b'0');
        sum += u32::from(match DOUBLED.get(usize::from(v)) {
            Some(&twice) if double => twice,
            _ => v,
        });
        double = !double;
    }
    sum % 10 == 0
}

/// [`layout_into`] for the most common number, 16 digits grouped 4-4-4-4, as
/// straight-line code: the per-keystroke check's fast case (tests compare the two).
fn layout16(d: &[u8; 16], out: &mut [u8; 38]) {
    let [a0, a1, a2, a3, b0, b1, b2, b3, c0, c1, c2, c3, e0, e1, e2, e3] = *d;
    let (s, x) = (b'-', b'*');
    *out = [
        a0, a1, a2, a3, s, b0, b1, b2, b3, s, c0, c1, c2, c3, s, e0, e1, e2, e3, // formatted
        a0, a1, a2, a3, s, b0, b1, x, x, s, x, x, x, x, s, e0, e1, e2, e3, // masked
    ];
}

/// The usual grouping (see [`gaps`]).
const GAPS_4444: &[usize] = &[4, 8, 12, 16];

/// Positions after which a separator goes, for a brand and a digit count.
/// Iamport's grouping: 4-4-4-4(-3), amex 4-6-5, 14-digit 4-6-4.
fn gaps(brand: Option<Brand>, len: usize) -> &'static [usize] {
    match brand {
        Some(Brand::Amex) => &[4, 10],
        // 14-digit numbers (only Diners issues them) are 4-6-4; longer Diners 4-4-4-4-x.
        Some(Brand::Diners) if len <= 14 => &[4, 10],
        _ => GAPS_4444,
    }
}

/// The most characters a grouped number has: [`MAX_DIGITS`] digits and 4 separators.
pub const MAX_GROUPED: usize = MAX_DIGITS + 4;

/// Iamport's layout of `digits` (ASCII), written to `out` in one pass: `formatted`
/// (the digits grouped, `sep` between groups), then `masked` (the same with at
/// most the first 6 and last 4 digits shown, and only for numbers of 13 digits or
/// more: shorter input is masked whole). Returns *L*, the length of each; `out`
/// holds both when it has 2 × [`MAX_GROUPED`] bytes. Plain loops: the fast path
/// runs this on every keystroke.
fn layout_into(digits: &[u8], brand: Option<Brand>, sep: u8, out: &mut [u8]) -> usize {
    let n = digits.len();
    // Bit i: a separator goes before digit i.
    let before = gaps(brand, n)
        .iter()
        .filter(|&&g| g < n)
        .fold(0u32, |m, &g| m | 1 << g);
    let l = n + before.count_ones() as usize;
    // The digits shown in `masked`: the first 6 and last 4 of 13 or more, else none.
    let (first, last) = if n >= 13 { (6, n - 4) } else { (0, n) };
    // (Checked: the optimizer lost sight of `l ≤ len` and kept split_at_mut's panic.)
    let (formatted, masked) = out
        .split_at_mut_checked(l.min(out.len()))
        .unwrap_or_default();
    let mut j = 0;
    for (i, &d) in digits.iter().enumerate() {
        if before >> i & 1 != 0 {
            if let (Some(a), Some(b)) = (formatted.get_mut(j), masked.get_mut(j)) {
                *a = sep;
                *b = sep;
            }
            j += 1;
        }
        if let (Some(a), Some(b)) = (formatted.get_mut(j), masked.get_mut(j)) {
            *a = d;
            *b = if i < first || i >= last { d } else { b'*' };
        }
        j += 1;
    }
    l
}

/// `formatted` and `masked` (see [`layout_into`]) as strings.
fn layout(digits: &[u8], brand: Option<Brand>, sep: u8) -> (String, String) {
    let mut buf = [0u8; 2 * MAX_GROUPED];
    let l = layout_into(digits, brand, sep, &mut buf);
    let (formatted, masked) = buf.split_at_checked(l.min(MAX_GROUPED)).unwrap_or_default();
    (
        ascii_string(formatted),
        ascii_string(masked.get(..l).unwrap_or_default()),
    )
}

fn group(digits: &[u8], brand: Option<Brand>, sep: u8) -> String {
    layout(digits, brand, sep).0
}

fn mask(d: &CardDigits, brand: Option<Brand>) -> String {
    layout(d.as_bytes(), brand, b'-').1
}

/// Masks a card number given in any loose form, for logs and displays.
/// Returns `None` when the input holds no digits.
pub fn mask_card_number(input: &str) -> Option<String> {
    let (digits, v) = judge(input.as_bytes());
    (!digits.is_empty()).then(|| mask(&digits, only_brand(v.set)))
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

/// The verdict on the digits read, with what the read found.
#[derive(Clone, Copy)]
struct Judged {
    set: u8,
    error: Option<ErrorCode>,
    potentially_valid: bool,
}

fn judge_digits(d: &[u8], bad_char: bool, overflow: bool) -> Judged {
    let set = possible_set(d);
    let (error, potentially_valid) = if bad_char {
        (Some(ErrorCode::CardNumberInvalidCharacter), false)
    } else if overflow {
        (Some(ErrorCode::CardNumberInvalidLength), false)
    } else if d.is_empty() {
        (Some(ErrorCode::Required), true)
    } else if set == 0 {
        (Some(ErrorCode::CardNumberUnknownBrand), false)
    } else {
        // What the brands still possible issue, as one mask of lengths (bit n: n digits).
        let n = d.len();
        let lengths = lengths_of(set);
        let length_ok = lengths & (1 << n) != 0;
        let could_grow = lengths >> n > 1;
        let too_short = lengths & ((2 << n) - 1) == 0;
        // Every accepted length is longer than every prefix range, so a brand in
        // `set` that accepts `n` has its prefix fully matched.
        if length_ok && luhn(d) {
            (None, true)
        } else if length_ok {
            (Some(ErrorCode::CardNumberLuhn), could_grow)
        } else if too_short {
            (Some(ErrorCode::Incomplete), true)
        } else {
            (Some(ErrorCode::CardNumberInvalidLength), could_grow)
        }
    };
    Judged {
        set,
        error,
        potentially_valid,
    }
}

/// The digits read from `input` (a copy) and the verdict on them, without building any
/// strings.
fn judge(input: &[u8]) -> (CardDigits, Judged) {
    with_verdict(input, |d, v| (CardDigits::copy_of(d), v))
}

/// Reads `input`, for every path (the full check, masking, the per-keystroke fast
/// path): `f` gets the digits read, whether a bad character stopped the read, and
/// whether there were too many digits, as [`scan`] reads them (a test compares the
/// two). Digits that start the input are read where they lie, without a copy.
///
/// Those shortcuts are for speed only, and only the builds with the per-keystroke fast
/// path have them: the checks-only build (no `full` feature) is built for size, and
/// reads everything with `scan`, to the same digits.
fn with_digits<R>(input: &[u8], f: impl FnOnce(&[u8], bool, bool) -> R) -> R {
    #[cfg(feature = "full")]
    {
        let r = read(input);
        let digits = match &r.digits {
            Found::InPlace(d) => d,
            Found::Copied(c) => c.as_bytes(),
        };
        f(digits, r.bad_char, r.overflow)
    }
    #[cfg(not(feature = "full"))]
    {
        let s = scan(input);
        f(s.digits.as_bytes(), s.bad_char, s.overflow)
    }
}

/// Where the digits [`read`] found are.
#[cfg(feature = "full")]
enum Found<'a> {
    /// A prefix of the input, read in place.
    InPlace(&'a [u8]),
    /// Copied out of the input.
    Copied(CardDigits),
}

/// What [`read`] found: the digits, whether a bad character stopped the read, and
/// whether there were too many digits.
#[cfg(feature = "full")]
struct Read<'a> {
    digits: Found<'a>,
    bad_char: bool,
    overflow: bool,
}

/// [`with_digits`]'s reading: one function, however many readers (not inlined into
/// each: the shortcuts are the larger part).
#[cfg(feature = "full")]
#[inline(never)]
fn read(raw: &[u8]) -> Read<'_> {
    let in_place = |d, bad_char, overflow| Read {
        digits: Found::InPlace(d),
        bad_char,
        overflow,
    };
    // Leading digits, then the end or a plain bad character, are read in place (a
    // prefix of `raw`), as `scan` would read them: more than MAX_DIGITS is an
    // overflow at the 20th digit, whatever follows.
    let k = raw
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(raw.len());
    if let Some(first) = raw.get(..MAX_DIGITS).filter(|_| k > MAX_DIGITS) {
        return in_place(first, false, true);
    }
    match raw.get(k) {
        None => return in_place(raw, false, false),
        // A separator, or non-ASCII (maybe Unicode whitespace): `scan` reads on.
        Some(&b) if is_ascii_separator(b) || !b.is_ascii() => {}
        Some(_) => return in_place(raw.get(..k).unwrap_or_default(), true, false),
    }
    if let Some(d) = grouped_4444(raw) {
        return Read {
            digits: Found::Copied(CardDigits::copy_of(&d)),
            bad_char: false,
            overflow: false,
        };
    }
    let s = scan(raw);
    Read {
        digits: Found::Copied(s.digits),
        bad_char: s.bad_char,
        overflow: s.overflow,
    }
}

/// The 16 digits of `dddd-dddd-dddd-dddd` or `dddd dddd dddd dddd`, the form a
/// formatting field leaves and a pasted number often has; `None` for anything else
/// (which [`scan`] reads, to the same digits when it is this form).
#[cfg(feature = "full")]
fn grouped_4444(raw: &[u8]) -> Option<[u8; 16]> {
    let g = raw.first_chunk::<19>().filter(|_| raw.len() == 19)?;
    let sep = g[4];
    if !(sep == b'-' || sep == b' ') || g[9] != sep || g[14] != sep {
        return None;
    }
    let [a0, a1, a2, a3, _, b0, b1, b2, b3, _, c0, c1, c2, c3, _, e0, e1, e2, e3] = *g;
    let d = [
        a0, a1, a2, a3, b0, b1, b2, b3, c0, c1, c2, c3, e0, e1, e2, e3,
    ];
    d.iter().all(u8::is_ascii_digit).then_some(d)
}

/// `a == b`, eight bytes at a time: at a card number's lengths a byte-wise `memcmp`
/// call costs more than the rest of the check's bookkeeping.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut a, mut b) = (a, b);
    while let (Some((x, ra)), Some((y, rb))) =
        (a.split_first_chunk::<8>(), b.split_first_chunk::<8>())
    {
        if u64::from_ne_bytes(*x) != u64::from_ne_bytes(*y) {
            return false;
        }
        (a, b) = (ra, rb);
    }
    a.iter().zip(b).all(|(x, y)| x == y)
}

/// [`with_digits`], with the verdict on the digits.
fn with_verdict<R>(input: &[u8], f: impl FnOnce(&[u8], Judged) -> R) -> R {
    with_digits(input, |d, bad_char, overflow| {
        f(d, judge_digits(d, bad_char, overflow))
    })
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
    let (digits, v) = judge(input.as_bytes());
    let brand = only_brand(v.set);
    let (formatted, masked) = layout(digits.as_bytes(), brand, b'-');
    CardNumberCheck {
        is_valid: v.error.is_none(),
        is_potentially_valid: v.potentially_valid,
        error: v
            .error
            .map(|code| FieldError::new("card_number", code, locale)),
        digits: ascii_string(digits.as_bytes()),
        formatted,
        masked,
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
/// (`pkg-template/fast.js` builds the result object from it and from the text of
/// [`check_card_number_text`]; tests compare the two paths). Nothing is allocated.
/// Layout, from bit 0:
///
/// | bits  | field |
/// |-------|-------|
/// | 0     | `isValid` |
/// | 1     | `isPotentiallyValid` |
/// | 2–7   | error: 0 none, else the index in [`ErrorCode::ALL`] + 1 |
/// | 8     | `formatted` is the input (typed or pasted already formatted) |
/// | 9–12  | `brand`: 0 none, else the index in [`Brand::ALL`] + 1 |
/// | 13–20 | `possibleBrands`: bit *i* is `Brand::ALL[i]` |
/// | 21–25 | *n*: the length of `digits` |
/// | 26    | `digits` are the input's first *n* characters (the input itself when *n* is its length) |
/// | 27–31 | *L*: the length of `formatted`, which is also that of `masked` |
pub fn check_card_number_packed(input: &str) -> u32 {
    check_card_number_text(input, &mut [0; TEXT_MAX])
}

// The packed error field is 6 bits wide (index + 1, 0 for none).
const _: () = assert!(ErrorCode::ALL.len() < 64);

/// The most bytes [`check_card_number_text`] writes.
pub const TEXT_MAX: usize = MAX_DIGITS + 2 * MAX_GROUPED;

/// [`check_card_number_packed`], plus the result's strings written to `out` as
/// ASCII, back to back: `digits` (*n* bytes; left out when bit 26 says that they are
/// the input's first *n* characters), `formatted` (*L* bytes), `masked` (*L* bytes), *n* and *L* as
/// the packed verdict gives them. The JS entry's fast path reads them as they
/// are: every layout is decided here.
pub fn check_card_number_text(input: &str, out: &mut [u8; TEXT_MAX]) -> u32 {
    card_number_text(input.as_bytes(), out)
}

/// [`check_card_number_text`] on bytes (the fast path's scratch input: no UTF-8 to
/// validate, as every reader here reads bytes).
pub(crate) fn card_number_text(input: &[u8], out: &mut [u8; TEXT_MAX]) -> u32 {
    with_verdict(input, |digits, v| {
        let brand = only_brand(v.set);
        let n = digits.len();
        // Read in place (`with_digits`): the JS entry takes them from the input.
        let prefix = core::ptr::eq(digits.as_ptr(), input.as_ptr());
        let mut at = 0;
        if !prefix {
            for (slot, &b) in out.iter_mut().zip(digits) {
                *slot = b;
            }
            at = n;
        }
        // n ≤ MAX_DIGITS and L ≤ MAX_GROUPED: each part has its room in `out`.
        let rest = out.get_mut(at..).unwrap_or_default();
        let l = match (digits.first_chunk::<16>(), rest.first_chunk_mut::<38>()) {
            (Some(d), Some(rest)) if n == 16 && gaps(brand, n) == GAPS_4444 => {
                layout16(d, rest);
                19
            }
            _ => layout_into(digits, brand, b'-', rest),
        };
        let error = v.error.map_or(0, |code| code.index() + 1);
        let brand_bits = brand.map_or(0, |b| b as u32 + 1);
        // What a form that formats as the user types checks: the JS entry then hands
        // back the input itself instead of making the same string again.
        let formatted_is_input = rest.get(..l).is_some_and(|f| same_bytes(f, input));
        u32::from(v.error.is_none())
            | u32::from(v.potentially_valid) << 1
            | error << 2
            | u32::from(formatted_is_input) << 8
            | brand_bits << 9
            | u32::from(v.set) << 13
            | (n as u32) << 21
            | u32::from(prefix) << 26
            | (l as u32) << 27
    })
}

/// The lean form of [`check_card_number`]: only whether the number is valid.
pub fn is_valid_card_number(input: &str) -> bool {
    is_valid_bytes(input.as_bytes())
}

/// [`is_valid_card_number`] on bytes (the fast path's).
pub(crate) fn is_valid_bytes(input: &[u8]) -> bool {
    with_verdict(input, |_, v| v.error.is_none())
}

/// The lean form of [`check_card_number`]'s `brand`: the brand once only one is
/// possible (a full number's brand), else `None`.
pub fn card_brand(input: &str) -> Option<Brand> {
    brand_of_bytes(input.as_bytes())
}

/// [`card_brand`] on bytes (the fast path's).
pub(crate) fn brand_of_bytes(input: &[u8]) -> Option<Brand> {
    with_digits(input, |d, _, _| only_brand(possible_set(d)))
}

/// The digits of a valid card number, for building wire requests.
///
/// # Errors
/// The error code of [`check_card_number`] when the number is not valid.
pub fn parse_card_number(input: &str) -> Result<(CardDigits, Brand), ErrorCode> {
    let (digits, v) = judge(input.as_bytes());
    match (v.error, only_brand(v.set)) {
        (None, Some(brand)) => Ok((digits, brand)),
        (Some(code), _) => Err(code),
        // Unreachable for a valid number (ranges never overlap), kept total.
        (None, None) => Err(ErrorCode::CardNumberUnknownBrand),
    }
}

/// Iamport's wire form of valid digits: dash-grouped.
pub fn wire_form(digits: &CardDigits, brand: Brand) -> String {
    group(digits.as_bytes(), Some(brand), b'-')
}

#[cfg(test)]
mod tests;
