// Browser (and any ESM runtime with fetch): call `await init()` once before the first check.
// `init()` is safe to call any number of times; later calls return the first one's promise.
import initWasm from "./iamport_keyin.js";

export * from "./iamport_keyin.js";

let ready = null;

/**
 * Loads and instantiates the wasm module. `input` is optional: a URL, a Response,
 * bytes or a `WebAssembly.Module`; by default the `.wasm` beside this file is fetched.
 */
export function init(input) {
  if (ready === null) {
    ready = initWasm(input === undefined ? undefined : { module_or_path: input }).then(
      () => undefined,
      (err) => {
        ready = null; // let a later call try again (e.g. after a network error)
        throw err;
      },
    );
  }
  return ready;
}

export default init;

/**
 * The merchant proxy holds the Iamport REST secret, so it never runs in a browser:
 * it is exported by the `node` and `workerd` entries. This browser entry keeps the
 * name (every entry exports the same names) and refuses clearly.
 */
export function createProxy() {
  throw new Error("iamport-keyin: createProxy runs server-side only (the node and workerd exports); the REST secret must never reach a browser");
}
