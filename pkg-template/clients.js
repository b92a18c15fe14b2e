// The clients, the proxy and the builders over the core of facade.js: the main entry's
// and the server entries', not the checks-only entry's (a page that only checks card
// fields loads none of this).
import { internalError } from "./facade.js";
import { drive } from "./drive.js";

const SECRET = "; the REST secret must never reach a browser";
function serverOnly(name, why = "") {
  throw new Error(`iamport-keyin: ${name} runs server-side only (the node and workerd exports)${why}`);
}

const BUILDERS = [
  "buildOnetimePayment", "buildBillingKey", "buildGetBillingKey", "buildDeleteBillingKey", "buildGetBillingKeys",
  "buildAgainPayment", "buildSchedule", "buildUnschedule", "buildGetSchedule", "buildGetSchedulesByCustomer",
  "buildFindPayment", "buildGetPayment", "buildCancelPayment", "decodeOutcome", "decodeCustomer", "decodeCustomers", "decodeSchedules",
  "buildMonthlySchedules",
];

/**
 * Adds the builders and `KeyinClient` to the api of `facade(raw)` (`kit`), and the
 * server-only names, which refuse here. Answers the api and the parts the server
 * entries build the rest from (server.js): `createServerClient`, `createProxy` and
 * `KeyinLimiter` for real, so that a browser bundle carries none of their code.
 */
export function clients(kit) {
  const { api, raw, live, trapped: trappedCall, dying } = kit;
  // The builders and decoders share one export, by their position in BUILDERS (`__build`,
  // src/js/builders.rs, in the same order: a test compares them); it answers
  // `undefined` for one this build does not have.
  BUILDERS.forEach((name, n) => {
    api[name] = (a, b, c) => {
      let r;
      try {
        r = raw.__build(n, a, b, c);
      } catch (err) {
        throw trappedCall(err);
      }
      return r === undefined ? serverOnly(name) : r;
    };
  });

  // The async operations of the live instance: each dies with it. A charge's error
  // names its merchant_uid (`uid`: undefined for other operations), never retried here.
  const pending = new Set();
  const failed = (cause, uid) => {
    if (uid === undefined) return internalError(cause);
    const e = internalError(
      cause,
      typeof uid === "string"
        ? `the outcome of the charge for merchant_uid "${uid}" is unknown: look it up (findPayment) before charging again`
        : "the outcome of the charge is unknown: look it up by merchant_uid before charging again",
    );
    if (typeof uid === "string") e.merchantUid = uid;
    return e;
  };
  dying.add(() => {
    const dead = [...pending];
    pending.clear();
    for (const op of dead) op.reject(failed(undefined, op.uid));
  });
  function track(promise, uid) {
    return new Promise((resolve, reject) => {
      const op = { reject, uid };
      pending.add(op);
      promise.then(
        (v) => (pending.delete(op), resolve(v)),
        // A client operation whose step trapped rejects with the trap (drive.js):
        // while it is still pending, nothing else knows that the instance died (the
        // browser build has no panic hook to say so), so recover here as from a
        // synchronous trap. Any other rejection passes as it is.
        (e) => reject(pending.delete(op) ? trapped(e, uid) : e),
      );
    });
  }
  // A trap in a synchronous call (see facade.js), or in an operation's step, its
  // error naming a charge's merchant_uid; anything else is answered as it is.
  function trapped(err, uid) {
    const e = trappedCall(err);
    return e !== err && uid !== undefined ? failed(err, uid) : e;
  }

  // The clients' methods come from the operation table in Rust (`__operations`:
  // [method, chargesNow, serverOnly][]), defined on the prototype by the first
  // constructor (the instance must be loaded to ask it). A trap during a charge names
  // its merchant_uid. `KeyinClient` (the proxy's client) has no server-only method;
  // the server client has every one. `run` makes an operation's promise from what the
  // raw `call` answers: `KeyinClient`'s is a task that drive.js runs, the server
  // client's a promise already.
  const CALL = Symbol("call");
  const LIVE = Symbol("live");
  function clientClass(rawClass, withServerOnly, run) {
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
            // (Each method calls its operation by its row's number.)
            raw.__operations().forEach(([name, chargesNow, serverOnly], n) => {
              if (serverOnly && !withServerOnly) return;
              Object.defineProperty(this.constructor.prototype, name, {
                value(...args) {
                  return this[CALL](n, chargesNow, args);
                },
                writable: true,
                configurable: true,
              });
            });
            methodsDefined = true;
          }
          // (With the page's or the worker's location, against which a relative
          // proxyUrl is resolved.)
          this.#inner = new (rawClass())(options, globalThis.location?.href);
        } catch (err) {
          throw trapped(err);
        }
      }
      [LIVE]() {
        const e = live();
        if (e !== this.#epoch) {
          this.#inner = new (rawClass())(this.#options, globalThis.location?.href);
          this.#epoch = e;
        }
        return this.#inner;
      }
      [CALL](n, chargesNow, args) {
        const input = args[0];
        const uid = chargesNow ? (typeof input?.merchant_uid === "string" ? input.merchant_uid : null) : undefined;
        try {
          return track(run(this[LIVE]().call(n, args)), uid);
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
  const KeyinClient = class KeyinClient extends clientClass(() => raw.KeyinClient, false, drive) {
    get proxyUrl() {
      return this[LIVE]().proxyUrl;
    }
  };
  api.KeyinClient = KeyinClient;

  // Server-side only (the REST secret must never reach a browser): this entry keeps the
  // names, and refuses; the server entries replace them (server.js).
  api.createServerClient = () => serverOnly("createServerClient", SECRET);
  api.createProxy = () => serverOnly("createProxy", SECRET);
  api.KeyinLimiter = function KeyinLimiter() {
    serverOnly("KeyinLimiter");
  };
  return { api, live, trapped, track, clientClass, LIVE };
}
