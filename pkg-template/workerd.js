// Cloudflare Workers / workerd: the bundler hands over the wasm as a compiled
// WebAssembly.Module (wrangler's CompiledWasm rule); it is instantiated synchronously
// on import. Nothing here touches fetch, timers or randomness at module scope.
import module from "./server/iamport_keyin_bg.wasm";
import * as raw from "./server/iamport_keyin.js";
import { facade } from "./facade.js";

raw.initSync({ module });

const api = facade(raw);
export const {
  checkCardNumber, isValidCardNumber, checkExpiry, checkBirth, checkPwd2Digit, checkCard,
  formatCardNumberInput, maskCardNumber, setLocale, getLocale,
  buildOnetimePayment, buildBillingKey, buildGetBillingKey, buildDeleteBillingKey, buildGetBillingKeys,
  buildAgainPayment, buildSchedule, buildUnschedule, buildGetSchedule, buildGetSchedulesByCustomer,
  buildFindPayment, decodeOutcome, decodeCustomer, decodeCustomers, decodeSchedules,
  KeyinClient, createProxy,
} = api;

/** Already initialised on import; kept so that every entry exports the same names. */
export function init() {
  return Promise.resolve();
}

/** Already initialised on import; kept so that every entry exports the same names. */
export function initSync() {}

export default init;
