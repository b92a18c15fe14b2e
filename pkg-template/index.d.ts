// The types of every entry (browser, node, workerd): they export the same names.
import type { InitInput, SyncInitInput } from "./server/iamport_keyin.js";
export type { __TYPES__ } from "./server/iamport_keyin.js";
export {
  checkCardNumber, isValidCardNumber, cardBrand, checkExpiry, checkBirth, checkPwd2Digit, checkCard,
  formatCardNumberInput, formatFieldInput, maskCardNumber, setLocale, getLocale,
  buildOnetimePayment, buildBillingKey, buildGetBillingKey, buildDeleteBillingKey, buildGetBillingKeys,
  buildAgainPayment, buildSchedule, buildUnschedule, buildGetSchedule, buildGetSchedulesByCustomer,
  buildFindPayment, buildGetPayment, buildCancelPayment, decodeOutcome, decodeCustomer, decodeCustomers, decodeSchedules,
  buildMonthlySchedules,
  KeyinClient, createProxy, createServerClient,
} from "./server/iamport_keyin.js";

/**
 * Instantiates the wasm module. Required once in browsers before the first call;
 * a no-op under Node and workerd, where the package initialises itself on import.
 * Calling it again returns the same promise.
 */
export function init(input?: InitInput | Promise<InitInput>): Promise<void>;
/**
 * Instantiates the wasm module synchronously (browsers: from its bytes or a compiled
 * `WebAssembly.Module`, e.g. in a Web Worker). A no-op under Node and workerd.
 */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): void;
export default init;

/**
 * The Durable Object that holds the proxy's card-testing counters for every worker and
 * location: re-export it from your worker (`export { KeyinLimiter } from "iamport-keyin"`)
 * and bind it as `KEYIN_LIMITER` (see the README's "Card testing"). Server-side only.
 */
export declare class KeyinLimiter {
  constructor(state: { storage: unknown; blockConcurrencyWhile(f: () => Promise<unknown>): unknown }, env?: unknown);
  fetch(request: Request): Promise<Response>;
}
