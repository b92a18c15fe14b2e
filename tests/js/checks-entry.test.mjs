// iamport-keyin/checks: the checks-only entry over its own wasm. The same names and the
// same answers as the main entry (compared input by input), the same init() rules, in
// Node and in headless Chromium; and in a page, each browser entry is one JS file and
// its wasm.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "../../scripts/static-server.mjs";
import { launchChromium } from "./chromium.mjs";

const root = new URL("../../", import.meta.url).pathname;
const NAMES = [
  "cardBrand", "checkBirth", "checkCard", "checkCardNumber", "checkExpiry", "checkPwd2Digit", "default", "formatCardNumberInput",
  "formatFieldInput", "getLocale", "init", "initSync", "isValidCardNumber", "maskCardNumber", "setLocale",
];
const today = "2026-12-06";
const NUMBERS = ["", "4111111111111111", "4111 1111 1111 1112", "3782-822463-10005", "9410123412341237", "62", "4111x", "１２３", "6".repeat(30), "30569309025904"];
// With astral characters and lone surrogates (each entry reads them as U+FFFD) too.
const OTHER = ["", "12/30", "1230", "13/30", "12/2030", "820213", "1168200276", "116-82-00276", "12", "1x", "0", "😀12/30", "\ud83d", "12\udc00/30", "\u00a012\u3000"];

/** Every answer of an entry over the same inputs, as JSON. */
function answers(k) {
  const out = [];
  for (const locale of ["ko", "en"]) {
    k.setLocale(locale);
    out.push(k.getLocale());
    for (const n of NUMBERS) {
      out.push(k.checkCardNumber(n), k.isValidCardNumber(n), k.cardBrand(n), k.maskCardNumber(n), k.formatCardNumberInput(n, 3));
      for (const f of ["card_number", "expiry", "birth", "business", "pwd_2digit"]) out.push(k.formatFieldInput(f, n, 5, n.slice(1), "deleteContentBackward"));
    }
    for (const v of OTHER) {
      out.push(k.checkExpiry(v, { today }), k.checkBirth(v), k.checkBirth(v, { kind: "business" }), k.checkPwd2Digit(v));
      out.push(k.checkCard({ card_number: "4111111111111111", expiry: v, birth: v, pwd_2digit: v }, { today }));
    }
    out.push(k.checkCardNumber(42), k.checkExpiry(null), k.checkCard(undefined));
    // Every kind of argument the checks-only build's protocol reads (src/js/protocol.rs):
    // odd options (a throwing getter, a symbol, a function, an array, wrong types), odd
    // fields, long and non-ASCII text, every caret shape, odd locales.
    const throwing = { get locale() { throw new Error("no"); } };
    const weird = [undefined, null, 0, -1, 1e9, NaN, Infinity, "3", true, {}, [], () => 1, Symbol("s"), 10n, throwing,
      { locale: "en" }, { locale: 1 }, { locale: "fr" }, { today: "2026-02-30" }, { today: today, kind: "business" },
      { kind: "personal" }, { kind: 1 }, { today: 20261128 }, { locale: "en", today: null, kind: undefined },
      Object.create({ locale: "en" }), new Proxy({}, { get: (_, k) => (k === "today" ? "2030-01-01" : undefined) })];
    const texts = ["4111 1111 1111 1111", "１２/３０", "82０213", "\ud800", "🙂4111", "4".repeat(5000), " ".repeat(5000) + "4111111111111111", "-".repeat(70000) + "4111 1111 1111 1111", "ab".repeat(70000)];
    for (const o of weird) {
      out.push(k.checkCardNumber("4111111111111111", o), k.checkExpiry("12/30", o), k.checkBirth("1168200276", o), k.checkPwd2Digit("12", o));
      out.push(k.checkCard({ card_number: "4111111111111111", expiry: "12/30", birth: "820213" }, o), k.checkCard(o, { today }));
      out.push(k.checkCardNumber(o), k.isValidCardNumber(o), k.cardBrand(o), k.maskCardNumber(o));
      out.push(k.formatCardNumberInput("4111111", o), k.formatCardNumberInput(o, 2), k.formatFieldInput("expiry", "1230", o, o, o));
      let thrown = null;
      try {
        k.formatFieldInput(o, "1");
      } catch (e) {
        thrown = [e.name, e.message];
      }
      out.push(thrown);
    }
    for (const v of texts) {
      out.push(k.checkCardNumber(v), k.checkExpiry(v, { today }), k.checkBirth(v), k.checkPwd2Digit(v), k.maskCardNumber(v), k.cardBrand(v));
      out.push(k.formatCardNumberInput(v, 7), k.formatFieldInput("card_number", v, 3, v.slice(1), "insertText"));
      out.push(k.checkCard({ card_number: v, expiry: v, birth: v, pwd_2digit: v, get extra() { throw new Error("unread"); } }, { today }));
    }
    out.push(k.checkCard({ get card_number() { throw new Error("no"); }, expiry: 1230, birth: null }, { today }));
    for (const l of [1, "EN", null, {}, "ko", "en"]) out.push(k.setLocale(l), k.getLocale());
    k.setLocale(locale);
  }
  return JSON.stringify(out);
}

test("Node: the same names and the same answers as the main entry; init() rules", async () => {
  const main = await import("../../pkg/node.js");
  const checks = await import("../../pkg/checks.js");
  assert.deepEqual(Object.keys(checks).sort(), NAMES);
  assert.throws(() => checks.formatFieldInput("cvc", "1"), TypeError);
  checks.initSync({ module: readFileSync(join(root, "pkg/checks/iamport_keyin_bg.wasm")) });
  const first = checks.init();
  assert.equal(checks.init(), first, "init() answers the same promise each time");
  await first;
  assert.equal(answers(checks), answers(main));
  assert.throws(() => checks.formatFieldInput("cvc", "1"), TypeError);
});

/** A blank page in headless Chromium, served with the package, and the paths it fetches. */
async function blankPage(t) {
  const server = await serveStatic({ "/pkg/": join(root, "pkg"), "/": join(root, "tests/form") });
  const browser = await launchChromium();
  t.after(async () => {
    await browser.close();
    server.close();
  });
  const page = await browser.newPage();
  const fetched = [];
  page.on("request", (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(`http://127.0.0.1:${server.address().port}/blank.html`);
  return { page, fetched };
}

test("Chromium: a page loads only the checks (no builders, no client) and gets the same answers", async (t) => {
  const { page, fetched } = await blankPage(t);
  const src = answers.toString();
  const result = await page.evaluate(async ({ src, NUMBERS, OTHER, today }) => {
    const checks = await import("/pkg/checks.js");
    const first = checks.init();
    await first;
    const same = checks.init() === first;
    const answers = new Function("NUMBERS", "OTHER", "today", `return (${src})`)(NUMBERS, OTHER, today);
    return { same, answers: answers(checks), names: Object.keys(checks).sort() };
  }, { src, NUMBERS, OTHER, today });
  assert.equal(result.same, true);
  assert.deepEqual(result.names, NAMES);
  const main = await import("../../pkg/node.js");
  assert.equal(result.answers, answers(main));
  assert.ok(fetched.includes("/pkg/checks/iamport_keyin_bg.wasm"), fetched.join());
  assert.ok(!fetched.includes("/pkg/iamport_keyin_bg.wasm") && !fetched.includes("/pkg/index.js"), fetched.join());
  // One JS file (scripts/bundle-entries.mjs): no glue, no facade.js of its own.
  assert.deepEqual(fetched.filter((p) => p.startsWith("/pkg/")).sort(), ["/pkg/checks.js", "/pkg/checks/iamport_keyin_bg.wasm"]);
});

test("Chromium: the main entry is one JS file too: a page fetches index.js and its wasm, nothing else", async (t) => {
  const { page, fetched } = await blankPage(t);
  const r = await page.evaluate(async () => {
    const k = await import("/pkg/index.js");
    await k.init();
    return { brand: k.checkCardNumber("4111 1111 1111 1111").brand, built: k.buildFindPayment("m1").ok };
  });
  assert.deepEqual(r, { brand: "visa", built: true });
  assert.deepEqual(fetched.filter((p) => p.startsWith("/pkg/")).sort(), ["/pkg/iamport_keyin_bg.wasm", "/pkg/index.js"]);
});

test("the checks-only wasm has no indexing or slicing panic in it", () => {
  // Every index and slice in the code it runs is checked (`get`, patterns,
  // `split_at_checked`), so core's index panics are not linked, and neither is the
  // text of their messages: what is left to panic is only the allocator's (capacity
  // overflow, allocation failure). A panicking index brings the messages back.
  const wasm = readFileSync(join(root, "pkg/checks/iamport_keyin_bg.wasm")).toString("latin1");
  for (const text of ["index out of bounds", "slice index starts at", "range end index", "range start index", "is not a char boundary", "source slice length"]) {
    assert.ok(!wasm.includes(text), `the checks-only wasm holds the panic message "${text}"`);
  }
  assert.ok(wasm.includes("capacity overflow"), "the scan reads the data section (the allocator's message is there)");
});
