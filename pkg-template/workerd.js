// Cloudflare Workers / workerd: the bundler hands over the wasm as a compiled
// WebAssembly.Module (wrangler's CompiledWasm rule); it is instantiated synchronously
// on import. Nothing here touches fetch, timers or randomness at module scope.
import module from "./server/iamport_keyin_bg.wasm";
import { initSync as instantiate } from "./server/iamport_keyin.js";

instantiate({ module });

export * from "./server.js";
export { init, initSync, default } from "./ready.js";
