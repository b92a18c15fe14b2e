// The proxy is safe by default (issue 14) and survives an attacker-minded review
// (issue 21). Every attack runs against the same proxy in two runtimes: workerd
// (miniflare) and Node (the package's node entry, called directly), with the real
// sandbox upstream; "0 upstream calls" is counted at the sandbox.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Miniflare } from "miniflare";
import { startSandbox, packageModules, CREDS } from "./harness.mjs";
import { options } from "./secure-options.mjs";

const OPTIONS_SOURCE = readFileSync(new URL("./secure-options.mjs", import.meta.url), "utf8");
let sb;
let env;
const started = [];
const unhandled = [];
const onUnhandled = (e) => unhandled.push(e);

before(async () => {
  sb = await startSandbox(["--quiet"]);
  env = { IMP_KEY: CREDS.imp_key, IMP_SECRET: CREDS.imp_secret, IAMPORT_API_URL: sb.url };
  process.on("unhandledRejection", onUnhandled);
  // Alice has a stored card: every attack on it would succeed against an open proxy.
  const reg = await sb.direct("POST", "/subscribe/customers/cust_alice", { card_number: "4111-1111-1111-1111", expiry: "2030-12", birth: "820213", pwd_2digit: "12" });
  assert.equal(reg.status, 200);
});
after(async () => {
  process.off("unhandledRejection", onUnhandled);
  await Promise.all(started.map((p) => p.stop()));
  await sb?.stop();
});

/** The two runtimes: each makes a proxy from a named variant of secure-options.mjs. */
const RUNTIMES = {
  async workerd(variant) {
    const worker = `
import { createProxy } from "iamport-keyin";
import { options } from "./secure-options.mjs";
const events = [];
let proxy = null;
let error = null;
try { proxy = createProxy(options(${JSON.stringify(variant)}, events)); } catch (e) { error = { name: e.name, message: e.message }; }
export default {
  async fetch(request, env, ctx) {
    const path = new URL(request.url).pathname;
    if (path === "/__test/created") return Response.json(error ?? { ok: true });
    if (path === "/__test/events") return Response.json(events.splice(0));
    return proxy.fetch(request, env, ctx);
  },
};`;
    const mf = new Miniflare({
      modules: [
        { type: "ESModule", path: "worker.mjs", contents: worker },
        { type: "ESModule", path: "secure-options.mjs", contents: OPTIONS_SOURCE },
        ...packageModules(),
      ],
      compatibilityDate: "2025-09-01",
      cf: false,
      bindings: env,
    });
    const url = (await mf.ready).toString().replace(/\/$/, "");
    let stopped = null;
    const p = {
      fetch: (path, init) => fetch(url + path, init),
      created: () => fetch(url + "/__test/created").then((r) => r.json()),
      stop: () => (stopped ??= mf.dispose()),
    };
    started.push(p);
    return p;
  },
  async node(variant) {
    const { createProxy } = await import("../../pkg/node.js");
    const events = [];
    let proxy = null;
    let error = null;
    try {
      proxy = createProxy(options(variant, events));
    } catch (e) {
      error = { name: e.name, message: e.message };
    }
    // Each workerd proxy is its own isolate, with its own token. In one Node process the
    // package shares one token per API URL, key and tier (by design: the proxy and the
    // server client ask once); a tier per proxy keeps each test's token its own.
    const own = { ...env, IAMPORT_TIER: `node-proxy-${++nodeProxies}` };
    return {
      fetch: (path, init) => proxy.fetch(new Request(`http://proxy.test${path}`, init), own),
      created: async () => error ?? { ok: true },
      stop: async () => {},
    };
  },
};

let nodeProxies = 0;
const upstream = async () => (await sb.stats()).total;
const tokenCalls = async () => (await sb.stats()).routes["POST /users/getToken"] ?? 0;
const json = (method, body, headers = {}) => ({ method, headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
const card = { card_number: "4111 1111 1111 1111", expiry: "12/30", birth: "820213", pwd_2digit: "12" };
let seq = 0;
const uid = (owner, product = "basic") => `${owner}-${product}-${Date.now().toString(36)}${seq++}`;
const later = () => Math.floor(Date.now() / 1000) + 86_400 * 30;

/** Sends and reads the answer; `code` is the proxy's own error code, if any. */
async function send(p, path, init) {
  const res = await p.fetch(path, init);
  const text = await res.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body, code: body?.error?.code, headers: res.headers, text };
}

/** Runs `fn` and asserts it made no upstream call at all. */
async function noUpstream(fn) {
  const before = await upstream();
  const r = await fn();
  assert.equal(await upstream(), before, "no upstream call");
  return r;
}

/** The five attacks of issue 14, as an anonymous caller (or `headers`) would send them. */
const ATTACKS = (headers) => [
  ["charge another customer's stored key", "/iamport/subscribe/payments/again", json("POST", { customer_uid: "cust_alice", merchant_uid: uid("mallory"), amount: 990000, name: "n" }, headers)],
  ["read a customer's record", "/iamport/subscribe/customers/cust_alice", { method: "GET", headers }],
  ["delete a billing key", "/iamport/subscribe/customers/cust_alice", { method: "DELETE", headers }],
  ["schedule charges on someone's card", "/iamport/subscribe/payments/schedule", json("POST", { customer_uid: "cust_alice", schedules: [{ merchant_uid: uid("mallory"), schedule_at: later(), amount: 990000 }] }, headers)],
  ["read an order by merchant_uid", `/iamport/payments/find/${uid("alice")}`, { method: "GET", headers }],
];

for (const [runtime, make] of Object.entries(RUNTIMES)) {
  describe(`${runtime}: safe by default`, () => {
    test("createProxy fails closed: no authorize, charges without resolveAmount, unsafe CORS, unknown operations", async () => {
      for (const [variant, names] of [
        ["hookless", "authorize is required"],
        ["no-price", "resolveAmount is required to serve payOnetime, payAgain, schedule"],
        ["star-credentials", "allowCredentials"],
        ["unknown-operation", '"refund" is not an operation'],
        ["null-origin", '"null"'],
      ]) {
        const p = await make(variant);
        const r = await p.created();
        assert.equal(r.name, "TypeError", variant);
        assert.ok(r.message.includes(names), `${variant}: ${r.message}`);
        await p.stop();
      }
    });

    for (const variant of ["safe", "no-price-reads-only", "null-price"]) {
      test(`${variant}: the five anonymous attacks fail, with or without a forged Origin, and nothing reaches Iamport`, async () => {
        const p = await make(variant);
        assert.deepEqual(await p.created(), { ok: true });
        for (const headers of [{}, { origin: "https://shop.example" }, { "x-session": "bob" }]) {
          for (const [name, path, init] of ATTACKS(headers)) {
            const r = await noUpstream(() => send(p, path, init));
            assert.ok([403, 404].includes(r.status), `${name} ${JSON.stringify(headers)}: ${r.status} ${r.text}`);
            assert.ok(["FORBIDDEN", "NOT_FOUND"].includes(r.code), r.text);
          }
        }
        // The card is still there (the delete never went through).
        assert.equal((await sb.direct("GET", "/subscribe/customers/cust_alice")).status, 200);
      });
    }

    test("the owner's own requests work; an amount other than the server's price is refused before Iamport", async () => {
      const p = await make("safe");
      const alice = { "x-session": "alice" };
      const paid = await send(p, "/iamport/subscribe/payments/again", json("POST", { customer_uid: "cust_alice", merchant_uid: uid("alice"), amount: 9900, name: "n" }, alice));
      assert.equal(paid.status, 200, paid.text);
      assert.equal(paid.body.response.status, "paid");
      const m = uid("alice");
      const r = await noUpstream(() => send(p, "/iamport/subscribe/payments/again", json("POST", { customer_uid: "cust_alice", merchant_uid: m, amount: 1, name: "n" }, alice)));
      assert.equal(r.status, 409);
      assert.equal(r.code, "AMOUNT_MISMATCH");
      assert.equal(await sb.count(m), 0);
      // An order with no price (an unknown product) is refused, never charged at the browser's amount.
      const r2 = await noUpstream(() => send(p, "/iamport/subscribe/payments/again", json("POST", { customer_uid: "cust_alice", merchant_uid: uid("alice", "gift"), amount: 1000, name: "n" }, alice)));
      assert.equal(r2.code, "AMOUNT_UNRESOLVED");
      const nul = await make("null-price");
      const r3 = await noUpstream(() => send(nul, "/iamport/subscribe/payments/again", json("POST", { customer_uid: "cust_alice", merchant_uid: uid("alice"), amount: 9900, name: "n" }, alice)));
      assert.equal(r3.status, 409);
      assert.equal(r3.code, "AMOUNT_UNRESOLVED");
      // Left out of `operations`: 404, even for the owner.
      const reads = await make("no-price-reads-only");
      const r4 = await noUpstream(() => send(reads, "/iamport/subscribe/payments/again", json("POST", { customer_uid: "cust_alice", merchant_uid: uid("alice"), amount: 9900, name: "n" }, alice)));
      assert.equal(r4.status, 404);
      assert.equal((await send(reads, "/iamport/subscribe/customers/cust_alice", { headers: alice })).status, 200);
    });
  });

  describe(`${runtime}: hardening (issue 21)`, () => {
    let p;
    before(async () => {
      p = await make("safe");
    });
    const alice = (extra = {}) => ({ "x-session": "alice", ...extra });
    const again = (m, amount, headers) => json("POST", { customer_uid: "cust_alice", merchant_uid: m, amount, name: "n" }, headers);

    test("1. authorize allows only exactly true, and awaits any thenable", async () => {
      for (const shape of ["string", "object", "one"]) {
        const r = await noUpstream(() => send(p, "/iamport/subscribe/payments/again", again(uid("alice"), 9900, alice({ "x-test-authorize": shape }))));
        assert.equal(r.code, "FORBIDDEN", shape);
      }
      // A thenable (an ORM query) answering false: refused. Answering true: allowed.
      const bob = await noUpstream(() => send(p, "/iamport/subscribe/customers/cust_alice", { headers: { "x-session": "bob", "x-test-authorize": "thenable" } }));
      assert.equal(bob.code, "FORBIDDEN");
      const own = await send(p, "/iamport/subscribe/customers/cust_alice", { headers: alice({ "x-test-authorize": "thenable" }) });
      assert.equal(own.status, 200, own.text);
    });

    test("2. a price must be a whole positive number: \"9900\", 9900n and objects are no price; a thenable is awaited", async () => {
      for (const shape of ["string", "bigint", "object"]) {
        const m = uid("alice");
        const r = await noUpstream(() => send(p, "/iamport/subscribe/payments/again", again(m, 1, alice({ "x-test-price": shape }))));
        assert.equal(r.code, "AMOUNT_UNRESOLVED", shape);
        assert.equal(await sb.count(m), 0);
      }
      const m = uid("alice");
      const r = await noUpstream(() => send(p, "/iamport/subscribe/payments/again", again(m, 1, alice({ "x-test-price": "thenable" }))));
      assert.equal(r.code, "AMOUNT_MISMATCH", "the thenable's 9900 was awaited and compared");
    });

    test("3. every schedule entry is priced on its own, the checking amount too; long lists are refused", async () => {
      const entries = [1, 1, 29698].map((amount, i) => ({ merchant_uid: uid("alice", "plan"), schedule_at: later() + i, amount }));
      const r = await noUpstream(() => send(p, "/iamport/subscribe/payments/schedule", json("POST", { customer_uid: "cust_alice", schedules: entries }, alice())));
      assert.equal(r.code, "AMOUNT_MISMATCH");
      const ok = [29700].map((amount) => ({ merchant_uid: uid("alice", "plan"), schedule_at: later(), amount }));
      const probe = await noUpstream(() => send(p, "/iamport/subscribe/payments/schedule", json("POST", { customer_uid: "cust_alice", checking_amount: 5_000_000, schedules: ok }, alice())));
      assert.equal(probe.code, "AMOUNT_UNRESOLVED", "a checking_amount nobody priced is refused");
      const many = Array.from({ length: 2050 }, (_, i) => ({ merchant_uid: `alice-basic-w${i}`, schedule_at: later(), amount: 9_000_000_000_000_000 }));
      const wrapped = await noUpstream(() => send(p, "/iamport/subscribe/payments/schedule", json("POST", { customer_uid: "cust_alice", schedules: many }, alice())));
      assert.ok([400, 413].includes(wrapped.status), wrapped.text);
      const fine = await send(p, "/iamport/subscribe/payments/schedule", json("POST", { customer_uid: "cust_alice", schedules: ok }, alice()));
      assert.equal(fine.status, 200, fine.text);
    });

    test("4. pg, channel_key and notice_url are the server's when it sets them", async () => {
      const s = await make("server-fields");
      for (const [field, value] of [["pg", "kcp.TESTMODE"], ["notice_url", "http://169.254.169.254/latest/meta-data"]]) {
        const m = uid("alice");
        const r = await noUpstream(() => send(s, "/iamport/subscribe/payments/onetime", json("POST", { merchant_uid: m, amount: 9900, ...card, [field]: value }, alice())));
        assert.equal(r.status, 400);
        assert.equal(r.code, "SERVER_OWNED_FIELD");
        assert.equal(r.body.error.fields[0].field, field);
        assert.ok(!r.text.includes("169.254") && !r.text.includes("TESTMODE"), r.text);
      }
      const r = await noUpstream(() => send(s, "/iamport/subscribe/payments/again", json("POST", { customer_uid: "cust_alice", merchant_uid: uid("alice"), amount: 9900, name: "n", channel_key: "attacker" }, alice())));
      assert.equal(r.code, "SERVER_OWNED_FIELD");
      const paid = await send(s, "/iamport/subscribe/payments/onetime", json("POST", { merchant_uid: uid("alice"), amount: 9900, ...card, pg: "kcp.A52CY" }, alice()));
      assert.equal(paid.status, 200, paid.text);
    });

    test("5. upstreamTimeoutMs is one deadline: a slow getToken leaves no time, and the charge is never sent", async () => {
      const d = await make("deadline");
      await sb.control("faults", { path: "/users/getToken", mode: "delay", delay_ms: 1500, count: 1 });
      const m = uid("alice");
      const t0 = Date.now();
      const r = await send(d, "/iamport/subscribe/payments/again", again(m, 9900, alice()));
      assert.ok(Date.now() - t0 < 1500, "answered at the deadline");
      assert.equal(r.status, 504);
      assert.equal(r.code, "UPSTREAM_TIMEOUT");
      await new Promise((res) => setTimeout(res, 2500)); // past the moment the slow getToken answered
      assert.equal(await sb.count(m), 0, "the charge was never forwarded");
    });

    test("6. a log hook that throws or rejects never breaks a request or the process", async () => {
      for (const variant of ["rejecting-log", "throwing-log"]) {
        const l = await make(variant);
        const r = await send(l, "/iamport/subscribe/customers/cust_alice", { headers: alice() });
        assert.equal(r.status, 200, `${variant}: ${r.text}`);
        const bad = await send(l, "/iamport/subscribe/customers/cust_alice", { headers: {} });
        assert.equal(bad.code, "FORBIDDEN");
      }
      await new Promise((res) => setTimeout(res, 50));
      assert.deepEqual(unhandled, [], "no unhandled rejection in this process");
    });

    test("7. answers stay small: field errors capped at 20, lists capped before any entry is read", async () => {
      const junk = Array.from({ length: 100 }, (_, i) => ({ merchant_uid: `alice-basic-${i}`, schedule_at: 1, amount: -1, name: 5 }));
      const body = JSON.stringify({ customer_uid: "cust_alice", schedules: junk });
      assert.ok(body.length < 16 * 1024);
      const r = await noUpstream(() => send(p, "/iamport/subscribe/payments/schedule", json("POST", body, alice())));
      assert.equal(r.code, "INVALID_INPUT");
      assert.equal(r.body.error.fields.length, 20);
      assert.ok(r.text.length < 4096, `${r.text.length} bytes`);
      const uids = Array.from({ length: 2182 }, (_, i) => `m${i}`);
      const un = await noUpstream(() => send(p, "/iamport/subscribe/payments/unschedule", json("POST", { merchant_uid: uids }, alice())));
      assert.equal(un.code, "INVALID_INPUT");
      assert.deepEqual(un.body.error.fields.map((f) => `${f.field}:${f.code}`), ["merchant_uid:TOO_LONG"]);
    });

    test("8. every answer is JSON, nosniff and no-store", async () => {
      for (const [path, init] of [
        ["/iamport/subscribe/customers/cust_alice", { headers: alice() }],
        [`/iamport/payments/find/${uid("alice")}`, { headers: alice() }],
        ["/iamport/users/getToken", json("POST", {})],
      ]) {
        const r = await send(p, path, init);
        assert.equal(r.headers.get("content-type"), "application/json; charset=utf-8", path);
        assert.equal(r.headers.get("x-content-type-options"), "nosniff", path);
        assert.equal(r.headers.get("cache-control"), "no-store", path);
      }
      // An upstream gateway's HTML error page (this test card commits, then the gateway
      // answers 504 text/html): its status passes on, never as HTML from the shop's origin.
      const gw = await send(p, "/iamport/subscribe/payments/onetime", json("POST", { merchant_uid: uid("alice"), amount: 9900, ...card, card_number: "4000 0000 0000 0077" }, alice()));
      assert.equal(gw.status, 504);
      assert.ok(gw.text.includes("<html"), "the gateway's page was passed on");
      assert.equal(gw.headers.get("content-type"), "application/json; charset=utf-8");
      assert.equal(gw.headers.get("x-content-type-options"), "nosniff");
    });

    test("9. CORS: \"*\" answers a literal *, never with credentials; credentials only for listed origins", async () => {
      const any = await make("any-origin");
      for (const origin of ["https://evil.example", "null"]) {
        const r = await send(any, "/iamport/subscribe/customers/cust_alice", { method: "OPTIONS", headers: { origin, "access-control-request-method": "GET" } });
        assert.equal(r.headers.get("access-control-allow-origin"), "*", origin);
        assert.equal(r.headers.get("access-control-allow-credentials"), null);
      }
      const creds = await make("credentials");
      const ok = await send(creds, "/iamport/subscribe/customers/cust_alice", { headers: alice({ origin: "https://shop.example" }) });
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get("access-control-allow-origin"), "https://shop.example");
      assert.equal(ok.headers.get("access-control-allow-credentials"), "true");
      const evil = await noUpstream(() => send(creds, "/iamport/subscribe/customers/cust_alice", { headers: alice({ origin: "https://evil.example" }) }));
      assert.equal(evil.code, "ORIGIN_NOT_ALLOWED");
    });

    test("10. look-alike uids (bidi overrides, zero-width, BOM) are refused", async () => {
      for (const bad of ["\u202enimda", "cust_\u200balice", "\ufeffcust_alice", "cust\u2066_alice"]) {
        const r = await noUpstream(() => send(p, `/iamport/subscribe/customers/${encodeURIComponent(bad)}`, { headers: alice() }));
        assert.equal(r.status, 400, JSON.stringify(bad));
        assert.equal(r.body.error.fields[0].code, "INVALID_UID");
      }
    });

    test("11. a failing getToken is remembered: 30 requests, one getToken, and our words only", async () => {
      const fresh = await make("safe");
      await sb.control("faults", { get_token_fail: 30 });
      const before = await tokenCalls();
      for (let i = 0; i < 30; i++) {
        const r = await send(fresh, "/iamport/subscribe/customers/cust_alice", { headers: alice() });
        assert.equal(r.code, "TOKEN_FAILED");
        assert.ok(!r.text.includes("sandbox"), r.text);
      }
      assert.equal((await tokenCalls()) - before, 1);
      await sb.control("faults", { get_token_fail: 0 });
      await new Promise((res) => setTimeout(res, 2100)); // the back-off
      const r = await send(fresh, "/iamport/subscribe/customers/cust_alice", { headers: alice() });
      assert.equal(r.status, 200, r.text);
    });
  });
}
