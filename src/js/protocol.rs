//! The checks-only build's way across the boundary: bytes in, JSON text out, and
//! no `JsValue` export. Its JS entry (`pkg-template/checks.js`) reads each argument
//! as the `JsValue` exports would (`Arg`: absent, a string, a number, an object,
//! anything else; an object's options and fields read key by key), writes them
//! into the input buffer (`__in`), and calls `__run` with the operation; the answer
//! is the JSON text in the output buffer (`__out`), as the main build's `to_js`
//! hands it over, from the same `surface` functions. So this build has no export
//! wrapper per check, no string-passing glue and no `JsValue` export (the JS entry
//! gets the memory from the glue: `scripts/build-pkg.sh`).
//!
//! An argument, by its first byte: 0 absent, 1 a string (then how many code points
//! it has, u32 little-endian, and each code point, u32 little-endian), 2 anything else, 3 an object, 4 a number
//! (then an f64, little-endian). The arguments of each operation, in order, are
//! listed at [`Op`].

use spin::mutex::SpinMutex;

use wasm_bindgen::prelude::*;

use super::locale::{locale_name, set_locale_of};
use super::options::{Arg, Key};
use super::surface::{self, Check};
use crate::json::{to_json as json, ToJson};
use crate::prelude::*;

/// The input buffer (written by JS) and the output buffer (read by JS). (A lock only
/// to be a safe static without std: a wasm instance has one thread.)
static IO: SpinMutex<(Vec<u8>, Vec<u8>)> = SpinMutex::new((Vec::new(), Vec::new()));

/// The input buffer made `len` bytes long; its address (0 if it is in use).
#[wasm_bindgen(js_name = __in, skip_typescript)]
pub fn input_buffer(len: u32) -> u32 {
    match IO.try_lock() {
        Some(mut io) => {
            io.0.clear();
            io.0.resize(len as usize, 0);
            io.0.as_ptr() as u32
        }
        None => 0,
    }
}

/// The output buffer's address, for the answer of the last `__run`.
#[wasm_bindgen(js_name = __out, skip_typescript)]
pub fn output_buffer() -> u32 {
    IO.try_lock().map_or(0, |io| io.1.as_ptr() as u32)
}

/// The operations, by number, with their arguments: 0 to 9 are the checks
/// (`surface::Check`, the main build's numbers), then the locale. A check's options are 4 arguments: the argument itself, then its
/// `locale`, `today` and `kind` (absent unless it is an object). `checkCard`'s are
/// `fields`, then its `card_number`, `expiry`, `birth` and `pwd_2digit` (absent
/// unless it is an object), then the options. The others take their arguments as
/// JS passes them.
#[derive(Clone, Copy)]
enum Op {
    /// A check: 0 to 9.
    Check(Check),
    /// `setLocale(locale)`: 10.
    SetLocale,
    /// `getLocale()`: 11.
    GetLocale,
}

impl Op {
    /// Every operation, in number order: the checks in theirs, then the rest.
    const ALL: [Op; 12] = {
        let mut all = [Op::SetLocale; 12];
        let mut n = 0;
        while n < Check::ALL.len() {
            all[n] = Op::Check(Check::ALL[n]);
            n += 1;
        }
        all[10] = Op::SetLocale;
        all[11] = Op::GetLocale;
        all
    };
}

/// Reads the arguments one by one; past the end, every argument is absent.
struct Args<'a>(&'a [u8]);

impl Args<'_> {
    fn take(&mut self, n: usize) -> &[u8] {
        let (head, rest) = self.0.split_at_checked(n).unwrap_or((self.0, &[]));
        self.0 = rest;
        head
    }

    fn next(&mut self) -> Arg {
        let Some((&tag, rest)) = self.0.split_first() else {
            return Arg::Absent;
        };
        self.0 = rest;
        match tag {
            1 => {
                let len = match *self.take(4) {
                    [a, b, c, d] => u32::from_le_bytes([a, b, c, d]) as usize,
                    _ => 0,
                };
                // The string's code points (JS iterates them), u32 each: a lone
                // surrogate reads as U+FFFD, as TextEncoder and wasm-bindgen's strings
                // have it. (No UTF-8 to validate: core's from_utf8 is 700 B of wasm.)
                let mut bytes = self.take(len.saturating_mul(4));
                let mut text = String::new();
                // (A loop, not `chunks_exact(4)`: its size hint divides by a chunk
                // size that the optimizer no longer sees, and the division's panic
                // kept ~100 B of message and location in the wasm.)
                while let [a, b, c, d, rest @ ..] = bytes {
                    text.push(
                        char::from_u32(u32::from_le_bytes([*a, *b, *c, *d]))
                            .unwrap_or(char::REPLACEMENT_CHARACTER),
                    );
                    bytes = rest;
                }
                Arg::Str(text)
            }
            3 => Arg::Object,
            4 => match self.take(8).first_chunk::<8>() {
                Some(b) => Arg::Num(f64::from_le_bytes(*b)),
                None => Arg::Other,
            },
            0 => Arg::Absent,
            _ => Arg::Other,
        }
    }
}

/// An option's reading, from the three read by JS (each is read once: taken from its
/// argument, not copied).
fn option<'a>([locale, today, kind]: [&'a mut Arg; 3]) -> impl FnMut(Key) -> Arg + 'a {
    move |key| {
        core::mem::replace(
            match key {
                Key::Locale => &mut *locale,
                Key::Today => &mut *today,
                Key::Kind => &mut *kind,
            },
            Arg::Absent,
        )
    }
}

/// Runs operation `op` on the input buffer's arguments and writes its JSON answer
/// to the output buffer. Answers the answer's length; with bit 31 set, the answer
/// is the message of a `TypeError` to throw. 0 when `op` is unknown or the buffers
/// are in use (not JSON: the JS entry then throws).
#[wasm_bindgen(js_name = __run, skip_typescript)]
pub fn run(op: u32) -> u32 {
    let Some(&op) = Op::ALL.get(op as usize) else {
        return 0;
    };
    let Some(mut io) = IO.try_lock() else {
        return 0;
    };
    let (input, output) = &mut *io;
    let mut args = Args(input);
    let answer = answer(op, &mut args);
    let (text, error) = match answer {
        Ok(text) => (text, 0),
        Err(message) => (message.to_owned(), 1 << 31),
    };
    *output = text.into_bytes();
    output.len() as u32 | error
}

/// A field check's JSON answer: its arguments are the input, then its options (the
/// argument, `locale`, `today`, `kind`).
fn field_check<T: ToJson>(a: &mut [Arg; 9], check: fn(&Arg, surface::Options<'_>) -> T) -> String {
    let [input, options, locale, today, kind, ..] = a;
    let mut read = option([locale, today, kind]);
    let answer = check(input, (options, &mut read));
    json(&answer)
}

/// The JSON answer of `op`, or the message of a `TypeError`. Every operation takes at
/// most 9 arguments (`checkCard`'s); they are read first, in order, absent past the
/// end.
fn answer(op: Op, args: &mut Args<'_>) -> Result<String, &'static str> {
    let mut a: [Arg; 9] = core::array::from_fn(|_| args.next());
    Ok(match op {
        Op::Check(Check::CardNumber) => field_check(&mut a, surface::card_number),
        Op::Check(Check::Expiry) => field_check(&mut a, surface::expiry),
        Op::Check(Check::Birth) => field_check(&mut a, surface::birth),
        Op::Check(Check::Pwd2Digit) => field_check(&mut a, surface::pwd_2digit),
        Op::Check(Check::Card) => {
            // `fields`, its four fields, then the options (4).
            let [fields, f0, f1, f2, f3, options, locale, today, kind] = &mut a;
            let mut values = [f0, f1, f2, f3];
            // Each field is read once: taken from its argument, not copied.
            let field = |i: usize| {
                values
                    .get_mut(i)
                    .map_or(Arg::Absent, |v| core::mem::replace(*v, Arg::Absent))
            };
            let mut read = option([locale, today, kind]);
            json(&surface::card(fields, field, (options, &mut read)))
        }
        Op::Check(Check::FormatCardNumber) => {
            let [value, caret, ..] = &a;
            json(&surface::format_card_number(value, caret))
        }
        Op::Check(Check::FormatField) => {
            let [field, value, caret, previous, input_type, ..] = &a;
            json(&surface::format_field(
                field, value, caret, previous, input_type,
            )?)
        }
        Op::Check(Check::Mask) => json(&surface::mask(&a[0])),
        Op::Check(Check::IsValid) => json(&surface::is_valid(&a[0])),
        Op::Check(Check::Brand) => json(&surface::brand(&a[0])),
        Op::SetLocale => json(&set_locale_of(match &a[0] {
            Arg::Str(s) => Some(s.as_str()),
            _ => None,
        })),
        Op::GetLocale => json(locale_name()),
    })
}
