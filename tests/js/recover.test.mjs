// Panic recovery: a trapped wasm instance is replaced, so the next call works, in Node,
// in workerd and in a Chromium page. Runs against the test build in target/pkg-trap/
// (scripts/build-pkg.sh --test-trap), whose `__testTrap(kind)` traps on purpose:
// 0 a panic, 1 `unreachable`, 2 a shadow-stack overflow, 3 an allocation failure;
// `__testTrapAsync()` (server build) panics inside async work one microtask later.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Miniflare } from "miniflare";
import { startSandbox, startProxy, packageModules, CREDS } from "./harness.mjs";
import { launchChromium } from "./chromium.mjs";

const trapDir = new URL("../../target/pkg-trap/", import.meta.url);
const KINDS = { 0: "panic", 1: "unreachable", 2: "stack overflow", 3: "allocation failure" };
const VISA = "4111 1111 1111 1111";

let k;
let sb;
let px;
before(async () => {
  k = await import(new URL("node.js", trapDir));
  sb = await startSandbox(["--quiet"]);
  px = await startProxy(sb.url);
});
after(async () => {
  await px?.stop();
  await sb?.stop();
});

/** Runs `f` while capturing uncaught exceptions (an async trap surfaces as one). */
async function capturingUncaught(f) {
  const seen = [];
  const listener = (e) => seen.push(e);
  const saved = process.listeners("uncaughtException");
  process.removeAllListeners("uncaughtException");
  process.on("uncaughtException", listener);
  try {
    await f();
    await new Promise((r) => setTimeout(r, 20));
  } finally {
    process.removeListener("uncaughtException", listener);
    for (const l of saved) process.on("uncaughtException", l);
  }
  return seen;
}

function assertInternal(e) {
  assert.equal(e.name, "KeyinError");
  assert.equal(e.code, "INTERNAL_ERROR");
  assert.match(e.message, /trapped and was restarted/);
  return true;
}

test("Node: every kind of trap throws INTERNAL_ERROR, and the next call works in a fresh instance", () => {
  for (const [kind, what] of Object.entries(KINDS)) {
    assert.equal(k.setLocale("en"), true);
    assert.throws(() => k.__testTrap(Number(kind)), (e) => assertInternal(e) && e.cause instanceof WebAssembly.RuntimeError, what);
    const r = k.checkCardNumber(VISA);
    assert.equal(r.isValid, true, `after ${what}`);
    assert.equal(r.brand, "visa");
    assert.equal(k.getLocale(), "en", `the locale survives a ${what}`);
    assert.equal(k.buildFindPayment("order-1").ok, true);
    // Repeatedly: the recovery itself must not degrade.
    assert.throws(() => k.__testTrap(Number(kind)), assertInternal);
    assert.equal(k.isValidCardNumber(VISA), true);
  }
  assert.equal(k.__testTrap(9), 9, "a non-trapping call returns normally");
  k.setLocale("ko");
});

test("Node, iamport-keyin/checks: every kind of trap throws INTERNAL_ERROR, and the next check works in a fresh instance", async () => {
  // The checks-only entry answers every check through one input buffer and one export
  // (src/js/protocol.rs; it has no fast path): it must find the fresh instance (and
  // its memory) after a trap.
  const c = await import(new URL("checks.js", trapDir));
  c.initSync({ module: readFileSync(new URL("checks/iamport_keyin_bg.wasm", trapDir)) });
  for (const [kind, what] of Object.entries(KINDS)) {
    assert.equal(c.setLocale("en"), true);
    assert.equal(c.checkBirth("000000").error.message, "The birth date is not a real date.");
    assert.throws(() => c.__testTrap(Number(kind)), (e) => assertInternal(e) && e.cause instanceof WebAssembly.RuntimeError, what);
    assert.equal(c.checkCardNumber(VISA).masked, "4111-11**-****-1111", `a keystroke check after ${what}`);
    assert.equal(c.checkBirth("000000").error.message, "The birth date is not a real date.", `the protocol, in English, after ${what}`);
    assert.equal(c.getLocale(), "en", `the locale survives a ${what}`);
    assert.deepEqual(c.formatFieldInput("expiry", "1230", 4), { value: "12/30", caret: 5, complete: true });
    assert.equal(c.checkCardNumber(" ".repeat(100) + VISA).isValid, true, "a long input, through the protocol");
  }
  assert.equal(c.__testTrap(9), 9, "a non-trapping call returns normally");
  c.setLocale("ko");
});

test("Node: a client made before a trap keeps working after it", async () => {
  const c = new k.KeyinClient({ proxyUrl: `${px.url}/iamport`, timeoutMs: 5000 });
  const uid = `rc_before_${Date.now()}`;
  const first = await c.payOnetime({ merchant_uid: uid, amount: 1000, card_number: VISA, expiry: "12/30", birth: "820213", pwd_2digit: "12" });
  assert.equal(first.status, "paid");
  assert.throws(() => k.__testTrap(0), assertInternal);
  const found = await c.findPayment(uid);
  assert.equal(found.status, "paid");
  assert.equal(found.payment.merchant_uid, uid);
  assert.equal(c.proxyUrl, `${px.url}/iamport`);
});

test("Node: a charge in flight when the instance traps rejects with an unknown outcome; the look-up matches the sandbox", async () => {
  await sb.control("faults", { slow_ms: 600 });
  try {
    const c = new k.KeyinClient({ proxyUrl: `${px.url}/iamport`, timeoutMs: 5000 });
    const uid = `rc_inflight_${Date.now()}`;
    const charge = c.payOnetime({ merchant_uid: uid, amount: 1000, card_number: "4000 0000 0000 0051", expiry: "12/30", birth: "820213", pwd_2digit: "12" });
    await new Promise((r) => setTimeout(r, 100)); // the charge is at the sandbox now
    assert.throws(() => k.__testTrap(1), assertInternal);
    await assert.rejects(charge, (e) => {
      assertInternal(e);
      assert.equal(e.merchantUid, uid);
      assert.match(e.message, /outcome of the charge .* is unknown/);
      assert.ok(!e.message.includes("4000000000000051") && !e.message.includes("0051"), "no card digits in the error");
      return true;
    });
    // Never retried: the sandbox holds what the proxy sent, once; the look-up reports it.
    await new Promise((r) => setTimeout(r, 900));
    assert.equal(await sb.count(uid), 1);
    const found = await c.findPayment(uid);
    assert.equal(found.status, "paid");
  } finally {
    await sb.control("faults", { slow_ms: 0 });
  }
});

test("Node: a panic inside async work fails the operations in flight, and the next call works", async () => {
  k.setLocale("en");
  let rejection;
  const uncaught = await capturingUncaught(async () => {
    await k.__testTrapAsync().then(
      () => assert.fail("resolved"),
      (e) => (rejection = e),
    );
  });
  assertInternal(rejection);
  // Like any exception thrown in a microtask, the trap itself is reported as uncaught.
  assert.equal(uncaught.length, 1);
  assert.ok(uncaught[0] instanceof WebAssembly.RuntimeError);
  assert.equal(k.checkCardNumber(VISA).isValid, true);
  assert.equal(k.getLocale(), "en");
  k.setLocale("ko");
});

test("workerd: the proxy and the checks keep serving after traps in the isolate", async () => {
  const worker = `
import { createProxy, checkCardNumber, __testTrap, __testTrapAsync } from "iamport-keyin";
// Only look-ups, for a test caller (this worker is a test fixture, not an example).
const proxy = createProxy({
  allowedOrigins: [],
  operations: ["findPayment"],
  authorize: (request) => request.headers.get("x-test-session") === "recover-test",
});
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/__test/trap") {
      try { __testTrap(Number(url.searchParams.get("kind"))); return new Response("no trap"); }
      catch (e) { return Response.json({ name: e.name, code: e.code }); }
    }
    if (url.pathname === "/__test/trap-async") {
      try { await __testTrapAsync(); return new Response("no trap"); }
      catch (e) { return Response.json({ name: e.name, code: e.code }); }
    }
    if (url.pathname === "/__test/check") return Response.json(checkCardNumber(url.searchParams.get("n")));
    return proxy.fetch(request, env, ctx);
  },
};`;
  const mf = new Miniflare({
    modules: [{ type: "ESModule", path: "worker.mjs", contents: worker }, ...packageModules(trapDir)],
    compatibilityDate: "2025-09-01",
    cf: false,
    bindings: { IMP_KEY: CREDS.imp_key, IMP_SECRET: CREDS.imp_secret, IAMPORT_API_URL: sb.url },
  });
  try {
    const url = (await mf.ready).toString().replace(/\/$/, "");
    const find = async () => {
      const res = await fetch(`${url}/iamport/payments/find/rc_missing_${Date.now()}`, { headers: { "x-test-session": "recover-test" } });
      await res.arrayBuffer();
      return res.status;
    };
    const before = await find();
    assert.equal(before, 404);
    for (const kind of Object.keys(KINDS)) {
      const r = await (await fetch(`${url}/__test/trap?kind=${kind}`)).json();
      assert.deepEqual(r, { name: "KeyinError", code: "INTERNAL_ERROR" }, KINDS[kind]);
      assert.equal(await find(), 404, `the proxy serves after a ${KINDS[kind]}`);
      const check = await (await fetch(`${url}/__test/check?n=${encodeURIComponent(VISA)}`)).json();
      assert.equal(check.isValid, true);
    }
    const r = await (await fetch(`${url}/__test/trap-async`)).json();
    assert.deepEqual(r, { name: "KeyinError", code: "INTERNAL_ERROR" });
    assert.equal(await find(), 404, "the proxy serves after a panic in async work");
  } finally {
    await mf.dispose();
  }
});

test("Chromium page: the browser entry recovers, and a client made before the trap still works", async () => {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e));
    const types = { js: "text/javascript", wasm: "application/wasm", html: "text/html" };
    await page.route("http://keyin.test/**", async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path.startsWith("/iamport/")) {
        // A test build's client panics in its callback on this status (src/client/web.rs).
        if ((route.request().postData() ?? "").includes("trap_me")) return route.fulfill({ status: 599, contentType: "application/json", body: "{}" });
        // A proxy's answer to the look-up.
        return route.fulfill({
          contentType: "application/json",
          body: JSON.stringify({ code: 0, message: null, response: { merchant_uid: "m1", imp_uid: "imp_1", status: "paid", amount: 1000, currency: "KRW" } }),
        });
      }
      if (path === "/") return route.fulfill({ contentType: types.html, body: "<!doctype html><title>recover</title>" });
      const file = new URL(path.slice(1), trapDir);
      return route.fulfill({ contentType: types[path.split(".").pop()] ?? "application/octet-stream", body: readFileSync(file) });
    });
    await page.goto("http://keyin.test/");
    const r = await page.evaluate(async () => {
      const k = await import("/index.js");
      await k.init();
      const client = new k.KeyinClient({ proxyUrl: "/iamport" });
      const out = [];
      for (const kind of [0, 1, 2, 3]) {
        let err = null;
        try {
          k.__testTrap(kind);
        } catch (e) {
          err = { name: e.name, code: e.code, cause: e.cause?.constructor?.name };
        }
        out.push({ kind, err, after: k.checkCardNumber("4111 1111 1111 1111").isValid });
      }
      // (A promise left pending, the failure this guards against, answers "pending".)
      const settled = (p) => Promise.race([p, new Promise((r) => setTimeout(() => r("pending"), 10000))]);
      // (The browser build runs no async work in the wasm, so it has no __testTrapAsync:
      // a client operation's steps are its only async path, tested below.)
      const noAsyncTrap = typeof k.__testTrapAsync;
      const found = await client.findPayment("m1");
      // A trap in the client's own step (a fetch settling): the charge's error names
      // its merchant_uid, a look-up in flight beside it fails too, and the client works
      // after it.
      const beside = settled(client.findPayment("m1").then((p) => p.status, (e) => e.code));
      const callbackErr = await settled(
        client
          .payOnetime({ merchant_uid: "trap_me", amount: 1000, card_number: "4111111111111111", expiry: "12/30", birth: "820213", pwd_2digit: "12" })
          .then(() => "paid", (e) => ({ code: e.code, merchantUid: e.merchantUid, cause: e.cause?.constructor?.name })),
      );
      const besideAnswer = await beside;
      const again = await client.findPayment("m1");
      return { out, noAsyncTrap, found: found.status, afterTraps: k.isValidCardNumber("4111111111111111"), callbackErr, besideAnswer, again: again.status };
    });
    for (const o of r.out) {
      assert.deepEqual(o.err, { name: "KeyinError", code: "INTERNAL_ERROR", cause: "RuntimeError" }, KINDS[o.kind]);
      assert.equal(o.after, true);
    }
    assert.equal(r.noAsyncTrap, "undefined");
    assert.equal(r.afterTraps, true);
    assert.equal(r.found, "paid");
    assert.deepEqual(r.callbackErr, { code: "INTERNAL_ERROR", merchantUid: "trap_me", cause: "RuntimeError" });
    assert.ok(["paid", "INTERNAL_ERROR"].includes(r.besideAnswer), r.besideAnswer); // answered before the trap, or failed by it: never left pending
    assert.equal(r.again, "paid");
    // The traps in async work reject their operations: nothing is left uncaught.
    assert.deepEqual(errors.map(String), []);
  } finally {
    await browser.close();
  }
});
