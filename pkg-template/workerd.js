// Cloudflare Workers / workerd: the bundler hands over the wasm as a compiled
// WebAssembly.Module (wrangler's CompiledWasm rule); it is instantiated synchronously
// on import. Nothing here touches fetch, timers or randomness at module scope.
import module from "./server/iamport_keyin_bg.wasm";
import { initSync } from "./server/iamport_keyin.js";

initSync({ module });

export * from "./server/iamport_keyin.js";

/** Already initialised on import; kept so that every entry exports the same names. */
export function init() {
  return Promise.resolve();
}

export default init;
