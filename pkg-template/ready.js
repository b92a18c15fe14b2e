// The server entries instantiate their wasm on import: `init()` and `initSync()` are
// no-ops there, kept so that every entry exports the same names as the browser's.

/** Already initialised on import. */
export function init() {
  return Promise.resolve();
}

/** Already initialised on import. */
export function initSync() {}

export default init;
