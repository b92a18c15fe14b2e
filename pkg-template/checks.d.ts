// iamport-keyin/checks: the field checks, the formatters, masking and the locale.
import type { InitInput, SyncInitInput } from "./checks/iamport_keyin.js";
export type { __CHECK_TYPES__ } from "./checks/iamport_keyin.js";
export {
  checkCardNumber, isValidCardNumber, cardBrand, checkExpiry, checkBirth, checkPwd2Digit, checkCard,
  formatCardNumberInput, formatFieldInput, maskCardNumber, setLocale, getLocale,
} from "./checks/iamport_keyin.js";

/** Instantiates the checks' wasm module. Required once before the first check; later calls return the same promise. */
export function init(input?: InitInput | Promise<InitInput>): Promise<void>;
/** Instantiates it synchronously from its bytes or a compiled `WebAssembly.Module`. */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): void;
export default init;
