//! The TypeScript of `createProxy`, its options and the operation its hooks see.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_PROXY: &'static str = r#"
export type OperationName = "onetime" | "billingKey" | "getBillingKey" | "deleteBillingKey" | "getBillingKeys"
  | "again" | "schedule" | "unschedule" | "getSchedule" | "getSchedulesByCustomer" | "findPayment" | "getPayment";
/** What merchant hooks see: names, uids and amounts, never card fields. */
export interface Operation {
  name: OperationName;
  merchantUid?: string; customerUid?: string;
  /** Iamport's payment id (`getPayment`). */
  impUid?: string;
  /** Every order id the request touches (`merchantUid` included): check each one is the caller's. */
  merchantUids?: string[];
  /** Every billing-key id the request touches (`customerUid` included): check each one is the caller's. */
  customerUids?: string[];
  /** A charge's amount (a schedule's: the sum of its charges). */
  amount?: number;
  /** A schedule's charges. */
  schedules?: { merchantUid: string; amount: number; scheduleAt: number }[];
  /** A schedule's test charge (`checking_amount`). */
  checkingAmount?: number;
  orderName?: string; buyerName?: string;
  /** As sent upstream. */
  pg?: string; channelKey?: string; noticeUrl?: string;
  /** `custom_data`: written by the browser; never trust it. */
  customData?: string;
}
/** One amount `resolveAmount` prices: the operation, with `merchantUid` and `amount` being the priced item's. */
export interface ChargePriceRequest extends Operation {
  /** "charge": payOnetime/payAgain; "scheduledCharge": one schedule entry (one call each); "checkingAmount": a schedule's test charge (no merchantUid). */
  pricing: "charge" | "scheduledCharge" | "checkingAmount";
  /** A scheduled charge's time (UNIX seconds). */
  scheduleAt?: number;
  amount: number;
}
/** What a hook may return: a value, a Promise, or any thenable (it is awaited). */
export type Awaitable<T> = T | PromiseLike<T>;
export interface ProxyLogEvent {
  level: "info" | "warn" | "error"; event: string; code?: string; operation?: OperationName;
  status?: number; ms?: number; detail?: unknown;
}
export interface ProxyOptions {
  /** Routes mirror Iamport's paths under it. Default "/iamport". */
  basePath?: string;
  /** Cross-origin callers allowed: exact origins, or "*" (answered with a literal `*`, never with credentials). Default: same-origin only, no CORS headers. */
  allowedOrigins?: string[];
  /** Send `Access-Control-Allow-Credentials: true` to the listed origins (cookies cross-origin). Never with "*". */
  allowCredentials?: boolean;
  /** The operations served (the client's method names); anything else is 404. Default: all. */
  operations?: ClientOperation[];
  /** Default 16384. Enforced while reading. */
  maxBodyBytes?: number;
  /** Default 25000: ONE deadline for getToken + forward + retry, below the client's 30 s. */
  upstreamTimeoutMs?: number;
  /** Required. The merchant's session check: only exactly `true` allows (anything else: 403). */
  authorize: (request: Request, operation: Operation, env: ProxyEnv) => Awaitable<boolean>;
  /** Required unless `operations` leaves out payOnetime, payAgain and schedule. The server's price of each amount; anything but a whole positive number refuses (409 AMOUNT_UNRESOLVED), another number too (409 AMOUNT_MISMATCH). */
  resolveAmount?: (priced: PriceRequest, request: Request, env: ProxyEnv) => Awaitable<number | null | undefined>;
  /** Set by the server: what goes upstream; a browser value that differs is refused (400 SERVER_OWNED_FIELD). */
  pg?: string;
  channelKey?: string;
  noticeUrl?: string;
  /** Receives one event per request and every hook failure. Never card data. Its throws and rejections are ignored. */
  log?: (event: ProxyLogEvent) => unknown;
  /**
   * Serves `POST {basePath}/webhook` (only with this hook): Iamport's notification,
   * verified by looking the payment up, its amount checked with `resolveAmount`
   * (`priced.pricing === "webhook"`). Answered 200 once this resolves; a throw is a 500
   * and Iamport sends it again. It may arrive more than once: de-duplicate by `deliveryKey`.
   */
  onPayment?: (verified: ProxyVerifiedWebhook, request: Request, env: ProxyEnv) => Awaitable<unknown>;
  /** Only these addresses may post webhooks (the client's address by `clientIp`). Default: any sender; every webhook is verified by look-up anyway. */
  webhookIps?: string[];
  /**
   * Where the client's address comes from, for `browser_ip` and `webhookIps`: a header your
   * edge sets and clients cannot (e.g. "x-real-ip"), a function of the request and the
   * handler's second argument as the runtime passed it (@hono/node-server:
   * `(req, arg) => arg.incoming?.socket?.remoteAddress`; deno serve:
   * `(req, info) => info.remoteAddr.hostname`), or `false`.
   * Default: the runtime's own header when the runtime is known (Cloudflare:
   * CF-Connecting-IP; Vercel Edge: x-real-ip; Netlify: x-nf-client-connection-ip), else the
   * socket's peer when the runtime hands it over (Deno, Bun, @hono/node-server), else none.
   * Without a trusted address, a browser-sent `browser_ip` is dropped, never forwarded.
   */
  clientIp?: string | false | ((request: Request, runtimeArgument: any) => Awaitable<string | null | undefined>);
  /**
   * The bindings, when the runtime does not pass them as the handler's second argument.
   * Precedence: that argument (when it has IMP_KEY or IMP_SECRET), then this, then
   * `process.env`, then `Deno.env`. Values are never logged.
   */
  env?: ProxyEnv;
  /**
   * Card-testing limits on payOnetime, registerBillingKey and schedule with card fields,
   * per client address and per `limitKey`. On by default; `false` turns them off. A
   * tripped limit answers 429 TOO_MANY_ATTEMPTS with Retry-After, and nothing is
   * forwarded until it ends. Counters: `store`, else the `KEYIN_LIMITER` Durable Object
   * binding, else this process's memory.
   */
  limits?: false | KeyinLimits;
  /** The merchant's key for the limits (a session or account id), counted beside the address. Hashed; never stored as given. */
  limitKey?: (request: Request, operation: Operation, env: ProxyEnv) => Awaitable<string | null | undefined>;
  /**
   * Asked on a soft limit (repeated declines, or the breaker): exactly `true` lets the
   * request through (e.g. it carries a Turnstile token you verified); anything else
   * answers 429 CHALLENGE_REQUIRED. Without it, only the hard limits apply.
   */
  challenge?: (request: Request, operation: Operation, reason: "declines" | "breaker", env: ProxyEnv) => Awaitable<boolean>;
}
/** A limit: at most `max` in a window of `windowSeconds` (from the first hit). */
export interface KeyinRate { max?: number; windowSeconds?: number }
/** Every limit; anything left out keeps its default. */
export interface KeyinLimits {
  /** Requests per scope. Default 20 in 600 s. */
  attempts?: KeyinRate;
  /** Declines per scope. Default 5 in 600 s; from `soft` (default 2) on, `challenge` is asked. */
  declines?: KeyinRate & { soft?: number };
  /** Distinct cards per scope (by a keyed hash of BIN and last 4). Default 5 in 3600 s. */
  cards?: KeyinRate;
  /** How long a tripped scope is refused. Default 900. */
  cooldownSeconds?: number;
  /** Declines across every scope: default 30 in 300 s opens it for 900 s; then everyone is challenged and each scope trips at `declinesPerKey` (2) declines. */
  breaker?: { declines?: number; windowSeconds?: number; cooldownSeconds?: number; declinesPerKey?: number };
  /** Your own counters (Redis, a database). */
  store?: KeyinLimitStore;
}
/**
 * A counter store: add `by` to `key` in its window, which starts at the key's first counted
 * hit and lasts `windowSeconds` (Redis: INCRBY, EXPIRE NX, TTL), and answer the count, or
 * `{ count, resetSeconds }`. `by` is 0 for a read, which must not start a window. A
 * rejection refuses the card request (503 LIMITER_UNAVAILABLE).
 */
export interface KeyinLimitStore {
  hit(key: string, windowSeconds: number, by: number): Awaitable<number | { count: number; resetSeconds?: number }>;
}
/** What `resolveAmount` prices: an amount a request would charge, or a webhook's verified payment (`pricing: "webhook"`). */
export type PriceRequest = ChargePriceRequest | WebhookPriceRequest;
/** What `resolveAmount` is asked for a webhook's payment (verified values). */
export interface WebhookPriceRequest {
  name: "webhook"; pricing: "webhook";
  merchantUid?: string; impUid: string; customerUid?: string; amount?: number; status: string;
}
/** A webhook as `onPayment` gets it: the look-up's payment, and the amount check. */
export interface ProxyVerifiedWebhook extends VerifiedWebhook {
  /** `resolveAmount`'s price for the order (null: none given). */
  expectedAmount: number | null;
  /** The payment's amount is not `expectedAmount` (true when there is no price: fail-closed). */
  amountMismatch: boolean;
}
/** The worker's env: the proxy reads these; the hooks get the whole env (your own bindings too). */
export interface ProxyEnv { IMP_KEY?: string; IMP_SECRET?: string; IAMPORT_API_URL?: string; IAMPORT_TIER?: string; [binding: string]: unknown }
/** A worker module's default export. */
export interface IamportProxy { fetch(request: Request, env: ProxyEnv, ctx?: unknown): Promise<Response> }
/** The merchant proxy for an edge worker: `export default createProxy({ … })`. */
export function createProxy(options: ProxyOptions): IamportProxy;

/** A webhook, verified: everything but `claimed` comes from looking the payment up. */
export interface VerifiedWebhook {
  /** The payment as Iamport has it now. */
  payment: Payment;
  /** Its status now. */
  status: PaymentStatus | string;
  merchantUid: string | null;
  impUid: string;
  /** `imp_uid:status`: the same for every repeat of one notification. */
  deliveryKey: string;
  /** What the body claimed (never acted on). */
  claimed: { impUid: string; merchantUid: string | null; status: string | null };
  /** The claim agrees with the look-up; false for a forged or stale notification. */
  matchesClaim: boolean;
}
/** A refund's result. A refusal (balance mismatch, over-refund, already cancelled) rejects instead. */
export interface RefundOutcome {
  /** "unknown": the answer was lost and the look-up could not show it applied; see `unknownReason`. Never re-sent. */
  status: "refunded" | "unknown";
  /** The payment after the refund (`cancel_amount`, `cancel_history`, `status`), or as last seen. */
  payment: Payment | null;
  /** What is left to refund. */
  remaining: number | null;
  resolvedByLookup: boolean;
  unknownReason: "not_applied" | "balance_changed" | "not_found" | "lookup_failed" | null;
  message: string | null;
}
export interface ServerClientOptions {
  /** Iamport's REST API key and secret: server-side only. */
  impKey: string;
  impSecret: string;
  /** Default "https://api.iamport.kr" (the sandbox's URL in development). */
  apiUrl?: string;
  /** Agency accounts: the `Tier` header. */
  tier?: string;
  /** One budget per call for getToken, the request and its one retry after a 401. Default 25000. */
  timeoutMs?: number;
  locale?: Locale;
}
/**
 * Talks to Iamport directly, from the merchant's server: every KeyinClient method with
 * the same results and errors, plus refunds, look-ups by imp_uid and webhook checks.
 * One token per isolate, shared with the proxy. Never double-charges or double-refunds.
 */
export interface KeyinServerClient extends KeyinOperations {
  readonly apiUrl: string;
  /** `POST /payments/cancel`: see `buildCancelPayment` for the rules. */
  cancelPayment(input: CancelInput): Promise<RefundOutcome>;
  /** Parses a webhook body (raw text, JSON or form, or a parsed object) and looks its payment up. Rejects WEBHOOK_MALFORMED, WEBHOOK_UNKNOWN_PAYMENT (forged) or with the look-up's error. */
  verifyWebhook(body: string | Record<string, unknown>): Promise<VerifiedWebhook>;
}
/** The server client (server entries only; the browser entry throws). */
export function createServerClient(options: ServerClientOptions): KeyinServerClient;
"#;
