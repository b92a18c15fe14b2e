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
  "formatCardNumberInput", "maskCardNumber", "getLocale",
  "buildOnetimePayment", "buildBillingKey", "buildGetBillingKey", "buildDeleteBillingKey", "buildGetBillingKeys",
  "buildAgainPayment", "buildSchedule", "buildUnschedule", "buildGetSchedule", "buildGetSchedulesByCustomer",
  "buildFindPayment", "decodeOutcome", "decodeCustomer", "decodeCustomers", "decodeSchedules",
];

// A trap: the engine's RuntimeError, or the engine's stack running out inside wasm
// (V8: RangeError "Maximum call stack size exceeded"; SpiderMonkey: InternalError
// "too much recursion"). Other errors (a TypeError for a bad option) leave it intact.
const isTrap = (e) =>
  (typeof WebAssembly !== "undefined" && e instanceof WebAssembly.RuntimeError) ||
  (e instanceof Error && (e.name === "RangeError" || e.name === "InternalError") && /call stack|recursion/i.test(e.message));

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
  // The scratch buffer in wasm memory (`__scratch` in src/js.rs): input is written
  // there, no allocation; a fresh instance (after a trap) has its own.
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
      if (ok) locale = raw.getLocale();
      return ok;
    } catch (err) {
      throw trapped(err);
    }
  };

  // The fast path of the checks made on every keystroke. The full path hands the result
  // over as a JSON string, which costs ten times the check itself; here Rust answers
  // with one number (the layouts: `check_card_number_packed` in src/card/number.rs and
  // `check_expiry_packed` in src/card/expiry.rs) and the object is built from it. Every
  // decision is Rust's: the verdict, the code, the brands, where the dashes go and what
  // the mask shows. Anything unusual (a non-string, an option other than a known
  // `locale` or a valid `today`) takes the full path. tests/js/fast-path.test.mjs
  // compares the two paths on thousands of inputs.
  let tables = null; // [codes, brands], constant
  const messages = new Map(); // (code, locale) → message, constant
  const STARS = "*******************";
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
  // As in src/js.rs: 64 bytes of input, then the digits (at most `MAX_DIGITS`, 19).
  const SCRATCH_IN = 64;
  const SCRATCH_OUT = 19;
  // The view of the scratch buffer, renewed when a call grew the memory (which
  // detaches every view of the old buffer) or the instance was replaced.
  const scratchView = () => {
    if (memory === null) {
      memory = raw.__memory();
      scratchAt = raw.__scratch();
      view = null;
    }
    if (view === null || view.byteLength === 0) view = new Uint8Array(memory.buffer, scratchAt, SCRATCH_IN + SCRATCH_OUT);
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
  const readDigits = (n) => {
    const view = scratchView(); // the call that wrote them may have grown the memory
    let d = "";
    for (let i = 0; i < n; i++) d += String.fromCharCode(view[SCRATCH_IN + i]);
    return d;
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
  const group = (d, wide) => {
    const n = d.length;
    if (n <= 4) return d;
    if (wide) return n <= 10 ? `${d.slice(0, 4)}-${d.slice(4)}` : `${d.slice(0, 4)}-${d.slice(4, 10)}-${d.slice(10)}`;
    let out = d.slice(0, 4);
    for (let i = 4; i < n; i += 4) out += "-" + d.slice(i, i + 4);
    return out;
  };

  // The masked form shares the dashes of `formatted`: what shows is a prefix (the first
  // 6 digits) and a suffix (the last 4), whose places depend only on the digit count and
  // the grouping. Cached per (count, grouping).
  const masks = new Map();
  const maskOf = (formatted, n, wide, ends) => {
    const key = n * 4 + (wide ? 2 : 0) + (ends ? 1 : 0);
    let m = masks.get(key);
    if (m === undefined) {
      const stars = group(STARS.slice(0, n), wide);
      let head = 0;
      let tail = stars.length;
      if (ends) {
        for (let seen = 0; seen < 6; head++) if (stars[head] === "*") seen++;
        for (let seen = 0; seen < 4; ) if (stars[--tail] === "*") seen++;
      }
      m = { stars, head, tail };
      masks.set(key, m);
    }
    return ends ? formatted.slice(0, m.head) + m.stars.slice(m.head, m.tail) + formatted.slice(m.tail) : m.stars;
  };
  const fullCardNumber = raw.checkCardNumber;
  api.checkCardNumber = (input, options) => {
    try {
      const loc = localeIndex(options);
      const len = typeof input === "string" && loc >= 0 && plain(options) && todayOf(options) >= 0 ? put(input) : -1;
      const p = len < 0 ? 0 : raw.__cardNumberAt(len);
      if (p === 0) return fullCardNumber(input, options);
      const n = (p >>> 21) & 0x1f;
      const digits = p & (1 << 26) ? input : readDigits(n);
      const wide = (p & (1 << 27)) !== 0;
      const formatted = group(digits, wide);
      const brandIndex = (p >>> 9) & 0xf;
      const brands = tableOf()[1];
      const possibleBrands = [];
      for (let i = 0, set = (p >>> 13) & 0xff; set !== 0; i++, set >>>= 1) if (set & 1) possibleBrands.push(brands[i]);
      return {
        isValid: (p & 1) === 1,
        isPotentiallyValid: (p & 2) === 2,
        error: fieldError("card_number", p, loc),
        digits,
        formatted,
        masked: maskOf(formatted, n, wide, (p & (1 << 28)) !== 0),
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
      const valid = (p & 1) === 1;
      const month = (p >>> 9) & 0xf;
      return {
        isValid: valid,
        isPotentiallyValid: (p & 2) === 2,
        error: fieldError("expiry", p, loc),
        value: valid ? `${String(p >>> 13).padStart(4, "0")}-${month < 10 ? "0" : ""}${month}` : null,
      };
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
