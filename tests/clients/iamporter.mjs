// npm `iamporter` against iamport-sandbox.
//
// Base URL: its own `host` constructor option (an axios instance's baseURL).
// Quirks kept: a bare `Authorization: <token>` (no `Bearer`), JSON bodies,
// `createSubscription` sends `customer_uid` in the body as well as the path,
// `payOnetime`/`paySubscription` reject unless `status === "paid"` (so the
// `code 0` + `status "failed"` decline is a rejection carrying fail_reason),
// and a 404 resolves (with `data: null`) instead of rejecting.
import { createRequire } from "node:module";
import { CARD, DECLINE_CODE, DECLINE_STATUS_FAILED, recorder } from "./common.mjs";

const { Iamporter } = createRequire(import.meta.url)("iamporter");

export async function run({ url, key, secret }) {
  const client = new Iamporter({ apiKey: key, secret, host: url });
  // IamporterError: `status` (HTTP) and `raw` (the envelope) when an answer came.
  const r = recorder((e) => ({ error: e.name, http: e.status ?? null, code: e.raw?.code ?? null, message: e.message }));
  const pay = (merchant_uid, card_number) =>
    client.payOnetime({ merchant_uid, amount: 1000, name: "iamporter", ...CARD, card_number }).then((res) => ({ status: res.data.status, imp_uid: res.data.imp_uid }));

  await r.run("onetime", () => pay("ir_pay", CARD.card_number));
  await r.run("decline_status_failed", () => pay("ir_decline_failed", DECLINE_STATUS_FAILED));
  await r.run("decline_code", () => pay("ir_decline_code", DECLINE_CODE));
  await r.run("find_by_merchant_uid", async () => {
    const res = await client.findByMerchantUid("ir_pay");
    return { status: res.data.status, imp_uid: res.data.imp_uid };
  });
  const impUid = r.flows.onetime.imp_uid;
  await r.run("find_by_imp_uid", async () => {
    const res = await client.findByImpUid(impUid);
    return { status: res.data.status, merchant_uid: res.data.merchant_uid };
  });
  await r.run("billing_key_create", async () => ({ customer_uid: (await client.createSubscription({ customer_uid: "ir_cust", ...CARD })).data.customer_uid }));
  await r.run("billing_key_get", async () => ({ customer_uid: (await client.getSubscription("ir_cust")).data.customer_uid }));
  await r.run("again", async () => ({
    status: (await client.paySubscription({ customer_uid: "ir_cust", merchant_uid: "ir_again", amount: 2000, name: "again" })).data.status,
  }));
  // iamporter 1.4.2 has no schedule, schedule look-up or unschedule method (only doc-comment stubs).
  r.skip("schedule", "iamporter has no method for POST /subscribe/payments/schedule");
  r.skip("get_schedule", "iamporter has no method for GET /subscribe/payments/schedule/{merchant_uid}");
  r.skip("unschedule", "iamporter has no method for POST /subscribe/payments/unschedule");
  const cancelled = (res) => ({ status: res.data.status, cancel_amount: res.data.cancel_amount });
  await r.run("cancel_partial", async () => cancelled(await client.cancelByImpUid(impUid, { amount: 300, checksum: 1000, reason: "partial" })));
  await r.run("cancel_full", async () => cancelled(await client.cancelByMerchantUid("ir_pay", { reason: "rest" })));
  await r.run("billing_key_delete", async () => ({ customer_uid: (await client.deleteSubscription("ir_cust")).data.customer_uid }));
  // A 404 resolves in iamporter: `{status: 404, data: null}`.
  await r.run("billing_key_get_after_delete", async () => {
    const res = await client.getSubscription("ir_cust");
    return { http: res.status, data: res.data };
  });
  return r.result();
}
