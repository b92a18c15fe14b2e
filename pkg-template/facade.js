// The package's public surface over wasm-bindgen's raw bindings, shared by every entry.
//
// Its one job beyond passing calls through: survive a trap. A trap (a Rust panic, or an
// out-of-bounds access, an allocation failure, a stack overflow) leaves the wasm instance
// in an undefined state, and nothing may run in it again. So:
// - a synchronous call that traps throws a KeyinError INTERNAL_ERROR, and the instance is
//   replaced at once (wasm-bindgen's reinit: a fresh WebAssembly.Instance of the same
//   module; the locale set with setLocale is re-applied), so the next call works;
// - a trap inside async work (a client request, a proxied request) fails every operation
//   in flight with INTERNAL_ERROR instead of leaving its promise pending forever: in the
//   server build the panic hook in Rust (src/recover.rs) calls `onTrap` before the
//   instance dies; in the browser build (no std, no hook) the client operation whose
//   step trapped rejects with the trap (its driver, drive.js, called the step), and
//   clients.js recovers from it;
// - objects made by the dead instance (a KeyinClient, a proxy) rebuild themselves from
//   the same options on their next call.
// A charge in flight when the instance died has an unknown outcome: its error says so,
// and names the merchant_uid to look up. It is never retried here.

// The checks by number (the index): every build answers `raw.__check(n, a, b, c, d, e)`
// (`Check` in src/js/surface.rs). In the main and server entries, the fast path
// (fast.js) answers four of them first.
const CHECKS = ["checkCardNumber", "checkExpiry", "checkBirth", "checkPwd2Digit", "checkCard", "formatCardNumberInput", "formatFieldInput", "maskCardNumber", "isValidCardNumber", "cardBrand"];

// A trap: the engine's RuntimeError, or the engine's stack running out inside wasm
// (V8: RangeError "Maximum call stack size exceeded"; SpiderMonkey: InternalError
// "too much recursion"). Other errors (a TypeError for a bad option) leave it intact.
const isTrap = (e) =>
  (typeof WebAssembly !== "undefined" && e instanceof WebAssembly.RuntimeError) ||
  (e instanceof Error && (e.name === "RangeError" || e.name === "InternalError") && /call stack|recursion/i.test(e.message));

// INTERNAL_ERROR: the instance trapped; `what` says what the caller should do.
export function internalError(cause, what = "retry the call") {
  const e = new Error(`iamport-keyin: internal error (the WebAssembly instance trapped and was restarted); ${what}`, { cause });
  e.name = "KeyinError";
  e.code = "INTERNAL_ERROR";
  e.httpStatus = null;
  return e;
}

// The core every entry shares: trap recovery and the checks. Answers
// `{ api, raw, live, trapped, dying, locale }`: the main and server entries add the
// fast path (fast.js) and the clients (clients.js) from the same parts (`dying`: what
// to call when the live instance dies, such as failing the clients' operations in
// flight).
export function facade(raw) {
  let next = 1; // the epoch the next fresh instance will adopt
  let locale = null; // re-applied to a fresh instance
  const dying = new Set();

  // Called by the panic hook inside the dying instance (server build): must not call
  // into wasm.
  function onTrap() {
    for (const f of dying) f();
    queueMicrotask(recover);
  }

  // The live instance's epoch; adopts (and sets up) a fresh instance.
  function live() {
    const e = raw.__adopt(next, onTrap);
    if (e === next) {
      next += 1;
      if (locale !== null) raw.setLocale(locale);
    }
    return e;
  }

  function recover() {
    try {
      live(); // runs wasm-bindgen's scheduled reset, then adopts the new instance
    } catch {
      // The next call tries again.
    }
  }

  // A trap in a synchronous call: schedule the reset, fail what was in flight, reset now.
  function trapped(err) {
    if (!isTrap(err)) return err;
    try {
      raw.__reinit();
    } catch {
      // Without the reinit export the instance cannot be replaced; the error still says why.
    }
    for (const f of dying) f();
    recover();
    return internalError(err);
  }

  const api = {};
  // Each check, and getLocale, passed through; a trap becomes INTERNAL_ERROR.
  const check = raw.__check;
  const guard = (name, f) => {
    api[name] = (a, b, c, d, e) => {
      try {
        return f(a, b, c, d, e);
      } catch (err) {
        throw trapped(err);
      }
    };
  };
  CHECKS.forEach((name, n) => guard(name, (a, b, c, d, e) => check(n, a, b, c, d, e)));
  guard("getLocale", raw.getLocale);
  api.setLocale = (l) => {
    try {
      const ok = raw.setLocale(l);
      if (ok) locale = raw.getLocale();
      return ok;
    } catch (err) {
      throw trapped(err);
    }
  };

  // Test builds only (cargo feature test-trap; never in the published package);
  // `__testTrapAsync` is clients.js's.
  if (typeof raw.__testTrap === "function") guard("__testTrap", raw.__testTrap);
  // `locale`: the locale set with setLocale (null: none), for the fast path.
  return { api, raw, live, trapped, dying, locale: () => locale };
}

// The checks-only entry's core (`iamport-keyin/checks`): the same checks and recovery,
// for a build that runs nothing async and makes no objects. A trap there is always
// caught in the call that made it, so recovering is: schedule the fresh instance
// (`__reinit`; the glue's call guard makes it on the next call), re-apply the locale
// set with setLocale (that call makes it), and throw INTERNAL_ERROR. No epochs, no
// operations in flight, no `dying` callbacks: `facade()`'s are for the clients.
export function checksFacade(raw) {
  let locale = null; // re-applied to a fresh instance
  const guard = (f) => (a, b, c, d, e) => {
    try {
      return f(a, b, c, d, e);
    } catch (err) {
      if (!isTrap(err)) throw err;
      try {
        raw.__reinit();
        if (locale !== null) raw.setLocale(locale);
      } catch {
        // The next call tries again.
      }
      throw internalError(err);
    }
  };
  const api = {};
  CHECKS.forEach((name, n) => (api[name] = guard((a, b, c, d, e) => raw.__check(n, a, b, c, d, e))));
  api.getLocale = guard(raw.getLocale);
  api.setLocale = guard((l) => {
    const ok = raw.setLocale(l);
    if (ok) locale = raw.getLocale();
    return ok;
  });
  // Test builds only (cargo feature test-trap; never in the published package).
  if (typeof raw.__testTrap === "function") api.__testTrap = guard(raw.__testTrap);
  return api;
}

// The compiled wasm, from what a browser entry's `init(input)` takes (what wasm-bindgen's
// own loader takes): a URL or its text, a Request, a Response or a promise of one, the
// bytes, or a `WebAssembly.Module`. A response not served as `application/wasm` (which
// streaming compilation requires) is compiled from its bytes.
async function compile(input) {
  input = await input;
  if (typeof input === "string" || input instanceof URL || (typeof Request === "function" && input instanceof Request)) {
    input = await fetch(input);
  }
  if (input instanceof WebAssembly.Module) return input;
  if (typeof Response === "function" && input instanceof Response) {
    if (!input.ok) throw new Error(`iamport-keyin: failed to fetch the wasm: ${input.status} ${input.statusText} (${input.url})`);
    if (WebAssembly.compileStreaming && input.headers.get("Content-Type") === "application/wasm") {
      return WebAssembly.compileStreaming(input);
    }
    input = await input.arrayBuffer();
  }
  return WebAssembly.compile(input);
}

// `init` and `initSync` of a browser entry (the main one and `checks`), over the glue's
// `initSync` (`instantiate`): `init()` compiles the wasm (by default the one at `url()`,
// beside the entry) and instantiates it, once (later calls get the first one's promise,
// and a failed load may be tried again). The glue's own async loader is not used (nor
// bundled: scripts/bundle-entries.mjs), as this one does the same.
export function loader(instantiate, url) {
  let ready = null;
  return {
    init(input) {
      if (ready === null) {
        ready = compile(input ?? url()).then(
          (module) => {
            instantiate({ module });
          },
          (err) => {
            ready = null; // let a later call try again (e.g. after a network error)
            throw err;
          },
        );
      }
      return ready;
    },
    initSync(module) {
      instantiate(module);
      ready ??= Promise.resolve();
    },
  };
}
