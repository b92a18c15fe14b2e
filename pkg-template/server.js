// The public surface of the server build (everything, createProxy included), for the
// node and workerd entries; they instantiate the wasm before anything here is called.
import * as raw from "./server/iamport_keyin.js";
import { facade } from "./facade.js";
import { fastPath } from "./fast.js";
import { clients } from "./clients.js";
import { limiterClass } from "./limiter.js";

const api = clients(fastPath(facade(raw)), limiterClass);
export const {
  checkCardNumber, isValidCardNumber, cardBrand, checkExpiry, checkBirth, checkPwd2Digit, checkCard,
  formatCardNumberInput, formatFieldInput, maskCardNumber, setLocale, getLocale,
  buildOnetimePayment, buildBillingKey, buildGetBillingKey, buildDeleteBillingKey, buildGetBillingKeys,
  buildAgainPayment, buildSchedule, buildUnschedule, buildGetSchedule, buildGetSchedulesByCustomer,
  buildFindPayment, buildGetPayment, buildCancelPayment, decodeOutcome, decodeCustomer, decodeCustomers, decodeSchedules,
  buildMonthlySchedules,
  KeyinClient, createProxy, createServerClient, KeyinLimiter,
} = api;
