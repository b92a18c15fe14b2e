// Card-testing defence: the proxy's velocity limits, in Node (this process's memory, and a
// merchant store through the documented `hit` interface). The Durable Object shared by
// workers is in limits-workerd.test.mjs. Upstream calls are counted at the sandbox.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nodeEntryAndSandbox, luhnCard, CREDS } from "./harness.mjs";

const stack = nodeEntryAndSandbox();

let seq = 0;
const uid = (tag) => `lim_${tag}_${Date.now() % 1e8}_${seq++}`;
const pay = (number, ip, headers = {}) =>
  new Request("http://shop.test/iamport/subscribe/payments/onetime", {
    method: "POST",
    headers: { "content-type": "application/json", "x-test-ip": ip, ...headers },
    body: JSON.stringify({ merchant_uid: uid("o"), amount: 1000, name: "test", card_number: number, expiry: "12/30", birth: "820213", pwd_2digit: "12" }),
  });
const env = () => ({ IMP_KEY: CREDS.imp_key, IMP_SECRET: CREDS.imp_secret, IAMPORT_API_URL: stack.sb.url });
const onetimeCalls = async () => (await stack.sb.stats()).routes["POST /subscribe/payments/onetime"] ?? 0;

function proxy(extra = {}) {
  const events = [];
  const p = stack.k.createProxy({
    authorize: () => true,
    resolveAmount: (priced) => priced.amount,
    clientIp: (request) => request.headers.get("x-test-ip"),
    log: (e) => events.push(JSON.parse(JSON.stringify(e))),
    env: env(),
    ...extra,
  });
  return { events, fetch: (r) => p.fetch(r, {}) };
}

async function send(p, req) {
  const res = await p.fetch(req);
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: await res.json() };
}

test("a card-testing run from one address: 429 after the threshold, and no upstream call after it", async () => {
  const p = proxy();
  const before = await onetimeCalls();
  const seen = [];
  for (let i = 0; i < 100; i++) seen.push(await send(p, pay(luhnCard("400003", i), "198.51.100.7")));
  const forwarded = (await onetimeCalls()) - before;
  const first429 = seen.findIndex((r) => r.status === 429);
  assert.equal(first429, 5, JSON.stringify(seen.slice(0, 8).map((r) => r.status)));
  assert.equal(forwarded, 5, "only the attempts before the trip reached Iamport");
  for (const r of seen.slice(0, 5)) {
    assert.equal(r.status, 200);
    assert.equal(r.body.code, -1, "the sandbox declines BIN 400003");
  }
  for (const r of seen.slice(5)) {
    assert.equal(r.status, 429);
    assert.equal(r.body.error.code, "TOO_MANY_ATTEMPTS");
    assert.ok(Number(r.retryAfter) > 0 && Number(r.retryAfter) <= 900, r.retryAfter);
    assert.equal(r.body.error.retryAfter, Number(r.retryAfter));
  }
  const trips = p.events.filter((e) => e.event === "limit_tripped");
  assert.deepEqual(trips.map((e) => [e.level, e.detail.scope, e.detail.reason]), [["warn", "ip", "declines"]]);

  // Another address, and a customer who mistypes once, are not affected.
  let r = await send(p, pay("4111 1111 1111 1111", "192.0.2.10"));
  assert.equal(r.body.response.status, "paid");
  r = await send(p, pay(luhnCard("400003", 900), "192.0.2.11"));
  assert.equal(r.body.code, -1);
  r = await send(p, pay("5555 5555 5555 4444", "192.0.2.11"));
  assert.equal(r.status, 200);
  assert.equal(r.body.response.status, "paid");

  // The canary: no card number, BIN or last 4 in any log event.
  const logged = JSON.stringify(p.events);
  for (let i = 0; i < 100; i += 7) {
    const n = luhnCard("400003", i);
    assert.ok(!logged.includes(n.slice(0, 6)) && !logged.includes(n.slice(-4)), n.slice(-4));
  }
});

test("the challenge hook: asked on a soft limit, and only exactly true lets the request through", async () => {
  const asked = [];
  const p = proxy({
    challenge: (request, op, reason) => {
      asked.push([op.name, reason]);
      return request.headers.get("x-turnstile") === "passed" ? true : "yes";
    },
  });
  const ip = "203.0.113.50";
  for (let i = 0; i < 2; i++) assert.equal((await send(p, pay(luhnCard("400003", 200 + i), ip))).status, 200);
  const before = await onetimeCalls();
  let r = await send(p, pay("4111 1111 1111 1111", ip));
  assert.equal(r.status, 429);
  assert.equal(r.body.error.code, "CHALLENGE_REQUIRED");
  assert.equal(r.retryAfter, null);
  assert.equal((await onetimeCalls()) - before, 0);
  r = await send(p, pay("4111 1111 1111 1111", ip, { "x-turnstile": "passed" }));
  assert.equal(r.status, 200);
  assert.equal(r.body.response.status, "paid");
  assert.deepEqual(asked, [["onetime", "declines"], ["onetime", "declines"]]);
});

test("a merchant store through hit(key, windowSeconds, by): shared by two proxies, no card digits in any key", async () => {
  const counters = new Map();
  const keys = new Set();
  const store = {
    async hit(key, windowSeconds, by) {
      keys.add(key);
      const now = Date.now();
      let c = counters.get(key);
      if (!c || c.resetAt <= now) {
        if (by === 0) return { count: 0, resetSeconds: windowSeconds };
        c = { count: 0, resetAt: now + windowSeconds * 1000 };
        counters.set(key, c);
      }
      c.count += by;
      return { count: c.count, resetSeconds: Math.ceil((c.resetAt - now) / 1000) };
    },
  };
  const a = proxy({ limits: { store }, limitKey: (request) => request.headers.get("x-session") });
  const b = proxy({ limits: { store }, limitKey: (request) => request.headers.get("x-session") });
  const before = await onetimeCalls();
  const statuses = [];
  const numbers = [];
  for (let i = 0; i < 20; i++) {
    const n = luhnCard("400003", 300 + i);
    numbers.push(n);
    // One session hopping addresses, alternating between two proxy instances.
    const r = await send(i % 2 ? b : a, pay(n, `198.51.100.${i + 20}`, { "x-session": "sess_A1b2C3d4E5f6" }));
    statuses.push(r.status);
  }
  assert.equal((await onetimeCalls()) - before, 5, statuses.join());
  assert.ok(statuses.slice(5).every((s) => s === 429));
  for (const key of keys) {
    assert.doesNotMatch(key, /\d{4}/, key);
    assert.ok(!key.includes("sess_A1b2"), key);
    for (const n of numbers) assert.ok(!key.includes(n.slice(0, 6)) && !key.includes(n.slice(-4)), key);
  }
});

test("a failing store refuses the card request (fail closed) and forwards nothing", async () => {
  const p = proxy({ limits: { store: { hit: () => Promise.reject(new Error("redis down")) } } });
  const before = await onetimeCalls();
  const r = await send(p, pay("4111 1111 1111 1111", "192.0.2.99"));
  assert.equal(r.status, 503);
  assert.equal(r.body.error.code, "LIMITER_UNAVAILABLE");
  assert.equal((await onetimeCalls()) - before, 0);
  assert.ok(p.events.some((e) => e.event === "limiter_unavailable" && e.level === "error"));
  // A malformed answer is a failure too.
  const q = proxy({ limits: { store: { hit: () => "lots" } } });
  assert.equal((await send(q, pay("4111 1111 1111 1111", "192.0.2.99"))).status, 503);
});

test("limits: false turns them off; requests that submit no card are never counted", async () => {
  const off = proxy({ limits: false });
  const before = await onetimeCalls();
  for (let i = 0; i < 8; i++) assert.equal((await send(off, pay(luhnCard("400003", 400 + i), "198.51.100.77"))).status, 200);
  assert.equal((await onetimeCalls()) - before, 8);
  const on = proxy({ limits: { attempts: { max: 1 } } });
  for (let i = 0; i < 3; i++) {
    const res = await on.fetch(new Request(`http://shop.test/iamport/payments/find/${uid("f")}`, { headers: { "x-test-ip": "198.51.100.78" } }));
    assert.equal(res.status, 404, "findPayment is not limited (the sandbox knows no such order)");
  }
});

test("no address and no key: one shared scope, and a warning said once", async () => {
  const p = proxy({ clientIp: false, limits: { attempts: { max: 2 } } });
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await send(p, pay("4111 1111 1111 1111", "192.0.2.1"))).status);
  assert.deepEqual(statuses, [200, 200, 429], "every caller without an address counts together");
  assert.equal(p.events.filter((e) => e.event === "limits_shared_scope" && e.level === "warn").length, 1);
});

test("malformed limits are refused at createProxy", () => {
  const base = { authorize: () => true, resolveAmount: () => 1 };
  for (const [limits, message] of [
    [{ maxAttempts: 3 }, /limits has no "maxAttempts"/],
    [{ declines: { max: 0 } }, /declines\.max must be a whole number/],
    [{ cards: { max: 2.5 } }, /cards\.max/],
    [{ store: { get: () => 1 } }, /limits\.store must be an object with hit/],
    ["strict", /limits must be an object, or false/],
  ]) {
    assert.throws(() => stack.k.createProxy({ ...base, limits }), (e) => e instanceof TypeError && message.test(e.message));
  }
  assert.throws(() => stack.k.createProxy({ ...base, limits: false, challenge: () => true }), /limitKey and challenge need the limits/);
});
