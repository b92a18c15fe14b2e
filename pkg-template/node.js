// Node: the server build (everything, createProxy included) is instantiated
// synchronously on import; `init()` is a no-op.
import { readFileSync } from "node:fs";
import * as raw from "./server/iamport_keyin.js";
import { facade } from "./facade.js";

raw.initSync({ module: readFileSync(new URL("./server/iamport_keyin_bg.wasm", import.meta.url)) });

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
