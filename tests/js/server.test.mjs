// The server half of billing: `createServerClient` (Node entry and workerd) against the
// sandbox, refunds, webhook verification, and the whole billing loop through the real
// proxy in workerd: plan, run on the sandbox clock, webhooks verified by look-up,
// `onPayment` booking the next month and recording a decline, repeats and retries
// de-duplicated, forgeries refused.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { Miniflare } from "miniflare";
import { inspect } from "node:util";
import { startSandbox, packageModules, CREDS } from "./harness.mjs";
import { CANARY, leaks } from "./canary.mjs";

let k;
let sb;
before(async () => {
  k = await import("../../pkg/node.js");
  sb = await startSandbox(["--quiet"]);
});
after(async () => {
  await sb?.stop();
});

const CARD = "4111 1111 1111 1111";
const card = (number = CARD) => ({ card_number: number, expiry: "12/30", birth: "820213", pwd_2digit: "12" });
let seq = 0;
const uid = (tag) => `sv_${tag}_${Date.now() % 1e8}_${seq++}`;
const server = (extra = {}) => k.createServerClient({ impKey: CREDS.imp_key, impSecret: CREDS.imp_secret, apiUrl: sb.url, timeoutMs: 1000, ...extra });
const post = (path, body) => sb.control(path, body);
const count = (merchantUid) => sb.count(merchantUid);
const routes = async () => (await sb.stats()).routes;
const calls = async (label) => (await routes())[label] ?? 0;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value (bounded). */
async function until(fn, what, ms = 10_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe("createServerClient in Node", () => {
  test("the browser entry refuses it; the server entry needs the key and secret", async () => {
    const browser = await import("../../pkg/index.js");
    assert.throws(() => browser.createServerClient({ impKey: "k", impSecret: "s" }), /server-side only/);
    assert.throws(() => k.createServerClient({ impKey: "k" }), (e) => e.code === "INVALID_CONFIG" && !e.message.includes("s\""));
    assert.throws(() => k.createServerClient({ impKey: "k", impSecret: "s", apiUrl: "ftp://x" }), (e) => e.code === "INVALID_CONFIG");
    // The proxy's client never gets the server-only method.
    assert.equal(typeof new k.KeyinClient({ proxyUrl: "http://127.0.0.1:9/iamport" }).cancelPayment, "undefined");
  });

  test("every operation runs directly, on one token", async () => {
    const s = server();
    const customer = uid("c");
    const before = await calls("POST /users/getToken");
    const key = await s.registerBillingKey(customer, card());
    assert.equal(key.customer_uid, customer);
    const m = uid("m");
    const paid = await s.payAgain({ customer_uid: customer, merchant_uid: m, amount: 9900, name: "월 구독" });
    assert.equal(paid.status, "paid");
    const byImp = await s.getPayment(paid.payment.imp_uid);
    assert.equal(byImp.payment.merchant_uid, m);
    assert.equal(await s.getPayment("imp_000000000000"), null);
    assert.equal((await s.findPayment(m)).payment.imp_uid, paid.payment.imp_uid);
    assert.equal((await s.getBillingKey(customer)).customer_uid, customer);
    assert.equal(await s.getBillingKey(uid("nobody")), null);
    // Many calls, one getToken (the cache), however many clients share the credentials.
    await Promise.all([s.getBillingKey(customer), server().getBillingKey(customer), s.findPayment(m)]);
    assert.equal((await calls("POST /users/getToken")) - before, 1);
    const gone = await s.deleteBillingKey(customer, "test");
    assert.equal(gone.customer_uid, customer);
  });

  test("schedule_at in milliseconds is refused before anything is sent", async () => {
    const s = server();
    const before = (await sb.stats()).total;
    const e = await s.schedule({ customer_uid: uid("c"), schedules: [{ merchant_uid: uid("m"), schedule_at: Date.now(), amount: 9900 }] }).catch((e) => e);
    assert.equal(e.code, "INVALID_INPUT");
    assert.match(e.errors[0].code, /^SCHEDULE_/);
    assert.equal((await sb.stats()).total, before);
  });

  // The fault matrix, direct: exactly one payment or none, and the outcome says which.
  const FAULTS = {
    "drop after commit": { number: "4000 0000 0000 0069", expect: [1, "paid"] },
    "504 after commit": { number: "4000 0000 0000 0077", expect: [1, "paid"] },
    "500 before processing": { number: CARD, arm: (p) => post("faults", { path: p, mode: "500" }), expect: [0, "unknown"] },
    // The client gives up (and closes the connection) before the sandbox starts the charge,
    // so the sandbox never makes it: the look-ups find nothing, and the outcome says so.
    // (Through a proxy the charge goes on without the browser: the fault matrix's 1 paid.)
    "delay past the timeout": { number: CARD, arm: (p) => post("faults", { path: p, mode: "delay", delay_ms: 2500 }), expect: [0, "unknown"] },
    "401 mid-flight": { number: CARD, arm: () => post("faults", { expire_tokens: true }), expect: [1, "paid"] },
    "getToken down": { number: CARD, arm: () => post("faults", { expire_tokens: true, get_token_fail: 1 }), expect: [0, "TOKEN_FAILED"] },
  };
  for (const op of ["payOnetime", "payAgain"]) {
    for (const [name, fault] of Object.entries(FAULTS)) {
      test(`${op} × ${name}`, async () => {
        const s = server();
        const m = uid("f");
        let outcome;
        try {
          if (op === "payOnetime") {
            await fault.arm?.("/subscribe/payments/onetime");
            outcome = await s.payOnetime({ merchant_uid: m, amount: 3000, ...card(fault.number) });
          } else {
            const customer = uid("fc");
            await s.registerBillingKey(customer, card(fault.number));
            await fault.arm?.("/subscribe/payments/again");
            outcome = await s.payAgain({ customer_uid: customer, merchant_uid: m, amount: 3000, name: "n" });
          }
        } catch (e) {
          outcome = { status: e.code, error: e };
        }
        const [payments, status] = fault.expect;
        assert.equal(await count(m), payments);
        assert.equal(outcome.status, status, outcome.message ?? outcome.error?.message);
        if (status === "paid") assert.equal((await s.findPayment(m)).payment.imp_uid, outcome.payment.imp_uid);
        if (status === "unknown") assert.equal(outcome.unknownReason, "not_found");
        if (status === "TOKEN_FAILED") await sleep(2100); // the failure is remembered for 2 s
      });
    }
  }
});

describe("refunds", () => {
  /** A fresh paid payment of `amount`. */
  async function paid(s, amount = 10_000) {
    const m = uid("r");
    const o = await s.payOnetime({ merchant_uid: m, amount, ...card() });
    assert.equal(o.status, "paid");
    return o.payment;
  }

  test("full, then partial with checksum, then the rest", async () => {
    const s = server();
    const p1 = await paid(s);
    const full = await s.cancelPayment({ imp_uid: p1.imp_uid, reason: "고객 요청" });
    assert.equal(full.status, "refunded");
    assert.equal(full.payment.status, "cancelled");
    assert.equal(full.payment.cancel_amount, 10_000);
    assert.equal(full.remaining, 0);
    assert.equal(full.resolvedByLookup, false);
    // Again: Iamport refuses, nothing changes.
    const again = await s.cancelPayment({ imp_uid: p1.imp_uid, reason: "again" }).catch((e) => e);
    assert.equal(again.code, "IAMPORT_REFUSED");

    const p2 = await paid(s);
    const part = await s.cancelPayment({ merchant_uid: p2.merchant_uid, amount: 3000, checksum: 10_000, reason: "부분" });
    assert.equal(part.status, "refunded");
    assert.equal(part.payment.status, "paid");
    assert.equal(part.payment.cancel_amount, 3000);
    assert.equal(part.remaining, 7000);
    assert.equal(part.payment.cancel_history.length, 1);
    const rest = await s.cancelPayment({ imp_uid: p2.imp_uid, amount: 7000, checksum: 7000, reason: "나머지" });
    assert.equal(rest.payment.status, "cancelled");
    assert.equal(rest.payment.cancel_history.length, 2);
  });

  test("a stale checksum and an over-refund are refused, by the builder or by Iamport", async () => {
    const s = server();
    const p = await paid(s);
    const before = (await sb.stats()).total;
    const over = await s.cancelPayment({ imp_uid: p.imp_uid, amount: 20_000, checksum: 10_000, reason: "r" }).catch((e) => e);
    assert.equal(over.code, "INVALID_INPUT");
    assert.equal(over.errors[0].code, "REFUND_EXCEEDS_BALANCE");
    const noChecksum = await s.cancelPayment({ imp_uid: p.imp_uid, amount: 1000, reason: "r" }).catch((e) => e);
    assert.equal(noChecksum.errors[0].code, "CHECKSUM_REQUIRED");
    assert.equal((await sb.stats()).total, before, "nothing sent");
    const stale = await s.cancelPayment({ imp_uid: p.imp_uid, amount: 1000, checksum: 9000, reason: "r" }).catch((e) => e);
    assert.equal(stale.code, "IAMPORT_REFUSED");
    const overAtIamport = await s.cancelPayment({ imp_uid: p.imp_uid, amount: 15_000, checksum: 15_000, reason: "r" }).catch((e) => e);
    assert.equal(overAtIamport.code, "IAMPORT_REFUSED");
    const missing = await s.cancelPayment({ imp_uid: "imp_000000000001", reason: "r" }).catch((e) => e);
    assert.equal(missing.code, "IAMPORT_REFUSED");
    assert.equal((await s.getPayment(p.imp_uid)).payment.cancel_amount, 0, "nothing refunded");
  });

  test("a refund whose answer is lost is looked up and never sent twice", async () => {
    const s = server();
    const p = await paid(s);
    const sends = await calls("POST /payments/cancel");
    await post("faults", { path: "/payments/cancel", mode: "commit_then_drop" });
    const r = await s.cancelPayment({ imp_uid: p.imp_uid, amount: 2500, checksum: 10_000, reason: "lost" });
    assert.equal(r.status, "refunded");
    assert.equal(r.resolvedByLookup, true);
    assert.equal(r.remaining, 7500);
    assert.equal((await calls("POST /payments/cancel")) - sends, 1, "sent once");
    const after = (await s.getPayment(p.imp_uid)).payment;
    assert.equal(after.cancel_amount, 2500);
    assert.equal(after.cancel_history.length, 1, "no double refund");
    // Not applied (the request never arrived): unknown, with what to do.
    await post("faults", { path: "/payments/cancel", mode: "drop" });
    const lost = await s.cancelPayment({ imp_uid: p.imp_uid, amount: 500, checksum: 7500, reason: "lost" });
    assert.equal(lost.status, "unknown");
    assert.equal(lost.unknownReason, "not_applied");
    assert.match(lost.message, /same checksum/);
    assert.equal((await s.getPayment(p.imp_uid)).payment.cancel_amount, 2500);
  });
});

describe("verifyWebhook", () => {
  test("reports the look-up, never the body", async () => {
    const s = server();
    const m = uid("w");
    const { payment } = await s.payOnetime({ merchant_uid: m, amount: 3000, ...card() });
    for (const body of [
      JSON.stringify({ imp_uid: payment.imp_uid, merchant_uid: m, status: "paid" }),
      `imp_uid=${payment.imp_uid}&merchant_uid=${m}&status=paid`,
      { imp_uid: payment.imp_uid, merchant_uid: m, status: "paid" },
    ]) {
      const v = await s.verifyWebhook(body);
      assert.equal(v.status, "paid");
      assert.equal(v.merchantUid, m);
      assert.equal(v.deliveryKey, `${payment.imp_uid}:paid`);
      assert.equal(v.matchesClaim, true);
    }
    const lie = await s.verifyWebhook({ imp_uid: payment.imp_uid, merchant_uid: "someone-else", status: "cancelled" });
    assert.equal(lie.status, "paid");
    assert.equal(lie.merchantUid, m);
    assert.equal(lie.matchesClaim, false);
    assert.equal((await s.verifyWebhook({ imp_uid: "imp_999999999999", status: "paid" }).catch((e) => e)).code, "WEBHOOK_UNKNOWN_PAYMENT");
    for (const junk of ["", "{}", "[]", 42, null, { imp_uid: "../x" }]) {
      assert.equal((await s.verifyWebhook(junk).catch((e) => e)).code, "WEBHOOK_MALFORMED", JSON.stringify(junk));
    }
  });
});

describe("canaries", () => {
  test("no card data or secret in anything the server half returns, throws or logs", async () => {
    const SECRET = "canary-secret-3f9a71c2";
    const out = [];
    const keep = (where, v, errorText = false) => out.push({ where, text: typeof v === "string" ? v : `${JSON.stringify(v)} ${inspect(v, { depth: 6 })}`, errorText });
    const saved = { ...console };
    for (const m of ["log", "info", "warn", "error", "debug"]) console[m] = (...a) => keep(`console.${m}`, a.map(String).join(" "));
    try {
      const canaryCard = { card_number: CANARY.card, expiry: "12/30", birth: CANARY.birth, pwd_2digit: CANARY.pin };
      const good = server();
      const wrongSecret = k.createServerClient({ impKey: CREDS.imp_key, impSecret: SECRET, apiUrl: sb.url, timeoutMs: 1000 });
      const tries = [
        ["config error", () => k.createServerClient({ impKey: "k", impSecret: SECRET, apiUrl: "ftp://x" })],
        ["client inspect", () => wrongSecret],
        ["bad secret", () => wrongSecret.payOnetime({ merchant_uid: uid("cn"), amount: 3000, ...canaryCard })],
        ["invalid card", () => good.payOnetime({ merchant_uid: uid("cn"), amount: 3000, ...canaryCard, card_number: CANARY.card.replace(/8$/, "9") })],
        ["paid", () => good.payOnetime({ merchant_uid: uid("cn"), amount: 3000, ...canaryCard })],
        ["declined", () => good.payOnetime({ merchant_uid: uid("cn"), amount: 3000, ...canaryCard, card_number: "4000 0000 0000 0010" })],
        ["billing key", () => good.registerBillingKey(uid("cc"), canaryCard)],
        ["unknown field", () => good.registerBillingKey(uid("cc"), { ...canaryCard, cvc: CANARY.pin })],
        ["refund", async () => {
          const o = await good.payOnetime({ merchant_uid: uid("cn"), amount: 3000, ...canaryCard });
          return good.cancelPayment({ imp_uid: o.payment.imp_uid, reason: CANARY.birth.slice(0, 2) + " 환불" });
        }],
        ["webhook junk", () => good.verifyWebhook(`card_number=${CANARY.card}&pwd_2digit=${CANARY.pin}`)],
        ["schedule with card", () => good.schedule({ customer_uid: uid("cc"), ...canaryCard, schedules: [{ merchant_uid: uid("s"), schedule_at: Date.now(), amount: 1000 }] })],
      ];
      for (const [where, run] of tries) {
        try {
          keep(where, await run());
        } catch (e) {
          keep(`${where}: message`, String(e?.message), true);
          keep(`${where}: stack`, String(e?.stack));
          keep(`${where}: inspect`, inspect(e, { depth: 6 }));
          keep(`${where}: JSON`, JSON.stringify(e));
        }
      }
    } finally {
      Object.assign(console, saved);
    }
    assert.ok(out.length > 20);
    for (const { where, text, errorText } of out) {
      assert.deepEqual(leaks(text, { errorText }), [], `${where}: ${text.slice(0, 300)}`);
      assert.ok(!text.includes(SECRET), `${where} shows the secret`);
    }
  });
});

/** A worker: the proxy with `onPayment` (the merchant's webhook handler) and a test route
 * that runs the server client, as a merchant's cron would. */
const billingWorker = `
import { createProxy, createServerClient, buildMonthlySchedules } from "iamport-keyin";
const PRICE = 9900;
const plans = new Map();     // customer_uid → { day, last, prefix, notice }
const handled = new Set();   // deliveryKeys already acted on
const seen = [];             // every onPayment call
const booked = [];           // merchant_uids the handler scheduled
const declines = [];         // merchant_uids the handler recorded as declined
let failNext = 0;
let server;
const serverOf = (env) => (server ??= createServerClient({ impKey: env.IMP_KEY, impSecret: env.IMP_SECRET, apiUrl: env.IAMPORT_API_URL }));

async function book(env, customer_uid, from, count) {
  const plan = plans.get(customer_uid);
  const built = buildMonthlySchedules({ customer_uid, amount: PRICE, name: "월 구독", day: plan.day, from, count, merchantUidPrefix: plan.prefix });
  if (!built.ok) throw new Error(JSON.stringify(built.errors));
  const schedules = built.input.schedules.map((s) => ({ ...s, notice_url: plan.notice }));
  await serverOf(env).schedule({ customer_uid, schedules });
  plan.last = schedules.at(-1).schedule_at;
  return schedules.map((s) => s.merchant_uid);
}

const proxy = createProxy({
  operations: ["getPayment"],
  authorize: () => false,
  // The price of an order: plan orders cost PRICE; anything else is unpriced.
  resolveAmount: (priced) => (priced.pricing === "webhook" && priced.merchantUid?.startsWith("plan_") ? PRICE : null),
  onPayment: async (v, request, env) => {
    seen.push({ key: v.deliveryKey, status: v.status, merchantUid: v.merchantUid, matchesClaim: v.matchesClaim, amountMismatch: v.amountMismatch, expectedAmount: v.expectedAmount, claimed: v.claimed });
    if (failNext > 0) { failNext--; throw new Error("database down"); }
    if (handled.has(v.deliveryKey)) return;           // a repeat: already done
    const customer = v.payment.customer_uid;
    if (v.status === "paid" && !v.amountMismatch && plans.has(customer)) {
      booked.push(...(await book(env, customer, plans.get(customer).last, 1)));
    } else if (v.status === "failed") {
      declines.push(v.merchantUid);
    }
    handled.add(v.deliveryKey);
  },
});

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/__test/plan") {
      const { customer_uid, day, from, prefix } = await request.json();
      plans.set(customer_uid, { day, last: from, prefix, notice: url.origin + "/iamport/webhook" });
      return Response.json(await book(env, customer_uid, from, 3));
    }
    if (url.pathname === "/__test/state") return Response.json({ seen, booked, declines });
    if (url.pathname === "/__test/fail-next") { failNext = 1; return Response.json({}); }
    if (url.pathname === "/__test/charge") {
      const { merchant_uid, number } = await request.json();
      const s = serverOf(env);
      try {
        return Response.json(await s.payOnetime({ merchant_uid, amount: 3000, card_number: number, expiry: "12/30", birth: "820213", pwd_2digit: "12" }));
      } catch (e) {
        return Response.json({ status: e.code, message: e.message });
      }
    }
    return proxy.fetch(request, env, ctx);
  },
};`;

describe("the billing loop, through the real proxy in workerd", () => {
  let mf;
  let url;
  before(async () => {
    mf = new Miniflare({
      modules: [{ type: "ESModule", path: "worker.mjs", contents: billingWorker }, ...packageModules()],
      compatibilityDate: "2025-09-01",
      cf: false,
      bindings: { IMP_KEY: CREDS.imp_key, IMP_SECRET: CREDS.imp_secret, IAMPORT_API_URL: sb.url },
    });
    url = (await mf.ready).toString().replace(/\/$/, "");
  });
  after(async () => {
    await mf?.dispose();
    await post("clock", { reset: true });
  });
  const state = () => fetch(url + "/__test/state").then((r) => r.json());
  const deliveries = async () => (await (await fetch(`${sb.url}/__sandbox/webhooks`)).json()).deliveries;
  const settled = async (n) => until(async () => {
    const d = await deliveries();
    return d.length >= n && d.every((x) => x.done) && d;
  }, `${n} webhook deliveries`);
  const webhook = (body, headers = {}) => fetch(url + "/iamport/webhook", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

  test("the server client in workerd: exactly one payment or none on the fault cards", async () => {
    for (const [number, payments] of [["4000 0000 0000 0069", 1], ["4000 0000 0000 0077", 1], ["4000 0000 0000 0028", 0], [CARD, 1]]) {
      const m = uid("wd");
      const o = await (await fetch(url + "/__test/charge", { method: "POST", body: JSON.stringify({ merchant_uid: m, number }) })).json();
      assert.equal(await count(m), payments, number);
      assert.ok(["paid", "failed"].includes(o.status), JSON.stringify(o));
    }
  });

  test("plan three months; run them; each webhook is verified; the handler books ahead and records the decline", async () => {
    await post("reset", {}).catch(() => {});
    const s = server();
    const customer = `plan_${uid("cust")}`;
    const prefix = `plan_${Date.now() % 1e7}`;
    await s.registerBillingKey(customer, card());
    const clock = (await (await fetch(`${sb.url}/__sandbox/clock`)).json()).now;
    const months = await (await fetch(url + "/__test/plan", { method: "POST", body: JSON.stringify({ customer_uid: customer, day: 31, from: clock, prefix }) })).json();
    assert.equal(months.length, 3);
    assert.ok(months.every((m) => m.startsWith(prefix + "_")), months.join());
    // Month 2 will decline.
    await post("faults", { decline_schedule: months[1] });
    // Month 1.
    await post("clock", { advance: 32 * 86400 });
    await post("schedules/run", {});
    await settled(1);
    await until(async () => (await state()).booked.length === 1, "month 4 booked");
    // Month 2 (declines).
    await post("clock", { advance: 31 * 86400 });
    await post("schedules/run", {});
    await settled(2);
    await until(async () => (await state()).declines.length === 1, "the decline recorded");
    // Month 3, whose first delivery fails at the merchant (500): Iamport sends it again.
    await fetch(url + "/__test/fail-next");
    await post("clock", { advance: 31 * 86400 });
    await post("schedules/run", {});
    const d = await settled(3);
    const third = d.find((x) => x.body.merchant_uid === months[2]);
    assert.equal(third.attempts, 2, "retried after the 500");
    assert.equal(third.last_status, 200);
    const st = await until(async () => {
      const st = await state();
      return st.booked.length === 2 && st;
    }, "month 5 booked");
    assert.deepEqual(st.declines, [months[1]]);
    // Exactly the expected payments: one per month run, none doubled.
    for (const m of months) assert.equal(await count(m), 1, m);
    for (const m of st.booked) {
      assert.equal(await count(m), 0, `${m} is only scheduled`);
      const sched = await s.getSchedule(m);
      assert.equal(sched.schedule_status, "scheduled");
    }
    assert.equal(new Set(st.booked).size, 2);
    assert.ok(st.seen.every((x) => x.matchesClaim && x.expectedAmount === 9900));
    assert.deepEqual(st.seen.map((x) => x.status), ["paid", "failed", "paid", "paid"]);

    // Repeats: the same notifications again, as Iamport may send them. Handled once.
    const before = await state();
    for (const x of d) {
      const res = await webhook(x.body);
      assert.equal(res.status, 200);
    }
    const after = await state();
    assert.equal(after.seen.length, before.seen.length + 3);
    assert.deepEqual(after.booked, before.booked);
    assert.deepEqual(after.declines, before.declines);
  });

  test("forged webhooks never reach onPayment as what they claim", async () => {
    const before = await state();
    // An unknown imp_uid: 400, onPayment not called.
    const unknown = await webhook({ imp_uid: "imp_424242424242", merchant_uid: "plan_x", status: "paid" });
    assert.equal(unknown.status, 400);
    assert.equal((await unknown.json()).error.code, "WEBHOOK_UNVERIFIED");
    assert.equal((await state()).seen.length, before.seen.length);
    // A "paid" body for a failed payment: onPayment sees "failed", and the claim is flagged.
    const failed = (await deliveries()).find((x) => x.body.status === "failed");
    const res = await webhook({ ...failed.body, status: "paid" });
    assert.equal(res.status, 200);
    const last = (await state()).seen.at(-1);
    assert.equal(last.status, "failed");
    assert.equal(last.matchesClaim, false);
    assert.equal(last.claimed.status, "paid");
    // A wrong amount: a 1,000 KRW payment for a plan order priced 9,900.
    const s = server();
    const m = `plan_wrong_${uid("a")}`;
    const { payment } = await s.payOnetime({ merchant_uid: m, amount: 1000, ...card() });
    assert.equal((await webhook({ imp_uid: payment.imp_uid, merchant_uid: m, status: "paid" })).status, 200);
    const wrong = (await state()).seen.at(-1);
    assert.equal(wrong.amountMismatch, true);
    assert.equal(wrong.expectedAmount, 9900);
    // An order the merchant does not price: fail-closed.
    const other = uid("unpriced");
    const p2 = (await s.payOnetime({ merchant_uid: other, amount: 9900, ...card() })).payment;
    await webhook({ imp_uid: p2.imp_uid });
    assert.equal((await state()).seen.at(-1).amountMismatch, true);
    assert.deepEqual((await state()).booked, before.booked, "nothing booked for any of them");
    // The sandbox's send endpoint posts a forged form body the same way.
    await post("webhooks/send", { url: url + "/iamport/webhook", body: "imp_uid=imp_777777777777&status=paid", content_type: "form" });
    await until(async () => (await deliveries()).some((x) => x.last_status === 400), "the forged form delivery");
  });

  test("the webhook route is never served to a browser", async () => {
    const res = await webhook({ imp_uid: "imp_1" }, { origin: url });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get("access-control-allow-origin"), null);
    const pre = await fetch(url + "/iamport/webhook", { method: "OPTIONS", headers: { origin: "https://shop.example", "access-control-request-method": "POST" } });
    assert.equal(pre.status, 403);
    assert.equal(pre.headers.get("access-control-allow-origin"), null);
    assert.equal((await fetch(url + "/iamport/webhook")).status, 405);
    const junk = await fetch(url + "/iamport/webhook", { method: "POST", body: "hello" });
    assert.equal(junk.status, 400);
    assert.equal((await junk.json()).error.code, "WEBHOOK_MALFORMED");
  });
});
