// The fast path of the four checks made on every keystroke, for the main and server
// entries (the checks-only entry leaves it out, for size: there every check takes the
// full path, a few microseconds). Installed over the checks of `facade(raw)`'s api:
// `fastPath(facade(raw))`.
//
// The full path hands the result
// over as a JSON string, which costs ten times the check itself; here Rust answers
// with one number and a few ASCII bytes in the scratch buffer (src/js/fast.rs; the
// layouts: `check_card_number_packed` in src/card/number.rs and `check_expiry_packed`
// in src/card/expiry.rs), and the object is built from them. Every decision is
// Rust's: the verdict, the code, the brands, and the text of `digits`, `formatted`,
// `masked` and `value`, which is copied as it is (no grouping, masking or padding
// rule here). Anything unusual (a non-string, an option other than a known `locale`
// or a valid `today`) takes the full path. tests/js/fast-path.test.mjs compares the
// two paths on thousands of inputs.
export function fastPath(kit) {
  const { api, raw, trapped, dying } = kit;
  const set = kit.locale; // the locale set with setLocale (null: none)
  const check = raw.__check;
  // The scratch buffer in wasm memory (`__scratch` in src/js/fast.rs): input is written
  // there and the answer's text read back, no allocation; a fresh instance (after a
  // trap) has its own, so a dying instance's is forgotten.
  let memory = null;
  let scratchAt = 0;
  let view = null;
  let words = null; // the input part as 32-bit words (the buffer is 4-byte aligned)
  dying.add(() => {
    memory = null;
  });
  let tables = null; // [codes, brands], constant
  const messages = []; // [code * 2 + locale] → message, constant
  let todayText = null; // the last `today` option seen, and its packed form
  let todayPacked = 0;
  const tableOf = () => (tables ??= raw.__tables().split(";").map((t) => t.split(",")));
  // The options the fast path takes: none, or an object with no `kind`, a known
  // `locale` (or none) and a valid `today` (or none). Answers the locale's index, and
  // leaves `today` packed in `fastToday` (0: today in Korea); -1 for anything else,
  // which the full path reads and reports. A getter that throws is "anything else":
  // the checks never throw.
  let fastToday = 0;
  const fastLocale = (options) => {
    fastToday = 0;
    if (options === undefined || options === null) return set() === "en" ? 1 : 0;
    try {
      if (typeof options !== "object" || options.kind !== undefined) return -1;
      const l = options.locale;
      const loc = l === undefined ? (set() === "en" ? 1 : 0) : l === "ko" ? 0 : l === "en" ? 1 : -1;
      const t = options.today;
      if (loc < 0 || t === undefined) return loc;
      if (typeof t !== "string") return -1;
      if (t !== todayText) {
        todayPacked = raw.__date(t);
        todayText = t;
      }
      fastToday = todayPacked;
      return todayPacked === 0 ? -1 : loc;
    } catch {
      return -1;
    }
  };
  // As in src/js/fast.rs: 64 bytes of input, then the text written back (at most 65).
  const SCRATCH_IN = 64;
  const SCRATCH_OUT = 65;
  // The view of the scratch buffer, renewed when a call grew the memory (which
  // detaches every view of the old buffer) or the instance was replaced.
  const scratchView = () => {
    if (memory === null) {
      memory = raw.__memory();
      scratchAt = raw.__scratch();
      view = null;
    }
    if (view === null || view.byteLength === 0) {
      view = new Uint8Array(memory.buffer, scratchAt, SCRATCH_IN + SCRATCH_OUT);
      words = new Uint32Array(memory.buffer, scratchAt, SCRATCH_IN / 4);
    }
    return view;
  };
  // The input into the scratch buffer, four characters to a word store (wasm memory
  // is little-endian, as the typed arrays of every engine that runs wasm are).
  const put = (s) => {
    const n = s.length;
    if (n > SCRATCH_IN) return -1;
    const view = scratchView();
    let all = 0;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const a = s.charCodeAt(i);
      const b = s.charCodeAt(i + 1);
      const c = s.charCodeAt(i + 2);
      const d = s.charCodeAt(i + 3);
      all |= a | b | c | d;
      words[i >> 2] = a | (b << 8) | (c << 16) | (d << 24);
    }
    for (; i < n; i++) all |= view[i] = s.charCodeAt(i);
    return all > 0x7f ? -1 : n; // not ASCII: the full path reads it
  };
  // `len` ≤ 23 bytes of text from `at` (in the part after the input), as a string,
  // from `view` (the caller renews it after its wasm call, which may have grown the
  // memory: `scratchView()`):
  // one String.fromCharCode of the next 8, 12, 16, 19 or 23 bytes (a card number's
  // texts are at most 23, an expiry's value 13; all within the scratch buffer, as
  // at ≤ 42), cut to `len`. Cheaper than a decoder call at these lengths.
  const chars = (at, len) => {
    const v = view;
    const o = SCRATCH_IN + at;
    const s =
      len <= 8
        ? String.fromCharCode(v[o], v[o + 1], v[o + 2], v[o + 3], v[o + 4], v[o + 5], v[o + 6], v[o + 7])
        : len <= 12
          ? String.fromCharCode(v[o], v[o + 1], v[o + 2], v[o + 3], v[o + 4], v[o + 5], v[o + 6], v[o + 7], v[o + 8], v[o + 9], v[o + 10], v[o + 11])
          : len <= 16
            ? String.fromCharCode(v[o], v[o + 1], v[o + 2], v[o + 3], v[o + 4], v[o + 5], v[o + 6], v[o + 7], v[o + 8], v[o + 9], v[o + 10], v[o + 11], v[o + 12], v[o + 13], v[o + 14], v[o + 15])
            : len <= 19
              ? String.fromCharCode(v[o], v[o + 1], v[o + 2], v[o + 3], v[o + 4], v[o + 5], v[o + 6], v[o + 7], v[o + 8], v[o + 9], v[o + 10], v[o + 11], v[o + 12], v[o + 13], v[o + 14], v[o + 15], v[o + 16], v[o + 17], v[o + 18])
              : String.fromCharCode(v[o], v[o + 1], v[o + 2], v[o + 3], v[o + 4], v[o + 5], v[o + 6], v[o + 7], v[o + 8], v[o + 9], v[o + 10], v[o + 11], v[o + 12], v[o + 13], v[o + 14], v[o + 15], v[o + 16], v[o + 17], v[o + 18], v[o + 19], v[o + 20], v[o + 21], v[o + 22]);
    return s.length === len ? s : s.slice(0, len);
  };
  const fieldError = (field, packed, loc) => {
    const code = (packed >>> 2) & 0x3f;
    if (code === 0) return null;
    const key = code * 2 + loc;
    return { field, code: tableOf()[0][code - 1], message: (messages[key] ??= raw.__message(code - 1, loc)) };
  };
  // The glue's functions, read once: a module namespace's property is slower to read
  // than a local. They stay valid across a fresh instance (they call the live one).
  const cardNumberAt = raw.__cardNumberAt;
  api.checkCardNumber = (input, options) => {
    try {
      const loc = fastLocale(options);
      const len = typeof input === "string" && loc >= 0 ? put(input) : -1;
      const p = len < 0 ? 0 : cardNumberAt(len);
      if (p === 0) return check(0, input, options); // the full path
      scratchView();
      // The text: the digits (n bytes; left out when bit 26 says that they are the
      // input's first `d` characters), formatted and masked (l bytes each).
      const prefix = (p & (1 << 26)) !== 0;
      const d = (p >>> 21) & 0x1f;
      const n = prefix ? 0 : d;
      const l = p >>> 27;
      // Each string read by one String.fromCharCode: cheaper than a decoder call at
      // these lengths (n ≤ 19, l ≤ 23).
      const digits = prefix ? (d === input.length ? input : input.slice(0, d)) : chars(0, n);
      // Bit 8: the input is already the formatted form (a field formatted as typed).
      const formatted = (p & 0x100) !== 0 ? input : chars(n, l);
      const masked = chars(n + l, l);
      const brandIndex = (p >>> 9) & 0xf;
      const brands = tableOf()[1];
      // The set's brands in order; one bit (the usual case, once a digit or two are
      // typed) is its index.
      const set = (p >>> 13) & 0xff;
      let possibleBrands;
      if ((set & (set - 1)) === 0) possibleBrands = set === 0 ? [] : [brands[31 - Math.clz32(set)]];
      else {
        possibleBrands = [];
        for (let i = 0, s = set; s !== 0; i++, s >>>= 1) if (s & 1) possibleBrands.push(brands[i]);
      }
      return {
        isValid: (p & 1) === 1,
        isPotentiallyValid: (p & 2) === 2,
        error: fieldError("card_number", p, loc),
        digits,
        formatted,
        masked,
        brand: brandIndex === 0 ? null : brands[brandIndex - 1],
        possibleBrands,
      };
    } catch (err) {
      throw trapped(err);
    }
  };
  api.isValidCardNumber = (input) => {
    try {
      if (typeof input !== "string") return false;
      const len = put(input);
      const p = len < 0 ? 0 : raw.__cardValidAt(len); // 3 valid, 2 not, 0 unreadable
      return p === 0 ? check(8, input) : p === 3;
    } catch (err) {
      throw trapped(err);
    }
  };
  api.cardBrand = (input) => {
    try {
      if (typeof input !== "string") return null;
      const len = put(input);
      const p = len < 0 ? 0 : raw.__cardBrandAt(len); // 1 none, 2 + index, 0 unreadable
      return p === 0 ? check(9, input) : p === 1 ? null : tableOf()[1][p - 2];
    } catch (err) {
      throw trapped(err);
    }
  };
  const expiryAt = raw.__expiryAt;
  api.checkExpiry = (input, options) => {
    try {
      const loc = fastLocale(options);
      const len = typeof input === "string" && loc >= 0 ? put(input) : -1;
      const p = len < 0 ? 0 : expiryAt(len, fastToday);
      if (p === 0) return check(1, input, options); // the full path
      scratchView();
      // The text: `value` (its length in bits 9–12; 0 when not valid).
      const valid = (p & 1) === 1;
      return {
        isValid: valid,
        isPotentiallyValid: (p & 2) === 2,
        error: fieldError("expiry", p, loc),
        value: valid ? chars(0, (p >>> 9) & 0xf) : null,
      };
    } catch (err) {
      throw trapped(err);
    }
  };
  return kit;
}
