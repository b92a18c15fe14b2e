export * from "./server/iamport_keyin.js";
import type { InitInput } from "./server/iamport_keyin.js";

/**
 * Instantiates the wasm module. Required once in browsers before the first call;
 * a no-op under Node and workerd, where the package initialises itself on import.
 * Calling it again returns the same promise.
 */
export function init(input?: InitInput | Promise<InitInput>): Promise<void>;
export default init;
