// Browser (and any ESM runtime with fetch): call `await init()` once before the first check.
// `init()` is safe to call any number of times; later calls return the first one's promise.
// In the package, pkg/index.js is this file bundled with what it imports, one ES module
// (scripts/bundle-entries.mjs): a page loads it and the wasm beside it, nothing else.
import * as glue from "./iamport_keyin.js";
import { facade, loader } from "./facade.js";
import { fastPath } from "./fast.js";
import { clients } from "./clients.js";

// The bindings that facade.js, fast.js and clients.js read, named one by one rather than
// the glue's module passed whole: the bundle then needs no namespace object of getters
// (the server-only ones, and the test builds' `__testTrap*`, are undefined here).
const raw = {
  KeyinClient: glue.KeyinClient,
  __adopt: glue.__adopt,
  __build: glue.__build,
  __cardBrandAt: glue.__cardBrandAt,
  __cardNumberAt: glue.__cardNumberAt,
  __cardValidAt: glue.__cardValidAt,
  __check: glue.__check,
  __date: glue.__date,
  __expiryAt: glue.__expiryAt,
  __memory: glue.__memory,
  __message: glue.__message,
  __operations: glue.__operations,
  __reinit: glue.__reinit,
  __scratch: glue.__scratch,
  __tables: glue.__tables,
  __testTrap: glue.__testTrap,
  getLocale: glue.getLocale,
  setLocale: glue.setLocale,
};

const { api } = clients(fastPath(facade(raw)));
export const {
  checkCardNumber, isValidCardNumber, cardBrand, checkExpiry, checkBirth, checkPwd2Digit, checkCard,
  formatCardNumberInput, formatFieldInput, maskCardNumber, setLocale, getLocale,
  buildOnetimePayment, buildBillingKey, buildGetBillingKey, buildDeleteBillingKey, buildGetBillingKeys,
  buildAgainPayment, buildSchedule, buildUnschedule, buildGetSchedule, buildGetSchedulesByCustomer,
  buildFindPayment, buildGetPayment, buildCancelPayment, decodeOutcome, decodeCustomer, decodeCustomers, decodeSchedules,
  buildMonthlySchedules,
  KeyinClient,
  // Server-side only: here it throws (the REST secret must never reach a browser).
  createProxy, createServerClient, KeyinLimiter,
} = api;

/**
 * Loads and instantiates the wasm module. `input` is optional: a URL, a Response,
 * bytes or a `WebAssembly.Module`; by default the `.wasm` beside this file is fetched.
 * Instantiates the wasm module synchronously from its bytes or a compiled
 * `WebAssembly.Module` (e.g. in a Web Worker) with `initSync`; `init()` is then a no-op.
 */
export const { init, initSync } = loader(glue.initSync, () => new URL("iamport_keyin_bg.wasm", import.meta.url));
export default init;
