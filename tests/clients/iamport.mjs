// npm `iamport` against iamport-sandbox.
//
// Base URL: the client has no option for it; every resource copies
// `Iamport.DEFAULT_HOST` when the client is constructed, so that static default
// is monkeypatched before `new Iamport(...)` (and restored after).
// Quirks kept: a bare `Authorization: <token>` (no `Bearer`), JSON bodies (the
// `request` module with `json: true`), a 401 retried once with a new token,
// `code != 0` rejected as `Error` with `code: "IAMPORT_<code>"`, HTTP 400/401/404
// rejected with `code: "HTTP_<status>"`; `subscribe_customer.create` takes
// `customer_uid` into the path and out of the body.
import { createRequire } from "node:module";
import { CARD, DECLINE_CODE, DECLINE_STATUS_FAILED, recorder } from "./common.mjs";

const Iamport = createRequire(import.meta.url)("iamport");

export async function run({ url, key, secret, scheduleAt }) {
  const saved = Iamport.DEFAULT_HOST;
  Iamport.DEFAULT_HOST = url;
  const client = new Iamport({ impKey: key, impSecret: secret });
  Iamport.DEFAULT_HOST = saved;
  const r = recorder((e) => ({ error: e.code ?? String(e) }));
  const pay = (merchant_uid, card_number) =>
    client.subscribe.onetime({ merchant_uid, amount: 1000, name: "iamport", ...CARD, card_number }).then((p) => ({ status: p.status, imp_uid: p.imp_uid }));

  await r.run("onetime", () => pay("ia_pay", CARD.card_number));
  await r.run("decline_status_failed", () => pay("ia_decline_failed", DECLINE_STATUS_FAILED));
  await r.run("decline_code", () => pay("ia_decline_code", DECLINE_CODE));
  await r.run("find_by_merchant_uid", async () => {
    const p = await client.payment.getByMerchant({ merchant_uid: "ia_pay" });
    return { status: p.status, imp_uid: p.imp_uid };
  });
  const impUid = r.flows.onetime.imp_uid;
  await r.run("find_by_imp_uid", async () => {
    const p = await client.payment.getByImpUid({ imp_uid: impUid });
    return { status: p.status, merchant_uid: p.merchant_uid };
  });
  await r.run("billing_key_create", async () => ({ customer_uid: (await client.subscribe_customer.create({ customer_uid: "ia_cust", ...CARD })).customer_uid }));
  await r.run("billing_key_get", async () => ({ customer_uid: (await client.subscribe_customer.get({ customer_uid: "ia_cust" })).customer_uid }));
  await r.run("again", async () => ({
    status: (await client.subscribe.again({ customer_uid: "ia_cust", merchant_uid: "ia_again", amount: 2000, name: "again" })).status,
  }));
  await r.run("schedule", async () => ({
    merchant_uids: (
      await client.subscribe.schedule({ customer_uid: "ia_cust", schedules: [{ merchant_uid: "ia_sched", schedule_at: scheduleAt, amount: 1500, name: "plan" }] })
    ).map((s) => s.merchant_uid),
  }));
  // iamport 0.3.4 has no method for one schedule's look-up (its Subscribe resource
  // has onetime, again, schedule and unschedule only).
  r.skip("get_schedule", "iamport has no method for GET /subscribe/payments/schedule/{merchant_uid}");
  await r.run("unschedule", async () => ({
    schedule_status: (await client.subscribe.unschedule({ customer_uid: "ia_cust", merchant_uid: ["ia_sched"] })).map((s) => s.schedule_status),
  }));
  const cancelled = (p) => ({ status: p.status, cancel_amount: p.cancel_amount });
  await r.run("cancel_partial", async () => cancelled(await client.payment.cancel({ imp_uid: impUid, amount: 300, checksum: 1000, reason: "partial" })));
  await r.run("cancel_full", async () => cancelled(await client.payment.cancel({ merchant_uid: "ia_pay", reason: "rest" })));
  await r.run("billing_key_delete", async () => ({ customer_uid: (await client.subscribe_customer.delete({ customer_uid: "ia_cust" })).customer_uid }));
  await r.run("billing_key_get_after_delete", async () => ({ customer_uid: (await client.subscribe_customer.get({ customer_uid: "ia_cust" })).customer_uid }));
  return r.result();
}
