// iamport-keyin/checks: the field checks, the formatters, masking and the locale, over a
// wasm of their own (no builders, no client): for a page that only checks card fields.
// The same names, answers and init() rules as the main entry. Built for size: it has no
// fast path (fast.js), so every check is one call of the operation below, a few
// microseconds (the main entry's keystroke checks take a few hundred nanoseconds).
//
// This wasm has no export per check: each call's arguments are written into its input
// buffer and one export runs the operation (src/js/protocol.rs, which documents the
// bytes); the answer comes back as JSON text. Here the arguments are only read as the
// main entry's bindings read them (a string, a number, an object, absent, or anything
// else; an object's options and fields key by key) and the answer parsed: every
// decision is Rust's, from the same code as the main entry's.
//
// In the package, pkg/checks.js is this file bundled with what it imports, one ES module
// (scripts/bundle-entries.mjs): a page loads it and its wasm (checks/iamport_keyin_bg.wasm,
// by default fetched by `init()` relative to this file), nothing else.
import * as wasm from "./checks/iamport_keyin.js";
import { checksFacade, loader } from "./facade.js";

const decoder = new TextDecoder();
const THREW = Symbol(); // a property whose reading threw: "anything else"
const isObject = (v) => typeof v === "object" && v !== null;
const read = (o, key) => {
  try {
    return o[key];
  } catch {
    return THREW;
  }
};
// An object argument's keys, read in order (absent when it is not an object). All of
// them are read, where the main entry stops at the first option it refuses and reads no
// field after a refused option: the answers are the same, only a getter's side effects
// could tell.
const keys = (o, names) => names.map((k) => (isObject(o) ? read(o, k) : undefined));
const OPTIONS = ["locale", "today", "kind"];
const FIELDS = ["card_number", "expiry", "birth", "pwd_2digit"];

/** Runs operation `op` on `args`: the parsed JSON answer, or a thrown TypeError. */
function call(op, args) {
  let size = 0;
  for (const a of args) size += typeof a === "string" ? 5 + 4 * a.length : 9;
  const at = wasm.__in(size);
  let bytes = new Uint8Array(wasm.__memory().buffer); // after __in, which may grow it
  const view = new DataView(bytes.buffer);
  let o = at;
  for (const a of args) {
    if (a === undefined || a === null) bytes[o++] = 0;
    else if (typeof a === "string") {
      // Its code points (a lone surrogate is one too: Rust reads it as U+FFFD).
      bytes[o] = 1;
      let n = 0;
      for (const c of a) view.setUint32(o + 5 + 4 * n++, c.codePointAt(0), true);
      view.setUint32(o + 1, n, true);
      o += 5 + 4 * n;
    } else if (typeof a === "number") {
      bytes[o] = 4;
      view.setFloat64(o + 1, a, true);
      o += 9;
    } else bytes[o++] = isObject(a) ? 3 : 2;
  }
  const r = wasm.__run(op);
  bytes = new Uint8Array(wasm.__memory().buffer); // the answer may have grown it
  const out = wasm.__out();
  const text = decoder.decode(bytes.subarray(out, out + (r & 0x7fffffff)));
  if (r >>> 31) throw new TypeError(text);
  return JSON.parse(text);
}

// Each check's arguments as the protocol takes them, by its number (`__check`'s, as the
// main build's export).
const field = (input, options) => [input, options, ...keys(options, OPTIONS)];
const one = (input) => [input];
const ARGS = [
  field, // checkCardNumber
  field, // checkExpiry
  field, // checkBirth
  field, // checkPwd2Digit
  (fields, options) => [fields, ...keys(fields, FIELDS), options, ...keys(options, OPTIONS)], // checkCard
  (value, caret) => [value, caret], // formatCardNumberInput
  (name, value, caret, previous, inputType) => [name, value, caret, previous, inputType], // formatFieldInput
  one, // maskCardNumber
  one, // isValidCardNumber
  one, // cardBrand
];
// The bindings the facade takes (see its use of `raw`), answered by the operations.
// (Each glue function named, not the module spread: the bundle then needs no namespace
// object. `__testTrap` is only in a test build's glue; elsewhere it is undefined.)
const raw = {
  __reinit: wasm.__reinit,
  __testTrap: wasm.__testTrap,
  __check: (n, a, b, c, d, e) => call(n, ARGS[n](a, b, c, d, e)), // n: 0 to 9, from the facade
  setLocale: (locale) => call(10, [locale]),
  getLocale: () => call(11, []),
};

const api = checksFacade(raw);
export const {
  checkCardNumber, isValidCardNumber, cardBrand, checkExpiry, checkBirth, checkPwd2Digit, checkCard,
  formatCardNumberInput, formatFieldInput, maskCardNumber, setLocale, getLocale,
} = api;

/** As the main entry's: call `await init()` once before the first check. */
export const { init, initSync } = loader(wasm.initSync, () => new URL("checks/iamport_keyin_bg.wasm", import.meta.url));
export default init;
