//! Unicode whitespace and UTF-16 lengths, read from UTF-8 bytes.
//!
//! The field checks trim and skip Unicode whitespace (a pasted NBSP or ideographic
//! space is whitespace, as `str::trim` has it) and count carets in UTF-16 units (a
//! DOM `selectionStart`). Done here on bytes, with no `char` decoding: core's `trim`
//! and `chars` cost the checks-only wasm about 700 B of code for inputs that are
//! almost always ASCII. The answers are `str::trim`'s and `char::len_utf16`'s, for
//! every character (tested against them below).

/// The byte length of the Unicode whitespace character `b` starts with; 0 when it
/// starts with none. The `White_Space` characters, as `char::is_whitespace` has them
/// (all of them are below U+10000).
pub(crate) fn space_at(b: &[u8]) -> usize {
    let (c, n) = match *b {
        [c @ 0..=0x7F, ..] => (u32::from(c), 1),
        [c @ 0xC0..=0xDF, d, ..] => (u32::from(c & 0x1F) << 6 | u32::from(d & 0x3F), 2),
        [c @ 0xE0..=0xEF, d, e, ..] => (
            u32::from(c & 0x0F) << 12 | u32::from(d & 0x3F) << 6 | u32::from(e & 0x3F),
            3,
        ),
        _ => return 0,
    };
    match c {
        0x09..=0x0D
        | 0x20
        | 0x85
        | 0xA0
        | 0x1680
        | 0x2000..=0x200A
        | 0x2028
        | 0x2029
        | 0x202F
        | 0x205F
        | 0x3000 => n,
        _ => 0,
    }
}

/// `b` (UTF-8, or the fast path's ASCII) without leading and trailing Unicode
/// whitespace: `str::trim`, on bytes.
pub(crate) fn trim_bytes(b: &[u8]) -> &[u8] {
    let mut start = 0;
    loop {
        match space_at(b.get(start..).unwrap_or_default()) {
            0 => break,
            n => start += n,
        }
    }
    let mut end = b.len();
    while end > start {
        // The last character's first byte.
        let mut first = end - 1;
        while first > start && b.get(first).is_some_and(|&c| c & 0xC0 == 0x80) {
            first -= 1;
        }
        if space_at(b.get(first..end).unwrap_or_default()) != end - first {
            break;
        }
        end = first;
    }
    b.get(start..end).unwrap_or_default()
}

/// The UTF-16 units that the UTF-8 byte `b` adds: 1 for the first byte of a character
/// (2 for one of 4 bytes, outside the BMP), 0 for a continuation byte. Summed over a
/// string: its length in UTF-16 units.
pub(crate) fn utf16_units(b: u8) -> usize {
    usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0)
}

/// A `String` of ASCII bytes (each byte a char: no UTF-8 validation to pay for).
pub(crate) fn ascii_string(b: &[u8]) -> String {
    b.iter().map(|&c| char::from(c)).collect()
}

/// The length of `s` in UTF-16 units (a JS string's `length`). (For the JS surface.)
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn utf16_len(s: &str) -> usize {
    s.bytes().map(utf16_units).sum()
}

use crate::prelude::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_is_chars_for_every_char() {
        let mut spaces = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            let s = c.encode_utf8(&mut buf);
            let want = if c.is_whitespace() { c.len_utf8() } else { 0 };
            assert_eq!(space_at(s.as_bytes()), want, "U+{:04X}", c as u32);
            // Before another character too.
            let wide = format!("가{c}가");
            assert_eq!(space_at(&wide.as_bytes()[3..]), want);
            assert_eq!(utf16_len(s), c.len_utf16());
            spaces += usize::from(want > 0);
        }
        assert_eq!(spaces, 25);
    }

    #[test]
    fn trim_is_str_trim() {
        let pieces = [
            "", " ", "\t", "\u{a0}", "\u{3000}", "\u{2029}", "\u{85}", "x", "4111", "가",
            "\u{200b}", "\u{feff}", "😀", "\u{2000}", "\u{205f}", "-",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let s = format!("{a}{b}{c}{a}");
                    assert_eq!(trim_bytes(s.as_bytes()), s.trim().as_bytes(), "{:?}", s);
                    assert_eq!(utf16_len(&s), s.encode_utf16().count());
                }
            }
        }
    }
}
