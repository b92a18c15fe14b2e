// Vercel Edge Functions / Next.js `runtime = "edge"` (the `edge-light` condition). Vercel
// hands over wasm only as `import … from "….wasm?module"`, a compiled WebAssembly.Module;
// it is instantiated synchronously on import. In `vercel dev` and Next's edge sandbox that
// module comes from another realm, so `instanceof WebAssembly.Module` is false although it
// is one: `sameRealm` gives it this realm's prototype (its internal slot is intact, which
// is all that `new WebAssembly.Instance` checks). No fetch, timers or randomness here.
import module from "./server/iamport_keyin_bg.wasm?module";
import { initSync as instantiate } from "./server/iamport_keyin.js";
import { sameRealm } from "./realm.js";

instantiate({ module: sameRealm(module) });

export * from "./server.js";
export { init, initSync, default } from "./ready.js";
