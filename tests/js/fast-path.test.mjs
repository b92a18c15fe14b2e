// The fast path of checkCardNumber / checkExpiry / isValidCardNumber / cardBrand (pkg-template/facade.js:
// a packed verdict from Rust, the object built in JS) must answer exactly what the full path
// (the Rust result serialised whole) answers: same fields, same order, same values, for
// every input and option. Seeded, so a failure names a reproducible input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inputSets } from "../../bench/inputs.mjs";

const k = await import("../../pkg/node.js");
// The same module instance the node entry initialised: its `__check` is the full path
// (the checks by number, `Check` in src/js/surface.rs).
const glue = await import("../../pkg/server/iamport_keyin.js");
const raw = {
  checkCardNumber: (input, options) => glue.__check(0, input, options),
  checkExpiry: (input, options) => glue.__check(1, input, options),
  isValidCardNumber: (input) => glue.__check(8, input),
  cardBrand: (input) => glue.__check(9, input),
  __memory: glue.__memory,
};

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
const ALPHABET = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", " ", "-", "\t", "\u00a0", "\u3000", "/", "a", "Z", ".", "é", "🙂", "\n", "+"];
const r = rng(20261128);
const pick = (xs) => xs[Math.floor(r() * xs.length)];

function numberInputs() {
  const out = [];
  for (const set of Object.values(inputSets(300))) for (const [s] of set.cases) out.push(s);
  // Real prefixes of every brand, at every length, with separators sprinkled in.
  for (const prefix of ["4", "51", "2221", "2720", "34", "37", "3528", "3589", "62", "300", "305", "36", "38", "6011", "644", "65", "9", "1", "0"]) {
    for (let len = 0; len <= 21; len++) {
      let s = prefix;
      while (s.length < len) s += String(Math.floor(r() * 10));
      out.push(s.slice(0, len), s.replace(/(\d{4})(?=\d)/g, "$1 "), s.replace(/(\d{4})(?=\d)/g, "$1-"));
    }
  }
  for (let i = 0; i < 3000; i++) {
    const len = Math.floor(r() * 28);
    out.push(Array.from({ length: len }, () => (r() < 0.75 ? String(Math.floor(r() * 10)) : pick(ALPHABET))).join(""));
  }
  out.push("", " ", "-", "4".repeat(64), "4".repeat(65), "4".repeat(200), "4111111111111111\u00a0");
  return out;
}

const OPTIONS = [undefined, null, {}, { locale: "en" }, { locale: "ko" }, { today: "2026-11-28" }, { today: "2026-02-30" }, { locale: "fr" }, { locale: 1 }, { today: 20261128 }, { kind: "business" }, 5, "x"];

test("checkCardNumber: the fast path answers exactly what the full path answers", () => {
  let n = 0;
  for (const input of numberInputs()) {
    for (const options of [undefined, { locale: "en" }]) {
      const fast = k.checkCardNumber(input, options);
      const full = raw.checkCardNumber(input, options);
      assert.equal(JSON.stringify(fast), JSON.stringify(full), `input ${JSON.stringify(input)} options ${JSON.stringify(options)}`);
      assert.equal(k.isValidCardNumber(input), full.isValid);
      assert.equal(k.cardBrand(input), full.brand);
      assert.equal(raw.cardBrand(input), full.brand);
      n++;
    }
  }
  for (const options of OPTIONS) assert.deepEqual(k.checkCardNumber("4111 1111 1111 1111", options), raw.checkCardNumber("4111 1111 1111 1111", options));
  for (const input of [undefined, null, 4111111111111111, {}, ["4111"], true]) {
    assert.deepEqual(k.checkCardNumber(input), raw.checkCardNumber(input));
    assert.equal(k.isValidCardNumber(input), false);
    assert.equal(k.cardBrand(input), null);
    assert.equal(raw.cardBrand(input), null);
  }
  assert.ok(n > 7000, `${n} comparisons`);
});

test("checkExpiry: the fast path answers exactly what the full path answers", () => {
  const inputs = [];
  for (const [s] of inputSets(500)["mixed expiries"].cases) inputs.push(s);
  for (let i = 0; i < 3000; i++) {
    const len = Math.floor(r() * 10);
    inputs.push(Array.from({ length: len }, () => (r() < 0.7 ? String(Math.floor(r() * 10)) : pick(ALPHABET))).join(""));
  }
  inputs.push("", "12/30", "12 / 2030", "2030-12", "13/30", "00/30", "11/26", "10/26", "12/46", "1/3", "9999-12");
  for (const input of inputs) {
    for (const options of [undefined, { today: "2026-11-28" }, { today: "2026-11-28", locale: "en" }, { today: "2040-01-31" }]) {
      assert.equal(JSON.stringify(k.checkExpiry(input, options)), JSON.stringify(raw.checkExpiry(input, options)), `input ${JSON.stringify(input)} options ${JSON.stringify(options)}`);
    }
  }
  for (const options of OPTIONS) assert.deepEqual(k.checkExpiry("12/30", options), raw.checkExpiry("12/30", options));
  for (const input of [undefined, null, 1230, {}]) assert.deepEqual(k.checkExpiry(input), raw.checkExpiry(input));
});

test("the fast path follows setLocale, and a today option that changes between calls", () => {
  try {
    assert.equal(k.setLocale("en"), true);
    assert.deepEqual(k.checkCardNumber("4111 1111 1111 1112"), raw.checkCardNumber("4111 1111 1111 1112"));
    assert.match(k.checkCardNumber("4111 1111 1111 1112").error.message, /not valid/);
    assert.equal(k.setLocale("xx"), false);
    assert.match(k.checkExpiry("13/30").error.message, /month/);
  } finally {
    k.setLocale("ko");
  }
  assert.equal(k.checkExpiry("11/26", { today: "2026-11-28" }).isValid, true);
  assert.equal(k.checkExpiry("11/26", { today: "2026-12-01" }).isValid, false);
  assert.equal(k.checkExpiry("11/26", { today: "2026-11-28" }).isValid, true);
  assert.equal(k.checkExpiry("11/26", { today: "2026-13-01" }).error.code, "INVALID_OPTION");
});

test("the fast path survives the wasm memory growing (its view of the scratch buffer is renewed)", () => {
  const bytes = () => raw.__memory().buffer.byteLength;
  const before = [k.checkCardNumber("4111 1111 1111 1111"), k.checkExpiry("12/30", { today: "2026-11-28" })];
  const grownFrom = bytes();
  // A large input makes the builder allocate megabytes inside wasm: the memory grows and
  // every view of the old buffer is detached.
  const built = k.buildOnetimePayment({ merchant_uid: "m", amount: 1000, name: "x".repeat(8 << 20) });
  assert.equal(built.ok, false);
  assert.ok(bytes() > grownFrom, "the memory grew");
  assert.deepEqual([k.checkCardNumber("4111 1111 1111 1111"), k.checkExpiry("12/30", { today: "2026-11-28" })], before);
  assert.equal(k.isValidCardNumber("4111111111111111"), true);
});
