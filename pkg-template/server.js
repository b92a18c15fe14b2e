// The public surface of the server build (everything, createProxy included), for the
// node and workerd entries; they instantiate the wasm before anything here is called.
// The clients' shared parts come from clients.js; the server-only ones are here, so that
// the browser entry's bundle carries none of their code.
import * as raw from "./server/iamport_keyin.js";
import { facade } from "./facade.js";
import { fastPath } from "./fast.js";
import { clients } from "./clients.js";
import { limiterClass } from "./limiter.js";

const { api, live, trapped, track, clientClass, LIVE } = clients(fastPath(facade(raw)));

// Iamport's REST key and secret live here: server entries only. Its operations' promises
// come from the wasm's own executor (the server build runs async Rust).
class KeyinServerClient extends clientClass(() => raw.KeyinServerClient, true, (p) => p) {
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
}
api.createServerClient = (options) => new KeyinServerClient(options);

// The merchant proxy. A request during which the instance traps answers 500 INTERNAL,
// and the proxy made by the dead instance is rebuilt from its options.
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

// The card-testing counters' Durable Object (limiter.js).
api.KeyinLimiter = limiterClass(raw, live, trapped);

// Test builds only (cargo feature test-trap; never in the published package).
if (typeof raw.__testTrapAsync === "function") {
  api.__testTrapAsync = () => {
    try {
      live();
      return track(raw.__testTrapAsync(), undefined);
    } catch (err) {
      return Promise.reject(trapped(err));
    }
  };
}

export const {
  checkCardNumber, isValidCardNumber, cardBrand, checkExpiry, checkBirth, checkPwd2Digit, checkCard,
  formatCardNumberInput, formatFieldInput, maskCardNumber, setLocale, getLocale,
  buildOnetimePayment, buildBillingKey, buildGetBillingKey, buildDeleteBillingKey, buildGetBillingKeys,
  buildAgainPayment, buildSchedule, buildUnschedule, buildGetSchedule, buildGetSchedulesByCustomer,
  buildFindPayment, buildGetPayment, buildCancelPayment, decodeOutcome, decodeCustomer, decodeCustomers, decodeSchedules,
  buildMonthlySchedules,
  KeyinClient, createProxy, createServerClient, KeyinLimiter,
} = api;
