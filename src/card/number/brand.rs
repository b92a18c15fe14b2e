//! Card brands: their prefixes and lengths, and which brands a number typed so
//! far could still become.

use serde::Serialize;

use super::MAX_DIGITS;
use crate::prelude::*;

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
    pub fn as_str(self) -> &'static str {
        // One string and where each name ends: a table of `&str` costs the wasm
        // 8 bytes a name, which compress badly. (The error texts' `Texts` does the
        // same; made with it, this cost the checks-only wasm 20 B more gzip, measured,
        // so the brands keep their own; `brand_names_are_the_serialized_names` pins
        // these ends.)
        const NAMES: &str = "visamastercardamexjcbunionpaydinersdiscoverdomestic";
        const ENDS: [u8; 8] = [4, 14, 18, 21, 29, 35, 43, 51];
        let i = self as usize;
        let end = ENDS.get(i).map_or(0, |&e| e as usize);
        let start = i
            .checked_sub(1)
            .and_then(|j| ENDS.get(j))
            .map_or(0, |&e| e as usize);
        NAMES.get(start..end).unwrap_or_default()
    }

    /// Whether a number of this brand may have `len` digits.
    pub const fn accepts_length(self, len: usize) -> bool {
        len <= MAX_DIGITS && LENGTHS[self as usize] & (1 << len) != 0
    }

    /// The shortest number this brand issues.
    pub const fn min_length(self) -> usize {
        LENGTHS[self as usize].trailing_zeros() as usize
    }

    /// The longest number this brand issues.
    pub const fn max_length(self) -> usize {
        // Highest set bit of the length mask.
        31 - LENGTHS[self as usize].leading_zeros() as usize
    }
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

/// The lengths each brand issues, as a bit mask (bit n: n digits), indexed by
/// `Brand as usize`.
const LENGTHS: [u32; 8] = [
    lens(&[13, 16, 19]),             // Visa
    lens(&[16]),                     // Mastercard
    lens(&[15]),                     // Amex
    lens(&[16, 17, 18, 19]),         // JCB
    lens(&[16, 17, 18, 19]),         // UnionPay
    lens(&[14, 15, 16, 17, 18, 19]), // Diners
    lens(&[16, 17, 18, 19]),         // Discover
    lens(&[16]),                     // Domestic
];

/// Every prefix range: `(low, high, digits, brand)`, inclusive, both bounds of
/// `digits` digits. (One flat table of small numbers: a slice per brand costs the
/// wasm a pointer and a length each, and padding.)
const RANGES: [(u16, u16, u8, Brand); 14] = [
    (4, 4, 1, Brand::Visa),
    (51, 55, 2, Brand::Mastercard),
    (2221, 2720, 4, Brand::Mastercard),
    (34, 34, 2, Brand::Amex),
    (37, 37, 2, Brand::Amex),
    (3528, 3589, 4, Brand::Jcb),
    (62, 62, 2, Brand::Unionpay),
    (300, 305, 3, Brand::Diners),
    (36, 36, 2, Brand::Diners),
    (38, 39, 2, Brand::Diners),
    (6011, 6011, 4, Brand::Discover),
    (644, 649, 3, Brand::Discover),
    (65, 65, 2, Brand::Discover),
    (9, 9, 1, Brand::Domestic),
];

/// Powers of ten for prefix scaling (a table: `u32::pow` is a loop, on every keystroke).
const POW10: [u32; 5] = [1, 10, 100, 1_000, 10_000];

/// The brands the digits so far could still become, as a bit set over `Brand as usize`.
/// Every prefix range is at most 4 digits long, so the first 4 digits decide: with
/// 4 or more, one match ([`set_of_first4`]); with fewer, which ranges they could
/// still grow into ([`set_of_partial`]). The match is for speed only: the
/// checks-only build (no `full` feature, no per-keystroke fast path) is built for
/// size, and reads the table for every number.
pub(super) fn possible_set(b: &[u8]) -> u8 {
    #[cfg(feature = "full")]
    if let [a, b, c, d, ..] = b {
        return set_of_first4(
            u32::from(a.wrapping_sub(b'0')) * 1000
                + u32::from(b.wrapping_sub(b'0')) * 100
                + u32::from(c.wrapping_sub(b'0')) * 10
                + u32::from(d.wrapping_sub(b'0')),
        );
    }
    set_of_partial(b)
}

#[cfg(feature = "full")]
const fn bit(b: Brand) -> u8 {
    1 << b as u8
}

/// The brand set of a number whose first four digits are `p4` (0000–9999): the
/// ranges of [`RANGES`] at four digits, as one match, for the per-keystroke check
/// (a test compares it with [`set_of_partial`]'s reading of the table for every
/// prefix). Prefix ranges never overlap, so a number has at most one brand.
#[cfg(feature = "full")]
pub(super) const fn set_of_first4(p4: u32) -> u8 {
    match p4 {
        4000..=4999 => bit(Brand::Visa),
        2221..=2720 | 5100..=5599 => bit(Brand::Mastercard),
        3400..=3499 | 3700..=3799 => bit(Brand::Amex),
        3528..=3589 => bit(Brand::Jcb),
        6200..=6299 => bit(Brand::Unionpay),
        3000..=3059 | 3600..=3699 | 3800..=3999 => bit(Brand::Diners),
        6011 | 6440..=6599 => bit(Brand::Discover),
        9000..=9999 => bit(Brand::Domestic),
        _ => 0,
    }
}

/// The brands that `digits` (ASCII digits, any number of them, read up to 4) could
/// grow into, from the table of prefix ranges.
pub(super) fn set_of_partial(digits: &[u8]) -> u8 {
    let k = digits.len().min(4);
    // prefix[j]: the value of the first j digits.
    let mut prefix = [0u32; 5];
    let mut p = 0;
    for (slot, d) in prefix.iter_mut().skip(1).zip(digits) {
        p = p * 10 + u32::from(d.wrapping_sub(b'0'));
        *slot = p;
    }
    let mut set = 0u8;
    for &(lo, hi, n, b) in &RANGES {
        let (lo, hi, n) = (u32::from(lo), u32::from(hi), n as usize);
        // (Every range is 1 to 4 digits long, so neither look-up fails.)
        let hit = if k >= n {
            let v = prefix.get(n).copied().unwrap_or(u32::MAX);
            lo <= v && v <= hi
        } else {
            // Could the digits so far grow into the range?
            let scale = POW10.get(n - k).copied().unwrap_or(0);
            let v = p * scale;
            v <= hi && v + scale > lo
        };
        if hit {
            set |= 1 << b as usize;
        }
    }
    set
}

/// The lengths (a bit mask, bit *n* for *n* digits) that any brand in `set` issues.
pub(super) fn lengths_of(set: u8) -> u32 {
    let mut lengths = 0;
    let mut s = set;
    while s != 0 {
        lengths |= LENGTHS[(s.trailing_zeros() & 7) as usize];
        s &= s - 1;
    }
    lengths
}

pub(super) fn brands_of(set: u8) -> Vec<Brand> {
    Brand::ALL
        .into_iter()
        .filter(|b| set & (1 << *b as usize) != 0)
        .collect()
}

/// The single brand of a set, if it has exactly one.
pub(super) fn only_brand(set: u8) -> Option<Brand> {
    if set.count_ones() == 1 {
        Some(Brand::ALL[set.trailing_zeros() as usize])
    } else {
        None
    }
}
