// Node: the server build (everything, createProxy included) is instantiated
// synchronously on import; `init()` is a no-op.
import { readFileSync } from "node:fs";
import { initSync as instantiate } from "./server/iamport_keyin.js";

instantiate({ module: readFileSync(new URL("./server/iamport_keyin_bg.wasm", import.meta.url)) });

export * from "./server.js";

/** Already initialised on import; kept so that every entry exports the same names. */
export function init() {
  return Promise.resolve();
}

/** Already initialised on import; kept so that every entry exports the same names. */
export function initSync() {}

export default init;
