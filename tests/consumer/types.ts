// Type test: compiled with `tsc --noEmit` against the installed package's .d.ts.
import init, {
  checkBirth,
  checkCard,
  checkCardNumber,
  checkExpiry,
  checkPwd2Digit,
  formatCardNumberInput,
  formatFieldInput,
  getLocale,
  initSync,
  isValidCardNumber,
  maskCardNumber,
  setLocale,
  type Brand,
  type CardNumberCheck,
  type FieldError,
  type Locale,
  buildOnetimePayment,
  buildBillingKey,
  buildGetBillingKeys,
  buildSchedule,
  buildGetSchedulesByCustomer,
  buildFindPayment,
  buildMonthlySchedules,
  decodeOutcome,
  decodeSchedules,
  type Built,
  type IamportRequest,
  type Outcome,
  type OutcomeStatus,
  createProxy,
  createServerClient,
  type PriceRequest,
  KeyinClient,
  type ClientOutcome,
  type KeyinError,
  type Operation,
  type ProxyEnv,
  KeyinLimiter,
  type KeyinLimitStore,
} from "iamport-keyin";

export async function typed(): Promise<void> {
  await init();
  const c: CardNumberCheck = checkCardNumber("4111");
  const brand: Brand | null = c.brand;
  const brands: Brand[] = c.possibleBrands;
  const err: FieldError | null = c.error;
  const masked: string = c.masked;
  const expiry: string | null = checkExpiry("12/28", { today: "2026-11-28", locale: "en" }).value;
  const kind: "personal" | "business" | null = checkBirth("820213", { kind: "personal" }).kind;
  const pwd: string | null = checkPwd2Digit("12").value;
  const card: { isValid: boolean; errors: FieldError[] } = checkCard({
    card_number: "4111",
    expiry: "12/28",
    birth: "820213",
  });
  const f: { value: string; caret: number } = formatCardNumberInput("4111", 4);
  const m: string | null = maskCardNumber("4111");
  const ok: boolean = setLocale("en") && isValidCardNumber("4111");
  const loc: Locale = getLocale();
  const sync: typeof initSync = initSync;
  void [brand, brands, err, masked, expiry, kind, pwd, card, f, m, ok, loc, sync];

  // @ts-expect-error: only "ko" and "en" exist
  setLocale("fr");
  // @ts-expect-error: a brand is a string union, not a number
  const wrong: number = c.brand;
  // @ts-expect-error: misspelt option
  checkExpiry("12/28", { todday: "2026-11-28" });
  // @ts-expect-error: kind is "personal" | "business"
  checkBirth("820213", { kind: "corporate" });
  void wrong;
}

export function builders(): void {
  const built: Built = buildOnetimePayment({ merchant_uid: "m", amount: 1000 }, { now: 1795875642, pgProfile: "kcp" });
  if (built.ok) {
    const req: IamportRequest = built.request;
    const method: "GET" | "POST" | "DELETE" = req.method;
    const body: Record<string, unknown> | null = req.body;
    void [method, body];
  } else {
    const codes: string[] = built.errors.map((e) => e.code);
    void codes;
  }
  buildBillingKey("c1", { card_number: "4111" });
  buildGetBillingKeys(["a", "b"]);
  buildSchedule({ customer_uid: "c1", schedules: [] }, { locale: "en" });
  buildGetSchedulesByCustomer("c1", { from: 1, to: 2, status: "scheduled" });
  buildFindPayment("m", "paid");
  const plan = buildMonthlySchedules({ customer_uid: "c1", amount: 9900, name: "monthly", day: 31, from: 1795875642, count: 12, merchantUidPrefix: "sub_c1" });
  if (plan.ok) {
    const at: number = plan.input.schedules[0].schedule_at;
    buildSchedule(plan.input);
    void at;
  } else {
    const planCodes: string[] = plan.errors.map((e) => e.code);
    void planCodes;
  }
  // @ts-expect-error: merchantUidPrefix is required
  buildMonthlySchedules({ customer_uid: "c1", amount: 9900, name: "monthly", day: 31, from: 1795875642, count: 12 });
  const o: Outcome = decodeOutcome(200, "{}", { expectedAmount: 1000 });
  const st: OutcomeStatus = o.status;
  const mismatch: boolean = o.amountMismatch;
  const page = decodeSchedules(200, {});
  if (page.ok) {
    const n: number = page.page.list.length;
    void n;
  }
  void [st, mismatch];
  // @ts-expect-error: pgProfile is "kcp" | "any"
  buildOnetimePayment({}, { pgProfile: "nice" });
  // @ts-expect-error: status must be a payment status
  buildFindPayment("m", "refunded");
  // @ts-expect-error: from/to are required
  buildGetSchedulesByCustomer("c1", { status: "scheduled" });
}

export const worker = createProxy({
  basePath: "/iamport",
  allowedOrigins: ["https://shop.example"],
  allowCredentials: true,
  operations: ["payOnetime", "findPayment"],
  authorize: async (request: Request, operation: Operation, env: ProxyEnv) =>
    request.headers.has("cookie") && operation.name !== "deleteBillingKey" && env.SESSION_SECRET !== undefined,
  resolveAmount: (priced: PriceRequest) => (priced.pricing === "charge" && priced.merchantUid ? 3000 : null),
  pg: "kcp.A52CY",
  log: (event) => void event.code,
});
// @ts-expect-error: authorize is required
createProxy({ resolveAmount: () => 1 });
// @ts-expect-error: operations are the client's method names
createProxy({ authorize: () => true, operations: ["refund"] });
export async function handle(request: Request, env: ProxyEnv): Promise<Response> {
  return worker.fetch(request, env);
}
// @ts-expect-error: maxBodyBytes is a number
createProxy({ maxBodyBytes: "16k" });

export async function pay(): Promise<string> {
  const client = new KeyinClient({ proxyUrl: "/iamport", timeoutMs: 10000, credentials: "same-origin" });
  try {
    const o: ClientOutcome = await client.payOnetime({ merchant_uid: "m", amount: 1000 });
    const reason: string | null = o.unknownReason;
    const key = await client.getBillingKey("c1");
    const keys = await client.getBillingKeys(["c1", "c2"]);
    const schedules = await client.getSchedulesByCustomer("c1", { from: 1, to: 2, status: "scheduled" });
    void [keys.length, schedules.length];
    return `${o.status}${reason}${key?.card_number ?? ""}`;
  } catch (e) {
    const err = e as KeyinError;
    return err.code;
  }
}
// @ts-expect-error: proxyUrl is required
new KeyinClient({ timeoutMs: 1 });

export async function billing(env: ProxyEnv): Promise<string> {
  const iamport = createServerClient({ impKey: String(env.IMP_KEY), impSecret: String(env.IMP_SECRET), timeoutMs: 20000 });
  const renewal = await iamport.payAgain({ customer_uid: "c1", merchant_uid: "sub_1_202701", amount: 9900, name: "월 구독" });
  const refund = await iamport.cancelPayment({ imp_uid: "imp_1", amount: 1000, checksum: 9900, reason: "부분 환불" });
  const left: number | null = refund.remaining;
  const why: "not_applied" | "balance_changed" | "not_found" | "lookup_failed" | null = refund.unknownReason;
  const v = await iamport.verifyWebhook('{"imp_uid":"imp_1","status":"paid"}');
  const key: string = v.deliveryKey;
  const found = await iamport.getPayment("imp_1");
  void [left, why, found?.status];
  return `${renewal.status}${refund.status}${key}`;
}
export const withWebhook = createProxy({
  authorize: () => false,
  operations: ["getPayment"],
  webhookIps: ["52.78.100.19"],
  onPayment: async (v) => {
    const mismatch: boolean = v.amountMismatch;
    const expected: number | null = v.expectedAmount;
    void [mismatch, expected, v.payment.imp_uid];
  },
});
// @ts-expect-error: reason is required for a refund
createServerClient({ impKey: "k", impSecret: "s" }).cancelPayment({ imp_uid: "imp_1" });
// @ts-expect-error: refunds are server-only: not a proxy operation
createProxy({ authorize: () => true, operations: ["cancelPayment"] });

// Card testing: the limits, a merchant store, the challenge hook, the Durable Object.
const memo = new Map<string, number>();
const store: KeyinLimitStore = {
  hit: async (key, windowSeconds, by) => {
    const count = (memo.get(key) ?? 0) + by;
    memo.set(key, count);
    return { count, resetSeconds: windowSeconds };
  },
};
export const limited = createProxy({
  authorize: () => true,
  resolveAmount: (p) => p.amount ?? null,
  limits: { declines: { max: 3, soft: 1 }, cooldownSeconds: 600, breaker: { declines: 50 }, store },
  limitKey: (request) => request.headers.get("x-session"),
  challenge: async (_request, _op, reason) => reason === "breaker",
});
export const unlimited = createProxy({ authorize: () => true, resolveAmount: () => 1, limits: false });
export { KeyinLimiter };
// @ts-expect-error: a limit is { max, windowSeconds }, not a number
createProxy({ authorize: () => true, resolveAmount: () => 1, limits: { attempts: 5 } });
// @ts-expect-error: a store needs hit(key, windowSeconds, by)
createProxy({ authorize: () => true, resolveAmount: () => 1, limits: { store: { get: () => 1 } } });

// The drop-in form: its element, its value and its events are typed.
import { KeyinCardForm, type KeyinCardValue, type KeyinChangeDetail } from "iamport-keyin/form";
export function wireForm(): KeyinCardValue | null {
  const form = document.createElement("keyin-card-form");
  const typed: KeyinCardForm = form;
  typed.corporate = true;
  typed.locale = "en";
  form.addEventListener("keyin-change", (e) => {
    const detail: KeyinChangeDetail = e.detail;
    void [detail.complete, detail.brand, detail.errors.length, detail.empty];
  });
  const { isValid } = form.validate();
  // @ts-expect-error: .value is read-only (card data is never set from outside)
  form.value = { card_number: "", expiry: "", birth: "" };
  // @ts-expect-error: only ko and en
  typed.locale = "ja";
  return isValid ? form.value : null;
}
const f = formatFieldInput("expiry", "1230", 4);
const complete: boolean = f.complete;
// @ts-expect-error: not a key-in field
formatFieldInput("cvc", "123");
void complete;

// The checks-only entry: the same functions and types.
import * as checksOnly from "iamport-keyin/checks";
export async function checksEntry(): Promise<boolean> {
  await checksOnly.init();
  const c: CardNumberCheck = checksOnly.checkCardNumber("4111 1111 1111 1111", { locale: "en" });
  const f = checksOnly.formatFieldInput("business", "1168200276");
  // @ts-expect-error: the checks entry has no builders
  checksOnly.buildOnetimePayment;
  return c.isValid && f.complete && checksOnly.isValidCardNumber(c.digits);
}
