// Node: the server build (everything, createProxy included) is instantiated
// synchronously on import; `init()` is a no-op.
import { readFileSync } from "node:fs";
import { initSync as instantiate } from "./server/iamport_keyin.js";

instantiate({ module: readFileSync(new URL("./server/iamport_keyin_bg.wasm", import.meta.url)) });

export * from "./server.js";
export { init, initSync, default } from "./ready.js";
