// iamport-keyin/checks: the field checks, the formatters, masking and the locale, over a
// wasm of their own (no builders, no client): for a page that only checks card fields.
// The same names, answers and init() rules as the main entry.
import initWasm, * as raw from "./checks/iamport_keyin.js";
import { facade, loader } from "./facade.js";

const { api } = facade(raw);
export const {
  checkCardNumber, isValidCardNumber, cardBrand, checkExpiry, checkBirth, checkPwd2Digit, checkCard,
  formatCardNumberInput, formatFieldInput, maskCardNumber, setLocale, getLocale,
} = api;

/** As the main entry's: call `await init()` once before the first check. */
export const { init, initSync } = loader(initWasm, raw.initSync);
export default init;
