//! The fast path of the two checks made on every keystroke, `checkCardNumber`
//! and `checkExpiry` (and the lean `isValidCardNumber`), in the main and server
//! builds (the checks-only build leaves it out, for size). The JS entry
//! (`pkg-template/fast.js`) writes a string it has type-checked into a scratch
//! buffer, calls an `…At(len)` export, and builds the result object from the
//! packed verdict it returns and the ASCII text it writes back. Handing over one
//! number and a few bytes instead of a JSON string is what makes the call cheap.
//!
//! Every decision is Rust's, layouts included: the JS entry copies the text into
//! strings as it is and looks indices up in [`tables`]. The packed layouts are
//! documented at [`number::check_card_number_packed`] and
//! [`expiry::check_expiry_packed`].
//!
//! The scratch buffer, by offset:
//!
//! | offset | bytes | what |
//! |---|---|---|
//! | 0 | 64 ([`SCRATCH_IN`]) | the input, ASCII, written by JS |
//! | 64 | 65 ([`number::TEXT_MAX`]) | the text the call wrote back, lengths in its packed verdict |
//!
//! The text of `__cardNumberAt`: `digits` (*n* bytes, left out when the input is
//! those digits), `formatted` (*L* bytes), `masked` (*L* bytes), back to back. Of
//! `__expiryAt`: `value` when valid.

use spin::mutex::SpinMutex;

use crate::prelude::*;

use wasm_bindgen::prelude::*;

use super::options::today_kst;
use crate::card::{date::Date, expiry, number};
use crate::error::{ErrorCode, Locale};

/// How many bytes of input the scratch buffer takes; longer input takes the full path.
const SCRATCH_IN: usize = 64;

/// How many bytes a call may write back (the card number's text is the longest).
const SCRATCH_OUT: usize = if number::TEXT_MAX > expiry::TEXT_MAX {
    number::TEXT_MAX
} else {
    expiry::TEXT_MAX
};

/// The fast path's input and output (layout above). No allocation, no copy, one
/// call per check. Its address is handed to JS (`__scratch`), so the compiler must
/// assume that JS may write it between calls; Rust touches it only inside the exports
/// below, and JS only between calls. (A lock only to be a safe static in the no-std
/// build too: a wasm instance has one thread, and a call finds it locked only if it
/// re-entered, which answers "unreadable".)
static SCRATCH: SpinMutex<Scratch> = SpinMutex::new(Scratch([0; SCRATCH_IN + SCRATCH_OUT]));

/// The scratch buffer, 4-byte aligned: JS writes the input 4 bytes at a time.
#[repr(C, align(4))]
struct Scratch([u8; SCRATCH_IN + SCRATCH_OUT]);

/// The scratch buffer's address in linear memory (a multiple of 4). For the JS entry
/// only.
#[wasm_bindgen(js_name = __scratch, skip_typescript)]
pub fn scratch() -> u32 {
    SCRATCH.as_mut_ptr() as u32
}

/// Runs `f` on the `len` bytes of input in the scratch buffer, with the output
/// part to write its text to; 0 when the input is not ASCII (the JS entry writes
/// ASCII only; the checks read bytes, so there is no UTF-8 to validate) or `len` is
/// too long.
fn with_scratch(len: u32, f: impl FnOnce(&[u8], &mut [u8; SCRATCH_OUT]) -> u32) -> u32 {
    let Some(mut s) = SCRATCH.try_lock() else {
        return 0;
    };
    let (input, out) = s.0.split_at_mut_checked(SCRATCH_IN).unwrap_or_default();
    match (input.get(..len as usize), out.first_chunk_mut()) {
        // (A loop, not `is_ascii`, whose word-at-a-time version is 150 B of wasm.)
        (Some(input), Some(out)) if input.iter().all(|b| b.is_ascii()) => f(input, out),
        _ => 0,
    }
}

/// The packed verdict of `checkCardNumber` on the scratch input, its text written
/// back (`number::check_card_number_text`). 0 if unreadable, which reads as "not
/// valid, not potentially valid": the entry then takes the full path. For the JS
/// entry only.
#[wasm_bindgen(js_name = __cardNumberAt, skip_typescript)]
pub fn card_number_at(len: u32) -> u32 {
    with_scratch(len, number::card_number_text)
}

/// `isValidCardNumber` on the scratch input: 3 valid, 2 not, 0 if unreadable (the
/// entry then takes the full path). Writes nothing back. For the JS entry only.
#[wasm_bindgen(js_name = __cardValidAt, skip_typescript)]
pub fn card_valid_at(len: u32) -> u32 {
    with_scratch(len, |input, _| 2 | u32::from(number::is_valid_bytes(input)))
}

/// `cardBrand` on the scratch input: 1 for none, 2 + its index in `Brand::ALL`, 0
/// if unreadable (the entry then takes the full path). For the JS entry only.
#[wasm_bindgen(js_name = __cardBrandAt, skip_typescript)]
pub fn card_brand_at(len: u32) -> u32 {
    with_scratch(len, |input, _| {
        number::brand_of_bytes(input).map_or(1, |b| 2 + b as u32)
    })
}

/// The packed verdict of `checkExpiry` on the scratch input, `value` written back
/// (`expiry::check_expiry_text`); `today` packed as YYYYMMDD (0: today in Korea).
/// For the JS entry only.
#[wasm_bindgen(js_name = __expiryAt, skip_typescript)]
pub fn expiry_at(len: u32, today: u32) -> u32 {
    let today = if today == 0 {
        today_kst()
    } else {
        Date::new(
            (today / 10_000) as i32,
            (today / 100 % 100) as u8,
            (today % 100) as u8,
        )
        .unwrap_or_else(today_kst)
    };
    with_scratch(len, |input, out| match out.first_chunk_mut() {
        Some(out) => expiry::expiry_text(input, today, out),
        None => 0,
    })
}

/// A `today` option packed as YYYYMMDD, or 0 when it is not a `YYYY-MM-DD` date
/// (the JS entry then takes the full path, which reports the bad option).
#[wasm_bindgen(js_name = __date, skip_typescript)]
pub fn date_packed(s: &str) -> u32 {
    Date::parse_iso(s)
        .filter(|d| (1..=9999).contains(&d.year))
        .map_or(0, |d| {
            d.year as u32 * 10_000 + u32::from(d.month) * 100 + u32::from(d.day)
        })
}

/// The tables the packed verdicts index, as one string: the error codes,
/// comma-separated, then `;` and the brands, comma-separated.
#[wasm_bindgen(js_name = __tables, skip_typescript)]
pub fn tables() -> String {
    let mut t = String::new();
    for (i, c) in ErrorCode::ALL.iter().enumerate() {
        if i > 0 {
            t.push(',');
        }
        t.push_str(c.as_str());
    }
    t.push(';');
    for (i, b) in number::Brand::ALL.iter().enumerate() {
        if i > 0 {
            t.push(',');
        }
        t.push_str(b.as_str());
    }
    t
}

/// The message of the error code at `index` in `ErrorCode::ALL`, in `locale`
/// (0 ko, anything else en).
#[wasm_bindgen(js_name = __message, skip_typescript)]
pub fn message(index: u32, locale: u32) -> String {
    let locale = if locale == 0 { Locale::Ko } else { Locale::En };
    ErrorCode::ALL
        .get(index as usize)
        .map_or("", |c| c.message(locale))
        .to_owned()
}
