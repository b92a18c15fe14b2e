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
  "checkBirth", "checkPwd2Digit", "checkCard",
  "formatCardNumberInput", "formatFieldInput", "maskCardNumber", "getLocale",
  "buildOnetimePayment", "buildBillingKey", "buildGetBillingKey", "buildDeleteBillingKey", "buildGetBillingKeys",
  "buildAgainPayment", "buildSchedule", "buildUnschedule", "buildGetSchedule", "buildGetSchedulesByCustomer",
  "buildFindPayment", "buildGetPayment", "buildCancelPayment", "decodeOutcome", "decodeCustomer", "decodeCustomers", "decodeSchedules",
  "buildMonthlySchedules",
];

// A trap: the engine's RuntimeError, or the engine's stack running out inside wasm
// (V8: RangeError "Maximum call stack size exceeded"; SpiderMonkey: InternalError
// "too much recursion"). Other errors (a TypeError for a bad option) leave it intact.
const isTrap = (e) =>
  (typeof WebAssembly !== "undefined" && e instanceof WebAssembly.RuntimeError) ||
  (e instanceof Error && (e.name === "RangeError" || e.name === "InternalError") && /call stack|recursion/i.test(e.message));

const SECRET = "; the REST secret must never reach a browser";
function serverOnly(name, why = "") {
  throw new Error(`iamport-keyin: ${name} runs server-side only (the node and workerd exports)${why}`);
}

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

export function facade(raw, limiter) {
  let next = 1; // the epoch the next fresh instance will adopt
  let locale = null; // re-applied to a fresh instance
  const pending = new Set(); // async operations of the live instance
  // The scratch buffer in wasm memory (`__scratch` in src/js/fast.rs): input is written
  // there and the answer's text read back, no allocation; a fresh instance (after a
  // trap) has its own.
  let memory = null;
  let scratchAt = 0;
  let view = null;

  // Every operation in flight dies with the instance.
  function failPending() {
    const dead = [...pending];
    pending.clear();
    for (const op of dead) op.reject(internalError(undefined, op.merchantUid));
  }

  // Called by the panic hook inside the dying instance: must not call into wasm.
  function onTrap() {
    memory = null; // the next fast-path call fetches the fresh instance's memory
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
    memory = null;
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
    // Server-only builders (refunds, monthly plans) are not in the browser build.
    if (typeof f !== "function") {
      api[name] = () => serverOnly(name);
      continue;
    }
    api[name] = (a, b, c, d, e) => {
      try {
        return f(a, b, c, d, e);
      } catch (err) {
        throw trapped(err);
      }
    };
  }
  api.setLocale = (l) => {
    try {
      const ok = raw.setLocale(l);
      if (ok) locale = raw.getLocale();
      return ok;
    } catch (err) {
      throw trapped(err);
    }
  };

  // The fast path of the checks made on every keystroke. The full path hands the result
  // over as a JSON string, which costs ten times the check itself; here Rust answers
  // with one number and a few ASCII bytes in the scratch buffer (src/js/fast.rs; the
  // layouts: `check_card_number_packed` in src/card/number.rs and `check_expiry_packed`
  // in src/card/expiry.rs), and the object is built from them. Every decision is
  // Rust's: the verdict, the code, the brands, and the text of `digits`, `formatted`,
  // `masked` and `value`, which is copied as it is (no grouping, masking or padding
  // rule here). Anything unusual (a non-string, an option other than a known `locale`
  // or a valid `today`) takes the full path. tests/js/fast-path.test.mjs compares the
  // two paths on thousands of inputs.
  let tables = null; // [codes, brands], constant
  const messages = new Map(); // (code, locale) → message, constant
  let todayText = null; // the last `today` option seen, and its packed form
  let todayPacked = 0;
  const tableOf = () => (tables ??= raw.__tables().map((t) => t.split(",")));
  const localeIndex = (options) => {
    const l = options == null ? undefined : options.locale;
    if (l === undefined) return locale === "en" ? 1 : 0;
    return l === "ko" ? 0 : l === "en" ? 1 : -1;
  };
  const todayOf = (options) => {
    const t = options == null ? undefined : options.today;
    if (t === undefined) return 0;
    if (typeof t !== "string") return -1;
    if (t !== todayText) {
      todayPacked = raw.__date(t);
      todayText = t;
    }
    return todayPacked === 0 ? -1 : todayPacked;
  };
  // As in src/js/fast.rs: 64 bytes of input, then the text written back (at most 65).
  const SCRATCH_IN = 64;
  const SCRATCH_OUT = 65;
  // The view of the scratch buffer, renewed when a call grew the memory (which
  // detaches every view of the old buffer) or the instance was replaced; `texts[n]`,
  // the view of the first n bytes of text, with it.
  let texts = [];
  const scratchView = () => {
    if (memory === null) {
      memory = raw.__memory();
      scratchAt = raw.__scratch();
      view = null;
    }
    if (view === null || view.byteLength === 0) {
      view = new Uint8Array(memory.buffer, scratchAt, SCRATCH_IN + SCRATCH_OUT);
      texts = [];
    }
    return view;
  };
  const put = (s) => {
    const n = s.length;
    if (n > SCRATCH_IN) return -1;
    const view = scratchView();
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) return -1;
      view[i] = c;
    }
    return n;
  };
  // The `n` bytes of text the call wrote back, as a string, as cheaply as the engines
  // allow: 7 (an expiry's value), one String.fromCharCode of 7 bytes; up to 8, of 8
  // bytes cut to `n`; longer, the UTF-8 decoder (the text is ASCII) over a view of
  // exactly those bytes, kept per length in `texts`.
  const decoder = new TextDecoder();
  const text = (n) => {
    const v = scratchView(); // the call that wrote them may have grown the memory
    const o = SCRATCH_IN;
    if (n === 7) return String.fromCharCode(v[o], v[o + 1], v[o + 2], v[o + 3], v[o + 4], v[o + 5], v[o + 6]);
    if (n <= 8) return String.fromCharCode(v[o], v[o + 1], v[o + 2], v[o + 3], v[o + 4], v[o + 5], v[o + 6], v[o + 7]).slice(0, n);
    return decoder.decode((texts[n] ??= v.subarray(o, o + n)));
  };
  const plain = (options) => options == null || (typeof options === "object" && options.kind === undefined);
  const fieldError = (field, packed, loc) => {
    const code = (packed >>> 2) & 0x7f;
    if (code === 0) return null;
    const key = code * 2 + loc;
    let message = messages.get(key);
    if (message === undefined) {
      message = raw.__message(code - 1, loc);
      messages.set(key, message);
    }
    return { field, code: tableOf()[0][code - 1], message };
  };
  const fullCardNumber = raw.checkCardNumber;
  api.checkCardNumber = (input, options) => {
    try {
      const loc = localeIndex(options);
      const len = typeof input === "string" && loc >= 0 && plain(options) && todayOf(options) >= 0 ? put(input) : -1;
      const p = len < 0 ? 0 : raw.__cardNumberAt(len);
      if (p === 0) return fullCardNumber(input, options);
      // The text: the digits (n bytes, left out when they are the input itself),
      // formatted and masked (l bytes each).
      const exact = (p & (1 << 26)) !== 0;
      const n = exact ? 0 : (p >>> 21) & 0x1f;
      const l = p >>> 27;
      const t = text(n + 2 * l);
      const brandIndex = (p >>> 9) & 0xf;
      const brands = tableOf()[1];
      const possibleBrands = [];
      for (let i = 0, set = (p >>> 13) & 0xff; set !== 0; i++, set >>>= 1) if (set & 1) possibleBrands.push(brands[i]);
      return {
        isValid: (p & 1) === 1,
        isPotentiallyValid: (p & 2) === 2,
        error: fieldError("card_number", p, loc),
        digits: exact ? input : t.slice(0, n),
        formatted: t.slice(n, n + l),
        masked: t.slice(n + l),
        brand: brandIndex === 0 ? null : brands[brandIndex - 1],
        possibleBrands,
      };
    } catch (err) {
      throw trapped(err);
    }
  };
  api.isValidCardNumber = (input) => {
    try {
      if (typeof input !== "string") return false;
      const len = put(input);
      return len < 0 ? raw.isValidCardNumber(input) : (raw.__cardNumberAt(len) & 1) === 1;
    } catch (err) {
      throw trapped(err);
    }
  };
  const fullExpiry = raw.checkExpiry;
  api.checkExpiry = (input, options) => {
    try {
      const loc = localeIndex(options);
      const today = todayOf(options);
      const len = typeof input === "string" && loc >= 0 && today >= 0 && plain(options) ? put(input) : -1;
      const p = len < 0 ? 0 : raw.__expiryAt(len, today);
      if (p === 0) return fullExpiry(input, options);
      // The text: `value` (its length in bits 9–12; 0 when not valid).
      const valid = (p & 1) === 1;
      return {
        isValid: valid,
        isPotentiallyValid: (p & 2) === 2,
        error: fieldError("expiry", p, loc),
        value: valid ? text((p >>> 9) & 0xf) : null,
      };
    } catch (err) {
      throw trapped(err);
    }
  };

  // The clients' methods come from the operation table in Rust (`__operations`:
  // [method, chargesNow, serverOnly][]), defined on the prototype by the first
  // constructor (the instance must be loaded to ask it). A trap during a charge names
  // its merchant_uid. `KeyinClient` (the proxy's client) has no server-only method;
  // the server client has every one.
  const CALL = Symbol("call");
  const LIVE = Symbol("live");
  function clientClass(rawClass, withServerOnly) {
    let methodsDefined = false;
    return class {
      #options;
      #inner;
      #epoch;
      constructor(options) {
        this.#options = options;
        try {
          this.#epoch = live();
          if (!methodsDefined) {
            for (const [name, chargesNow, serverOnly] of raw.__operations()) {
              if (serverOnly && !withServerOnly) continue;
              Object.defineProperty(this.constructor.prototype, name, {
                value(...args) {
                  return this[CALL](name, chargesNow, args);
                },
                writable: true,
                configurable: true,
              });
            }
            methodsDefined = true;
          }
          this.#inner = new (rawClass())(options);
        } catch (err) {
          throw trapped(err);
        }
      }
      [LIVE]() {
        const e = live();
        if (e !== this.#epoch) {
          this.#inner = new (rawClass())(this.#options);
          this.#epoch = e;
        }
        return this.#inner;
      }
      [CALL](name, chargesNow, args) {
        const input = args[0];
        const uid = chargesNow ? (typeof input?.merchant_uid === "string" ? input.merchant_uid : null) : undefined;
        try {
          return track(this[LIVE]().call(name, args), uid);
        } catch (err) {
          return Promise.reject(trapped(err, uid));
        }
      }
      /** Frees the wasm-side object now (garbage collection does it too). */
      free() {
        const inner = this.#inner;
        this.#inner = undefined;
        this.#epoch = undefined;
        if (inner !== undefined) inner.free();
      }
    };
  }
  const KeyinClient = class KeyinClient extends clientClass(() => raw.KeyinClient, false) {
    get proxyUrl() {
      return this[LIVE]().proxyUrl;
    }
  };
  api.KeyinClient = KeyinClient;

  if (typeof raw.KeyinServerClient === "function") {
    // Iamport's REST key and secret live here: server entries only.
    const KeyinServerClient = class KeyinServerClient extends clientClass(() => raw.KeyinServerClient, true) {
      get apiUrl() {
        return this[LIVE]().apiUrl;
      }
      /** Verifies a webhook body (raw text or a parsed object) by looking its payment up. */
      verifyWebhook(body) {
        try {
          return track(this[LIVE]().verifyWebhook(body), undefined);
        } catch (err) {
          return Promise.reject(trapped(err));
        }
      }
    };
    api.createServerClient = (options) => new KeyinServerClient(options);
  } else {
    api.createServerClient = () => serverOnly("createServerClient", SECRET);
  }

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
    api.createProxy = () => serverOnly("createProxy", SECRET);
  }

  // The card-testing counters' Durable Object: the server entries pass its maker (limiter.js).
  api.KeyinLimiter = limiter
    ? limiter(raw, live, trapped)
    : function KeyinLimiter() {
        serverOnly("KeyinLimiter");
      };

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

// `init` and `initSync` of a browser entry (the main one and `checks`): `init()` runs
// once (later calls get the first one's promise, and a failed load may be tried again).
export function loader(initWasm, rawInitSync) {
  let ready = null;
  return {
    init(input) {
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
    },
    initSync(module) {
      rawInitSync(module);
      ready ??= Promise.resolve();
    },
  };
}
