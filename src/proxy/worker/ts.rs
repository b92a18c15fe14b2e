//! The TypeScript of `createProxy`, its options and the operation its hooks see.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_PROXY: &'static str = r#"
export type OperationName = "onetime" | "billingKey" | "getBillingKey" | "deleteBillingKey" | "getBillingKeys"
  | "again" | "schedule" | "unschedule" | "getSchedule" | "getSchedulesByCustomer" | "findPayment";
/** What merchant hooks see: names, uids and amounts, never card fields. */
export interface Operation {
  name: OperationName;
  merchantUid?: string; customerUid?: string;
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
export interface PriceRequest extends Operation {
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
}
/** The worker's env: the proxy reads these; the hooks get the whole env (your own bindings too). */
export interface ProxyEnv { IMP_KEY?: string; IMP_SECRET?: string; IAMPORT_API_URL?: string; IAMPORT_TIER?: string; [binding: string]: unknown }
/** A worker module's default export. */
export interface IamportProxy { fetch(request: Request, env: ProxyEnv, ctx?: unknown): Promise<Response> }
/** The merchant proxy for an edge worker: `export default createProxy({ … })`. */
export function createProxy(options: ProxyOptions): IamportProxy;
"#;
