// No card-data leaks, across every layer at once: canary values (a card number, PIN
// digits, a birth date and a business number) go through the checks, the builders, the
// decoders, the client (Node entry), the proxy (workerd) and the sandbox, on the success
// paths and every refusal and failure path. Everything the project emits is captured:
// return values, thrown errors (message, stack, JSON, inspect), HTTP responses (status
// line, headers, body), the proxy's log hook, workerd's stdout/stderr, the sandbox's log,
// and console output in Node. No canary may appear in any of it; the only place a canary
// may go is the proxy's request to the upstream (the sandbox receives the card, as
// Iamport must). Masked forms show at most the first 6 and last 4 digits.
// The page (console, DOM, network) is covered by the end-to-end suite's canary test.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { Miniflare } from "miniflare";
import { startSandbox, packageModules, proxyWorker, CREDS, jsonInit } from "./harness.mjs";

import { CANARY, DIGITS, leaks } from "./canary.mjs";

const captured = []; // { where, text, errorText }
const capture = (where, value, errorText = false) => {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  captured.push({ where, text, errorText });
};
const captureError = (where, e) => {
  capture(`${where}: message`, String(e?.message), true);
  capture(`${where}: stack`, String(e?.stack));
  capture(`${where}: JSON`, JSON.stringify(e));
  capture(`${where}: inspect`, inspect(e, { depth: 5 }));
};

let k;
let sb;
let mf;
let proxyUrl;
const workerdOut = [];
/** Keeps everything a miniflare's workerd prints, on both streams. */
const captureStdio = (stdout, stderr) => {
  stdout.on("data", (d) => workerdOut.push(String(d)));
  stderr.on("data", (d) => workerdOut.push(String(d)));
};
const consoleOut = [];
const saved = {};

before(async () => {
  for (const m of ["log", "info", "warn", "error", "debug"]) {
    saved[m] = console[m];
    console[m] = (...args) => consoleOut.push(args.map((a) => (typeof a === "string" ? a : inspect(a))).join(" "));
  }
  k = await import("../../pkg/node.js");
  sb = await startSandbox(); // not quiet: its request log is captured
  mf = new Miniflare({
    modules: [{ type: "ESModule", path: "worker.mjs", contents: proxyWorker({ upstreamTimeoutMs: 700, maxBodyBytes: 4096, logAll: true }) }, ...packageModules()],
    compatibilityDate: "2025-09-01",
    cf: false,
    bindings: { IMP_KEY: CREDS.imp_key, IMP_SECRET: CREDS.imp_secret, IAMPORT_API_URL: sb.url },
    handleRuntimeStdio: captureStdio,
  });
  proxyUrl = (await mf.ready).toString().replace(/\/$/, "");
});

after(async () => {
  Object.assign(console, saved);
  await mf?.dispose();
  await sb?.stop();
});

const fields = (over = {}) => ({ card_number: CANARY.card, expiry: "12/30", birth: CANARY.birth, pwd_2digit: CANARY.pin, ...over });
let seq = 0;
let paidUid;
const uid = (tag) => `canary_${tag}_${Date.now()}_${seq++}`;

test("checks, formatting and masking return no canary beyond 6 + 4 digits", () => {
  for (const input of [CANARY.card, DIGITS, CANARY.card.replace(/ /g, "-"), DIGITS + "12345", DIGITS.slice(0, 15) + "9", DIGITS.slice(0, 8) + "x" + DIGITS.slice(8), DIGITS.slice(0, 12)]) {
    // `digits` and `formatted` hand the input back to the code that passed it in (to
    // fill the field, to build the request): not an emission. Everything else is judged.
    const { digits, formatted, ...rest } = k.checkCardNumber(input);
    assert.equal(typeof digits + typeof formatted, "stringstring");
    capture("checkCardNumber", rest);
    const { digits: _d, formatted: _f, ...restEn } = k.checkCardNumber(input, { locale: "en" });
    capture("checkCardNumber en", restEn, true);
    capture("maskCardNumber", k.maskCardNumber(input));
    capture("checkCard", k.checkCard(fields({ card_number: input })), true);
  }
  for (const birth of [CANARY.birth, CANARY.business, "881314", "220-81-62518", CANARY.birth + "9"]) {
    // `value` (when valid) is the input handed back, normalised; the rest is judged.
    const { value, ...rest } = k.checkBirth(birth);
    capture("checkBirth", rest, true);
    const { value: _v, ...restEn } = k.checkBirth(birth, { kind: "business", locale: "en" });
    capture("checkBirth business", restEn, true);
  }
  for (const pin of [CANARY.pin, CANARY.pin + "7", "3a"]) {
    const { value, ...rest } = k.checkPwd2Digit(pin);
    capture("checkPwd2Digit", rest, true);
  }
  capture("checkCard all bad", k.checkCard(fields({ card_number: DIGITS.slice(0, 15) + "9", expiry: "13/30", birth: "881314", pwd_2digit: "3" })), true);
  const f = k.formatCardNumberInput(DIGITS, 16);
  assert.equal(f.value, CANARY.card); // the formatter hands back what the user typed, formatted: not an emission
  const masked = k.checkCardNumber(CANARY.card).masked;
  assert.equal(masked, "5409-87**-****-4828");
});

test("builders and decoders: errors never echo values; unmasked numbers from upstream are re-masked", () => {
  for (const input of [
    fields({ merchant_uid: "m", amount: 1000, expiry: "13/30" }),
    fields({ merchant_uid: "m", amount: -1 }),
    fields({ merchant_uid: "m", amount: 1000, card_number: DIGITS.slice(0, 15) + "9", birth: "881314", pwd_2digit: "377" }),
    fields({ merchant_uid: "m", amount: 1000, unknown_field: CANARY.card }),
    { ...fields(), merchant_uid: `../${DIGITS}`, amount: 1000 },
  ]) {
    const built = k.buildOnetimePayment(input);
    assert.equal(built.ok, false);
    capture("buildOnetimePayment errors", built.errors, true);
    capture("buildBillingKey errors", k.buildBillingKey("cust", input).errors, true);
  }
  // What Iamport might echo: a full card number in card_number or elsewhere.
  const body = { code: 0, message: null, response: { merchant_uid: "m", imp_uid: "imp_1", status: "paid", amount: 1000, card_number: DIGITS, card_name: "canary" } };
  const outcome = k.decodeOutcome(200, body);
  assert.equal(outcome.payment.card_number, "5409-87**-****-4828");
  capture("decodeOutcome", outcome);
  capture("decodeCustomer", k.decodeCustomer(200, { code: 0, message: null, response: { customer_uid: "c", card_number: CANARY.card } }));
  capture("decodeOutcome raw text", k.decodeOutcome(500, `<html>${DIGITS}</html>`), true);
});

async function proxied(path, init) {
  const res = await fetch(`${proxyUrl}${path}`, init);
  const text = await res.text();
  capture(`proxy ${init?.method ?? "GET"} ${path} → ${res.status} (status line + headers)`, `${res.status} ${res.statusText}\n${[...res.headers].map(([h, v]) => `${h}: ${v}`).join("\n")}`);
  capture(`proxy ${path} → ${res.status} (body)`, text);
  return res.status;
}

test("the proxy's answers to canary requests, on every path", async () => {
  const onetime = "/iamport/subscribe/payments/onetime";
  const ok = (tag, over = {}) => jsonInit("POST", fields({ merchant_uid: uid(tag), amount: 1000, ...over }));
  paidUid = uid("paid");
  const statuses = {
    paid: await proxied(onetime, jsonInit("POST", fields({ merchant_uid: paidUid, amount: 1000 }))),
    invalid: await proxied(onetime, ok("invalid", { expiry: "13/30" })),
    unknownField: await proxied(onetime, ok("unknown", { extra: CANARY.card })),
    duplicateKey: await proxied(onetime, { method: "POST", headers: { "content-type": "application/json" }, body: `{"card_number":"${DIGITS}","card_number":"${CANARY.card}","merchant_uid":"d","amount":1000,"expiry":"12/30","birth":"${CANARY.birth}","pwd_2digit":"${CANARY.pin}"}` }),
    malformed: await proxied(onetime, { method: "POST", headers: { "content-type": "application/json" }, body: `{"card_number":"${DIGITS}", "birth": ${CANARY.birth}` }),
    oversize: await proxied(onetime, ok("big", { name: "x".repeat(5000) })),
    wrongType: await proxied(onetime, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify(fields()) }),
    badOrigin: await proxied(onetime, jsonInit("POST", fields({ merchant_uid: uid("origin"), amount: 1000 }), { origin: "https://evil.example" })),
    denied: await proxied(onetime, jsonInit("POST", fields({ merchant_uid: uid("deny"), amount: 1000 }), { "x-test-authorize": "deny" })),
    hookThrows: await proxied(onetime, jsonInit("POST", fields({ merchant_uid: uid("throw"), amount: 1000 }), { "x-test-authorize": "throw" })),
    amountMismatch: await proxied(onetime, jsonInit("POST", fields({ merchant_uid: `mismatch-${uid("m")}`, amount: 1000 }))),
    priceError: await proxied(onetime, jsonInit("POST", fields({ merchant_uid: `priceerr-${uid("p")}`, amount: 1000 }))),
    billingKey: await proxied(`/iamport/subscribe/customers/${uid("cust")}`, jsonInit("POST", fields())),
    billingKeyInvalid: await proxied(`/iamport/subscribe/customers/${uid("cust")}`, jsonInit("POST", fields({ birth: "881314" }))),
  };
  await sb.control("faults", { path: "/subscribe/payments/onetime", mode: "500", count: 1 });
  statuses.upstream500 = await proxied(onetime, ok("u500"));
  await sb.control("faults", { path: "/subscribe/payments/onetime", mode: "delay", delay_ms: 1500, count: 1 });
  statuses.upstreamTimeout = await proxied(onetime, ok("slow"));
  await sb.control("faults", { expire_tokens: true, get_token_fail: 1 });
  statuses.tokenDown = await proxied(onetime, ok("token"));
  // The proxy remembers a getToken failure for 2 s (no getToken storm): wait it out.
  await new Promise((r) => setTimeout(r, 2100));
  // Undecodable: invalid UTF-8 carrying the canary.
  statuses.invalidUtf8 = await proxied(onetime, { method: "POST", headers: { "content-type": "application/json" }, body: Buffer.concat([Buffer.from(`{"card_number":"${DIGITS}`), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]) });
  assert.deepEqual(statuses, {
    paid: 200, invalid: 400, unknownField: 400, duplicateKey: 400, malformed: 400, oversize: 413, wrongType: 415,
    badOrigin: 403, denied: 403, hookThrows: 500, amountMismatch: 409, priceError: 500, billingKey: 200, billingKeyInvalid: 400,
    upstream500: 500, upstreamTimeout: 504, tokenDown: 502, invalidUtf8: 400,
  });
});

test("the client (Node entry) through the proxy: outcomes and KeyinErrors", async () => {
  const c = new k.KeyinClient({ proxyUrl: `${proxyUrl}/iamport`, timeoutMs: 3000 });
  capture("payOnetime paid", await c.payOnetime(fields({ merchant_uid: uid("client"), amount: 1000 })));
  for (const bad of [fields({ merchant_uid: uid("c"), amount: 1000, expiry: "13/30" }), fields({ merchant_uid: uid("c"), amount: 1000, card_number: DIGITS.slice(0, 15) + "9" }), fields({ merchant_uid: `mismatch-${uid("m")}`, amount: 1000 })]) {
    await assert.rejects(c.payOnetime(bad), (e) => (captureError("payOnetime rejected", e), true));
  }
  const cust = uid("cust");
  capture("registerBillingKey", await c.registerBillingKey(cust, fields()));
  capture("getBillingKey", await c.getBillingKey(cust));
  await assert.rejects(c.registerBillingKey(uid("cust"), fields({ pwd_2digit: "3" })), (e) => (captureError("registerBillingKey rejected", e), true));
  // An unknown outcome (the charge timed out at the proxy) is resolved by a look-up.
  await sb.control("faults", { path: "/subscribe/payments/onetime", mode: "delay", delay_ms: 1500, count: 1 });
  capture("payOnetime unknown → look-up", await c.payOnetime(fields({ merchant_uid: uid("late"), amount: 1000 })));
  // Misuse: constructor errors.
  assert.throws(() => new k.KeyinClient({ proxyUrl: CANARY.card }), (e) => (captureError("KeyinClient ctor", e), true));
});

test("workerd: checks run in the isolate print and answer no canary", async () => {
  const worker = `
import { checkCardNumber, checkCard, maskCardNumber } from "iamport-keyin";
export default {
  async fetch(request) {
    const n = new URL(request.url).searchParams.get("n");
    const { digits, formatted, ...card } = checkCardNumber(n);
    const r = { card, all: checkCard({ card_number: n, expiry: "13/30", birth: "${CANARY.birth}", pwd_2digit: "${CANARY.pin}" }), mask: maskCardNumber(n) };
    console.log("check", JSON.stringify(r));
    console.error("error-stream", r.card.masked);
    return Response.json(r);
  },
};`;
  const w = new Miniflare({
    modules: [{ type: "ESModule", path: "worker.mjs", contents: worker }, ...packageModules()],
    compatibilityDate: "2025-09-01",
    cf: false,
    handleRuntimeStdio: captureStdio,
  });
  try {
    const url = (await w.ready).toString();
    for (const n of [CANARY.card, DIGITS.slice(0, 15) + "9"]) {
      const res = await fetch(`${url}?n=${encodeURIComponent(n)}`);
      capture("workerd check response", await res.text());
    }
  } finally {
    await w.dispose();
  }
});

test("nothing captured anywhere holds a canary; the upstream did receive the card", async () => {
  await new Promise((r) => setTimeout(r, 200)); // let workerd's stdout drain
  // (Log lines hold durations and timestamps: the two PIN digits are judged where labelled.)
  for (const line of sb.logs) capture("sandbox log", line);
  for (const chunk of workerdOut) capture("workerd stdout/stderr", chunk);
  for (const line of consoleOut) capture("Node console", line);
  const events = await (await fetch(`${proxyUrl}/__test/events`)).json();
  capture("proxy log hook", events);
  // The capture is real: it holds what each layer emitted.
  assert.ok(workerdOut.join("").includes("proxy-log"), "the proxy's log events reached workerd's stdout");
  assert.ok(workerdOut.join("").includes("error-stream"), "workerd's stderr was captured");
  assert.ok(sb.logs.some((l) => l.includes("POST /subscribe/payments/onetime -> 200")), "the sandbox logged the charges");
  assert.ok(captured.length > 150, `captured ${captured.length} texts`);
  const found = captured.flatMap(({ where, text, errorText }) => leaks(text, { errorText }).map((l) => `${where}: ${l}`));
  assert.deepEqual(found, []);
  // The only way out: the proxy's request to the upstream carried the card (the sandbox stored it, masked).
  const stats = await sb.stats();
  assert.ok(stats.routes["POST /subscribe/payments/onetime"] >= 4);
  const stored = await sb.direct("GET", `/payments/find/${paidUid}`);
  assert.equal(stored.status, 200);
  assert.match(stored.body.response.card_number, /^5409-?87.*4828$/, "the sandbox got the whole number (and stores it masked)");
});

test("the leak detector itself finds each canary form", () => {
  assert.deepEqual(leaks(`card ${DIGITS}`), ["card number (middle digits)", "card number (digits 5..14)", "unmasked form 16 chars"]);
  assert.ok(leaks("5409-8791-3057-4828").includes("card number (middle digits)"));
  assert.ok(leaks("5409 8791 3057 4829").includes("card number (middle digits)"), "a Luhn-failing variant has the same middle");
  assert.deepEqual(leaks("540987******4828"), []);
  assert.deepEqual(leaks("5409-87**-****-4828"), []);
  assert.deepEqual(leaks(`birth ${CANARY.birth}`), ["birth"]);
  assert.deepEqual(leaks("220-81-62517"), ["business number"]);
  assert.deepEqual(leaks('{"pwd_2digit":"37"}'), ["PIN (labelled)"]);
  assert.deepEqual(leaks("PIN 37 is wrong", { errorText: true }), ["PIN (in an error text)"]);
});
