// Deno 2 (the `deno` condition): the wasm is imported as a compiled module (a source phase
// import), so no read permission is needed (Deno Deploy runs without one). It is
// instantiated synchronously on import.
import source module from "./server/iamport_keyin_bg.wasm";
import { initSync as instantiate } from "./server/iamport_keyin.js";

instantiate({ module });

export * from "./server.js";
export { init, initSync, default } from "./ready.js";
