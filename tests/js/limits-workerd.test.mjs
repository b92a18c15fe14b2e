// Card-testing defence on Cloudflare Workers: two proxy workers share one counter, the
// package's KeyinLimiter Durable Object (bound as KEYIN_LIMITER), in workerd (miniflare).
// Upstream calls are counted at the sandbox.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Miniflare } from "miniflare";
import { startSandbox, packageModules, luhnCard, CREDS } from "./harness.mjs";

const worker = (limits = "") => `
import { createProxy, KeyinLimiter } from "iamport-keyin";
// Test-only: what the object stores, and a reload from storage (as after an eviction).
export class TestLimiter extends KeyinLimiter {
  async fetch(request) {
    const path = new URL(request.url).pathname;
    if (path === "/__keys") return Response.json([...(await this.storage.list()).keys()]);
    if (path === "/__reload") { this.core = null; return new Response("ok"); }
    return super.fetch(request);
  }
}
const events = [];
const proxy = createProxy({
  authorize: () => true,
  resolveAmount: (p) => p.amount,
  ${limits}
  challenge: (request, op, reason) => request.headers.get("x-turnstile") === "passed",
  log: (e) => { if (e.event !== "request") events.push(e); },
});
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/__test/events") return Response.json(events.splice(0));
    if (url.pathname.startsWith("/__test/limiter/")) {
      const stub = env.KEYIN_LIMITER.get(env.KEYIN_LIMITER.idFromName("keyin-limiter"));
      return stub.fetch("https://keyin-limiter/__" + url.pathname.slice("/__test/limiter/".length));
    }
    return proxy.fetch(request, env, ctx);
  },
};`;

let sb;
before(async () => {
  sb = await startSandbox(["--quiet"]);
});
after(async () => {
  await sb?.stop();
});

/** Two proxy workers, "a" and "b", the object defined in "a" and bound in both. */
async function twoWorkers(limits) {
  const common = (name) => ({
    name,
    modules: [{ type: "ESModule", path: "worker.mjs", contents: worker(limits) }, ...packageModules()],
    compatibilityDate: "2025-09-01",
    bindings: { IMP_KEY: CREDS.imp_key, IMP_SECRET: CREDS.imp_secret, IAMPORT_API_URL: sb.url },
  });
  const mf = new Miniflare({
    cf: false,
    workers: [
      // SQLite-backed, as wrangler.toml's new_sqlite_classes declares it.
      { ...common("a"), durableObjects: { KEYIN_LIMITER: { className: "TestLimiter", useSQLite: true } } },
      { ...common("b"), durableObjects: { KEYIN_LIMITER: { className: "TestLimiter", scriptName: "a", useSQLite: true } } },
    ],
  });
  await mf.ready;
  const a = await mf.getWorker("a");
  const b = await mf.getWorker("b");
  return { mf, a, b };
}

let seq = 0;
const pay = (number, ip, headers = {}) => [
  "http://shop.test/iamport/subscribe/payments/onetime",
  {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": ip, ...headers },
    body: JSON.stringify({ merchant_uid: `limw_${Date.now() % 1e8}_${seq++}`, amount: 1000, name: "test", card_number: number, expiry: "12/30", birth: "820213", pwd_2digit: "12" }),
  },
];
async function send(w, [url, init]) {
  const res = await w.fetch(url, init);
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: await res.json() };
}
const onetimeCalls = async () => (await sb.stats()).routes["POST /subscribe/payments/onetime"] ?? 0;

test("100 declining cards from one address across two workers: one shared counter, 429 after the threshold, no upstream call after it", async () => {
  const { mf, a, b } = await twoWorkers();
  try {
    const before = await onetimeCalls();
    const seen = [];
    // A script that even solves the challenge: the hard limits still hold.
    const solved = { "x-turnstile": "passed" };
    for (let i = 0; i < 100; i++) seen.push(await send(i % 2 ? b : a, pay(luhnCard("400003", 1000 + i), "198.51.100.7", solved)));
    const statuses = seen.map((r) => r.status);
    // With a counter per worker, each would have let 5 through.
    assert.equal(statuses.indexOf(429), 5, statuses.slice(0, 12).join());
    assert.equal((await onetimeCalls()) - before, 5);
    for (const r of seen.slice(5)) {
      assert.equal(r.body.error.code, "TOO_MANY_ATTEMPTS");
      assert.ok(Number(r.retryAfter) >= 1 && Number(r.retryAfter) <= 900, r.retryAfter);
    }

    // Another address, and a customer who mistypes once, are not affected.
    let r = await send(b, pay("4111 1111 1111 1111", "192.0.2.10"));
    assert.equal(r.body.response.status, "paid");
    r = await send(a, pay(luhnCard("400003", 5000), "192.0.2.11"));
    assert.equal(r.body.code, -1);
    r = await send(b, pay("5555 5555 5555 4444", "192.0.2.11"));
    assert.equal(r.body.response.status, "paid");

    // The object reloads its counters from storage (as after an eviction): still blocked.
    await (await a.fetch("http://shop.test/__test/limiter/reload")).text();
    const callsBefore = await onetimeCalls();
    assert.equal((await send(b, pay(luhnCard("400003", 7000), "198.51.100.7"))).status, 429);
    assert.equal(await onetimeCalls(), callsBefore);

    // The canary: no card number, BIN or last 4 in any stored key or log event.
    const keys = await (await a.fetch("http://shop.test/__test/limiter/keys")).json();
    assert.ok(keys.length > 5, keys.join());
    const logged = JSON.stringify([...(await (await a.fetch("http://shop.test/__test/events")).json()), ...(await (await b.fetch("http://shop.test/__test/events")).json())]);
    assert.match(logged, /limit_tripped/);
    for (const key of keys) assert.doesNotMatch(key, /\d{4}/, key);
    for (let i = 0; i < 100; i++) {
      const n = luhnCard("400003", 1000 + i);
      assert.ok(!logged.includes(n.slice(-4)), n.slice(-4));
      assert.ok(!keys.some((k) => k.includes(n.slice(-4))));
    }
    assert.ok(!logged.includes("400003"));
  } finally {
    await mf.dispose();
  }
});

test("the challenge path, and the cool-down ending", async () => {
  const { mf, a, b } = await twoWorkers("limits: { cooldownSeconds: 2, declines: { max: 3, soft: 2, windowSeconds: 2 } },");
  try {
    const ip = "203.0.113.5";
    for (let i = 0; i < 2; i++) assert.equal((await send(i ? b : a, pay(luhnCard("400003", 2000 + i), ip))).status, 200);
    // Soft limit: challenged; a passed challenge goes through (and declines again).
    const before = await onetimeCalls();
    let r = await send(a, pay(luhnCard("400003", 2002), ip));
    assert.equal(r.body.error.code, "CHALLENGE_REQUIRED");
    assert.equal(await onetimeCalls(), before);
    r = await send(b, pay(luhnCard("400003", 2002), ip, { "x-turnstile": "passed" }));
    assert.equal(r.status, 200);
    assert.equal((await onetimeCalls()) - before, 1);
    // The 3rd decline tripped the hard limit: refused even with a passed challenge.
    r = await send(a, pay("4111 1111 1111 1111", ip, { "x-turnstile": "passed" }));
    assert.equal(r.status, 429);
    assert.equal(r.body.error.code, "TOO_MANY_ATTEMPTS");
    assert.ok(Number(r.retryAfter) <= 2);
    await new Promise((resolve) => setTimeout(resolve, 2200));
    r = await send(b, pay("4111 1111 1111 1111", ip));
    assert.equal(r.status, 200);
    assert.equal(r.body.response.status, "paid");
  } finally {
    await mf.dispose();
  }
});
