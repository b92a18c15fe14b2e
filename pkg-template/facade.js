// The package's public surface over wasm-bindgen's raw bindings, shared by every entry.
//
// Its one job beyond passing calls through: survive a trap. A trap (a Rust panic, or an
// out-of-bounds access, an allocation failure, a stack overflow) leaves the wasm instance
// in an undefined state, and nothing may run in it again. So:
// - a synchronous call that traps throws a KeyinError INTERNAL_ERROR, and the instance is
//   replaced at once (wasm-bindgen's reinit: a fresh WebAssembly.Instance of the same
//   module; the locale set with setLocale is re-applied), so the next call works;
// - a trap inside async work (a client request, a proxied request) fails every operation
//   in flight with INTERNAL_ERROR instead of leaving its promise pending forever: the
//   panic hook in Rust (src/recover.rs) calls `onTrap` before the instance dies;
// - objects made by the dead instance (a KeyinClient, a proxy) rebuild themselves from
//   the same options on their next call.
// A charge in flight when the instance died has an unknown outcome: its error says so,
// and names the merchant_uid to look up. It is never retried here.

const FUNCTIONS = [
  "checkCardNumber", "isValidCardNumber", "checkExpiry", "checkBirth", "checkPwd2Digit", "checkCard",
  "formatCardNumberInput", "maskCardNumber", "getLocale",
  "buildOnetimePayment", "buildBillingKey", "buildGetBillingKey", "buildDeleteBillingKey", "buildGetBillingKeys",
  "buildAgainPayment", "buildSchedule", "buildUnschedule", "buildGetSchedule", "buildGetSchedulesByCustomer",
  "buildFindPayment", "decodeOutcome", "decodeCustomer", "decodeCustomers", "decodeSchedules",
];

const isTrap = (e) =>
  (typeof WebAssembly !== "undefined" && e instanceof WebAssembly.RuntimeError) || e instanceof RangeError;

function internalError(cause, merchantUid) {
  const charge =
    merchantUid === undefined
      ? "retry the call"
      : typeof merchantUid === "string"
        ? `the outcome of the charge for merchant_uid "${merchantUid}" is unknown: look it up (findPayment) before charging again`
        : "the outcome of the charge is unknown: look it up by merchant_uid before charging again";
  const e = new Error(`iamport-keyin: internal error (the WebAssembly instance trapped and was restarted); ${charge}`, { cause });
  e.name = "KeyinError";
  e.code = "INTERNAL_ERROR";
  e.httpStatus = null;
  if (typeof merchantUid === "string") e.merchantUid = merchantUid;
  return e;
}

export function facade(raw) {
  let next = 1; // the epoch the next fresh instance will adopt
  let locale = null; // re-applied to a fresh instance
  const pending = new Set(); // async operations of the live instance

  // Every operation in flight dies with the instance.
  function failPending() {
    const dead = [...pending];
    pending.clear();
    for (const op of dead) op.reject(internalError(undefined, op.merchantUid));
  }

  // Called by the panic hook inside the dying instance: must not call into wasm.
  function onTrap() {
    failPending();
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
  function trapped(err, merchantUid) {
    if (!isTrap(err)) return err;
    try {
      raw.__reinit();
    } catch {
      // Without the reinit export the instance cannot be replaced; the error still says why.
    }
    failPending();
    recover();
    return internalError(err, merchantUid);
  }

  function track(promise, merchantUid) {
    return new Promise((resolve, reject) => {
      const op = { reject, merchantUid };
      pending.add(op);
      promise.then(
        (v) => (pending.delete(op), resolve(v)),
        (e) => (pending.delete(op), reject(e)),
      );
    });
  }

  const api = {};
  for (const name of FUNCTIONS) {
    const f = raw[name];
    api[name] = (a, b, c) => {
      try {
        return f(a, b, c);
      } catch (err) {
        throw trapped(err);
      }
    };
  }
  api.setLocale = (l) => {
    try {
      const ok = raw.setLocale(l);
      if (ok) locale = l;
      return ok;
    } catch (err) {
      throw trapped(err);
    }
  };

  const CHARGES = new Set(["payOnetime", "payAgain", "schedule"]);
  class KeyinClient {
    #options;
    #inner;
    #epoch;
    constructor(options) {
      this.#options = options;
      try {
        this.#epoch = live();
        this.#inner = new raw.KeyinClient(options);
      } catch (err) {
        throw trapped(err);
      }
    }
    #live() {
      const e = live();
      if (e !== this.#epoch) {
        this.#inner = new raw.KeyinClient(this.#options);
        this.#epoch = e;
      }
      return this.#inner;
    }
    #call(name, args) {
      const input = name === "payOnetime" || name === "payAgain" ? args[0] : undefined;
      const uid = CHARGES.has(name) ? (typeof input?.merchant_uid === "string" ? input.merchant_uid : null) : undefined;
      try {
        return track(this.#live()[name](...args), uid);
      } catch (err) {
        return Promise.reject(trapped(err, uid));
      }
    }
    get proxyUrl() {
      return this.#live().proxyUrl;
    }
    payOnetime(input) { return this.#call("payOnetime", [input]); }
    payAgain(input) { return this.#call("payAgain", [input]); }
    registerBillingKey(customerUid, input) { return this.#call("registerBillingKey", [customerUid, input]); }
    getBillingKey(customerUid) { return this.#call("getBillingKey", [customerUid]); }
    deleteBillingKey(customerUid, reason) { return this.#call("deleteBillingKey", [customerUid, reason]); }
    schedule(input) { return this.#call("schedule", [input]); }
    unschedule(input) { return this.#call("unschedule", [input]); }
    getSchedule(merchantUid) { return this.#call("getSchedule", [merchantUid]); }
    findPayment(merchantUid) { return this.#call("findPayment", [merchantUid]); }
    /** Frees the wasm-side object now (garbage collection does it too). */
    free() {
      const inner = this.#inner;
      this.#inner = undefined;
      this.#epoch = undefined;
      if (inner !== undefined) inner.free();
    }
  }
  api.KeyinClient = KeyinClient;

  if (typeof raw.createProxy === "function") {
    const internalResponse = () =>
      new Response('{"error":{"code":"INTERNAL","message":"internal error"}}', {
        status: 500,
        headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
      });
    api.createProxy = (options) => {
      let epoch;
      let inner;
      try {
        epoch = live();
        inner = raw.createProxy(options);
      } catch (err) {
        throw trapped(err);
      }
      return {
        fetch(request, env, ctx) {
          try {
            const e = live();
            if (e !== epoch) {
              inner = raw.createProxy(options);
              epoch = e;
            }
            return track(inner.fetch(request, env, ctx), undefined).catch((err) => {
              if (err?.code === "INTERNAL_ERROR") return internalResponse();
              throw err;
            });
          } catch (err) {
            trapped(err);
            return Promise.resolve(internalResponse());
          }
        },
      };
    };
  } else {
    // The merchant proxy holds the Iamport REST secret, so it never runs in a browser:
    // the node and workerd entries export it. This entry keeps the name and refuses.
    api.createProxy = () => {
      throw new Error(
        "iamport-keyin: createProxy runs server-side only (the node and workerd exports); the REST secret must never reach a browser",
      );
    };
  }

  // Test builds only (cargo feature test-trap; never in the published package).
  if (typeof raw.__testTrap === "function") {
    api.__testTrap = (kind) => {
      try {
        return raw.__testTrap(kind);
      } catch (err) {
        throw trapped(err);
      }
    };
    api.__testTrapAsync = () => {
      try {
        live();
        return track(raw.__testTrapAsync(), undefined);
      } catch (err) {
        return Promise.reject(trapped(err));
      }
    };
  }
  return api;
}
