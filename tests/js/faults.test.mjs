// The fault matrix: every charge operation × every sandbox fault, through the
// real client (Node entry) → proxy (miniflare) → sandbox. Each case asserts
// exactly one payment or none, and that the client's outcome matches the
// sandbox's own record.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSandbox, startProxy } from "./harness.mjs";

let sb;
let px;
let KeyinClient;
before(async () => {
  ({ KeyinClient } = await import("../../pkg/node.js"));
  sb = await startSandbox(["--quiet"]);
  px = await startProxy(sb.url);
});
after(async () => {
  await px?.stop();
  await sb?.stop();
});

const CARD = "4111 1111 1111 1111";
const card = (number) => ({ card_number: number, expiry: "12/30", birth: "820213", pwd_2digit: "12" });
let seq = 0;
const uid = (tag) => `fm_${tag}_${Date.now()}_${seq++}`;

/** The sandbox's record for an order: its count and newest status. */
async function record(merchantUid) {
  const count = (await (await fetch(`${sb.url}/__sandbox/payments/count/${merchantUid}`)).json()).count;
  return { count };
}

const client = () => new KeyinClient({ proxyUrl: `${px.url}/iamport`, timeoutMs: 1000 });

/** Charge operations: each charges `merchantUid` with `number`, arming the fault just before the charge. */
const OPERATIONS = {
  onetime: async (c, merchantUid, number, arm) => {
    await arm();
    return c.payOnetime({ merchant_uid: merchantUid, amount: 3000, ...card(number) });
  },
  "onetime+customer_uid": async (c, merchantUid, number, arm) => {
    await arm();
    return c.payOnetime({ merchant_uid: merchantUid, amount: 3000, customer_uid: uid("cust"), ...card(number) });
  },
  again: async (c, merchantUid, number, arm) => {
    const customer = uid("cust");
    await c.registerBillingKey(customer, card(number));
    await arm();
    return c.payAgain({ customer_uid: customer, merchant_uid: merchantUid, amount: 3000, name: "again" });
  },
};

const post = (path, body) => fetch(`${sb.url}/__sandbox/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const chargePath = (op) => (op === "again" ? "/subscribe/payments/again" : "/subscribe/payments/onetime");

/** Faults: the card to use, how to arm the fault, and the expected (payments, status). */
const FAULTS = {
  "drop after commit": { number: "4000 0000 0000 0069", expect: [1, "paid"] },
  "504 after commit": { number: "4000 0000 0000 0077", expect: [1, "paid"] },
  "500 before processing": { number: CARD, arm: (op) => post("faults", { path: chargePath(op), mode: "500" }), expect: [0, "unknown"] },
  "delay past the client timeout": { number: CARD, arm: (op) => post("faults", { path: chargePath(op), mode: "delay", delay_ms: 2500 }), expect: [1, "paid"] },
  "401 mid-flight": { number: CARD, arm: () => post("faults", { expire_tokens: true }), expect: [1, "paid"] },
  "getToken down": { number: CARD, arm: () => post("faults", { expire_tokens: true, get_token_fail: 1 }), expect: [0, "TOKEN_FAILED"] },
};

for (const [opName, charge] of Object.entries(OPERATIONS)) {
  for (const [faultName, fault] of Object.entries(FAULTS)) {
    test(`${opName} × ${faultName}`, async () => {
      const c = client();
      const merchantUid = uid("m");
      const arm = fault.arm ? () => fault.arm(opName) : async () => {};
      let outcome;
      try {
        outcome = await charge(c, merchantUid, fault.number, arm);
      } catch (e) {
        outcome = { status: e.code, error: e };
      }
      const [payments, status] = fault.expect;
      const rec = await record(merchantUid);
      assert.equal(rec.count, payments, `payments at the sandbox (${JSON.stringify(outcome.status)})`);
      assert.equal(outcome.status, status, outcome.message ?? outcome.error?.message);
      // The outcome matches the record: paid ⇔ one paid payment; otherwise none.
      if (status === "paid") {
        const found = await (await fetch(`${px.url}/iamport/payments/find/${merchantUid}`)).json();
        assert.equal(found.response.status, "paid");
        assert.equal(outcome.payment.imp_uid, found.response.imp_uid);
      }
      if (status === "unknown") assert.equal(outcome.unknownReason, "not_found");
      // The proxy remembers a getToken failure for 2 s (no getToken storm): wait it out.
      if (status === "TOKEN_FAILED") await new Promise((r) => setTimeout(r, 2100));
    });
  }
}

test("scheduled run × stored cards that drop or time out: one paid payment each, reported by findPayment", async () => {
  const c = client();
  const clock = await (await fetch(`${sb.url}/__sandbox/clock`)).json();
  for (const number of ["4000 0000 0000 0069", "4000 0000 0000 0077", CARD]) {
    const customer = uid("sched");
    const merchantUid = uid("s");
    await c.registerBillingKey(customer, card(number));
    await c.schedule({ customer_uid: customer, schedules: [{ merchant_uid: merchantUid, schedule_at: clock.now + 60 + seq, amount: 9900 }] });
  }
  await post("clock", { advance: 3600 });
  const run = await (await post("schedules/run", {})).json();
  assert.ok(run.executed.length >= 3);
  for (const s of run.executed) {
    assert.equal(s.payment_status, "paid");
    assert.equal((await record(s.merchant_uid)).count, 1);
    const found = await c.findPayment(s.merchant_uid);
    assert.equal(found.status, "paid");
    assert.equal(found.payment.customer_uid_usage, "payment.scheduled");
  }
  await post("clock", { reset: true });
});
