// npm `iamport-rest-client-nodejs` against iamport-sandbox.
//
// Base URL: its own `baseUrl` constructor option (its axios instance's baseURL
// and its getToken URL).
// Quirks kept: `Authorization: Bearer <token>`, the token cached until 30 s
// before `expired_at`, JSON bodies (axios), a look-up by merchant_uid always
// with a status segment (`/payments/find/{merchant_uid}/{status}`, plus a
// `sorting` query), `postBillingKey` takes `customer_uid` out of the body, and
// `code != 0` rejected as `{response: {data}}`.
import { createRequire } from "node:module";
import { CARD, DECLINE_CODE, DECLINE_STATUS_FAILED, recorder } from "./common.mjs";

const { Iamport, Request } = createRequire(import.meta.url)("iamport-rest-client-nodejs");
const { Subscribe, Payments, Customers } = Request;

export async function run({ url, key, secret, scheduleAt }) {
  const iamport = new Iamport({ apiKey: key, apiSecret: secret, baseUrl: url });
  const r = recorder((e) => ({ http: e.response?.status ?? null, code: e.response?.data?.code ?? null }));
  const call = async (req) => (await req.request(iamport)).data.response;
  const pay = async (merchant_uid, card_number) => {
    const p = await call(Subscribe.onetime({ merchant_uid, amount: 1000, name: "nodejs", ...CARD, card_number }));
    return { status: p.status, imp_uid: p.imp_uid };
  };

  await r.run("onetime", () => pay("nj_pay", CARD.card_number));
  await r.run("decline_status_failed", () => pay("nj_decline_failed", DECLINE_STATUS_FAILED));
  await r.run("decline_code", () => pay("nj_decline_code", DECLINE_CODE));
  await r.run("find_by_merchant_uid", async () => {
    const p = await call(Payments.getByMerchantUid({ merchant_uid: "nj_pay", status: "paid" }));
    return { status: p.status, imp_uid: p.imp_uid };
  });
  const impUid = r.flows.onetime.imp_uid;
  await r.run("find_by_imp_uid", async () => {
    const p = await call(Payments.getByImpUid({ imp_uid: impUid }));
    return { status: p.status, merchant_uid: p.merchant_uid };
  });
  await r.run("billing_key_create", async () => ({ customer_uid: (await call(Customers.postBillingKey({ customer_uid: "nj_cust", ...CARD }))).customer_uid }));
  await r.run("billing_key_get", async () => ({ customer_uid: (await call(Customers.getBillingKey({ customer_uid: "nj_cust" }))).customer_uid }));
  await r.run("again", async () => ({
    status: (await call(Subscribe.again({ customer_uid: "nj_cust", merchant_uid: "nj_again", amount: 2000, name: "again" }))).status,
  }));
  await r.run("schedule", async () => ({
    merchant_uids: (
      await call(Subscribe.schedule({ customer_uid: "nj_cust", schedules: [{ merchant_uid: "nj_sched", schedule_at: scheduleAt, amount: 1500, name: "plan" }] }))
    ).map((s) => s.merchant_uid),
  }));
  await r.run("get_schedule", async () => ({ schedule_status: (await call(Subscribe.getScheduled({ merchant_uid: "nj_sched" }))).schedule_status }));
  await r.run("unschedule", async () => ({
    schedule_status: (await call(Subscribe.unschedule({ customer_uid: "nj_cust", merchant_uid: ["nj_sched"] }))).map((s) => s.schedule_status),
  }));
  const cancelled = (p) => ({ status: p.status, cancel_amount: p.cancel_amount });
  await r.run("cancel_partial", async () => cancelled(await call(Payments.cancel({ imp_uid: impUid, amount: 300, checksum: 1000, reason: "partial" }))));
  await r.run("cancel_full", async () => cancelled(await call(Payments.cancel({ merchant_uid: "nj_pay", reason: "rest" }))));
  await r.run("billing_key_delete", async () => ({ customer_uid: (await call(Customers.deleteBillingKey({ customer_uid: "nj_cust" }))).customer_uid }));
  await r.run("billing_key_get_after_delete", async () => ({ customer_uid: (await call(Customers.getBillingKey({ customer_uid: "nj_cust" }))).customer_uid }));
  return r.result();
}
