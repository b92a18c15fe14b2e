// Browser (and any ESM runtime with fetch): call `await init()` once before the first check.
// `init()` is safe to call any number of times; later calls return the first one's promise.
import initWasm, * as raw from "./iamport_keyin.js";
import { facade } from "./facade.js";

const api = facade(raw);
export const {
  checkCardNumber, isValidCardNumber, checkExpiry, checkBirth, checkPwd2Digit, checkCard,
  formatCardNumberInput, formatFieldInput, maskCardNumber, setLocale, getLocale,
  buildOnetimePayment, buildBillingKey, buildGetBillingKey, buildDeleteBillingKey, buildGetBillingKeys,
  buildAgainPayment, buildSchedule, buildUnschedule, buildGetSchedule, buildGetSchedulesByCustomer,
  buildFindPayment, buildGetPayment, buildCancelPayment, decodeOutcome, decodeCustomer, decodeCustomers, decodeSchedules,
  buildMonthlySchedules,
  KeyinClient,
  // Server-side only: here it throws (the REST secret must never reach a browser).
  createProxy, createServerClient, KeyinLimiter,
} = api;

let ready = null;

/**
 * Loads and instantiates the wasm module. `input` is optional: a URL, a Response,
 * bytes or a `WebAssembly.Module`; by default the `.wasm` beside this file is fetched.
 */
export function init(input) {
  if (ready === null) {
    ready = initWasm(input === undefined ? undefined : { module_or_path: input }).then(
      () => undefined,
      (err) => {
        ready = null; // let a later call try again (e.g. after a network error)
        throw err;
      },
    );
  }
  return ready;
}

/**
 * Instantiates the wasm module synchronously from its bytes or a compiled
 * `WebAssembly.Module` (e.g. in a Web Worker); `init()` is then a no-op.
 */
export function initSync(module) {
  raw.initSync(module);
  ready ??= Promise.resolve();
}

export default init;
