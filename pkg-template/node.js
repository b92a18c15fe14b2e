// Node: the server build (everything, createProxy included) is instantiated
// synchronously on import; `init()` is a no-op.
import { readFileSync } from "node:fs";
import { initSync } from "./server/iamport_keyin.js";

initSync({ module: readFileSync(new URL("./server/iamport_keyin_bg.wasm", import.meta.url)) });

export * from "./server/iamport_keyin.js";

/** Already initialised on import; kept so that every entry exports the same names. */
export function init() {
  return Promise.resolve();
}

export default init;
