// The merchant proxy as a Cloudflare Worker: `wrangler deploy` from this folder.
// Secrets (never in wrangler.toml, never in a browser):
//   wrangler secret put IMP_KEY
//   wrangler secret put IMP_SECRET
//   wrangler secret put SESSION_SECRET     (32+ random bytes: signs the session cookie)
// IAMPORT_API_URL defaults to https://api.iamport.kr (the demo points it at the sandbox).
//
// Safe to copy. Who may do what is decided here, on the server:
// - a session: an HMAC-signed, HttpOnly cookie. Its customer_uid is derived from the
//   session id; the page never chooses it;
// - orders: the server issues every merchant_uid (POST /shop/orders), bound to the
//   session and to a product by a signature inside the uid itself;
// - prices: a server-side table, by product. No fallback to the browser's amount.
// - card testing: the package's default limits, per address and per session (see the
//   README's "Card testing"); a tripped limit answers 429 and nothing reaches Iamport.
// Replace the session with your own (your login), and the orders with your database.
import { createProxy } from "iamport-keyin";
// The card-testing counters, shared by every isolate and location (wrangler.toml binds it
// as KEYIN_LIMITER). Without the binding, each isolate counts alone.
export { KeyinLimiter } from "iamport-keyin";

/** Server-side prices, in KRW, by product. Nothing else can be charged. */
const PRICES = { once: 3000, monthly: 9900 };
const COOKIE = "keyin_session";

// ---- HMAC (Web Crypto), keyed by SESSION_SECRET; the key is imported on first use ----
const keys = new Map();
function hmacKey(secret) {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(secret, key);
  }
  return key;
}
const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
async function sign(secret, text, length = 43) {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), new TextEncoder().encode(text));
  return b64url(mac).slice(0, length);
}
/** Constant-time comparison of two strings of the same length. */
function same(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
const randomId = (bytes) => b64url(crypto.getRandomValues(new Uint8Array(bytes))).replace(/[-_]/g, "x");

// ---- the session: cookie "<sid>.<signature>"; customer_uid = "cust_<sid>" ----
async function readSession(request, secret) {
  if (!secret) return null; // no SESSION_SECRET: nobody has a session (fail closed)
  const cookie = request.headers.get("cookie") ?? "";
  const value = cookie.split(/;\s*/).find((c) => c.startsWith(`${COOKIE}=`))?.slice(COOKIE.length + 1);
  const [sid, mac] = (value ?? "").split(".");
  if (!sid || !mac || !/^[A-Za-z0-9]{16,32}$/.test(sid)) return null;
  if (!same(mac, await sign(secret, `session:${sid}`))) return null;
  return { sid, customerUid: `cust_${sid}` };
}

// ---- orders: merchant_uid "demo-<product>-<nonce>-<tag>", the tag binding it to the session ----
async function issueOrder(session, product, secret) {
  const nonce = randomId(6);
  const tag = await sign(secret, `order:${session.sid}:${product}:${nonce}`, 12);
  return `demo-${product}-${nonce}-${tag}`;
}
/** The order's product, if the session owns the order; else null. */
async function ownedProduct(session, merchantUid, secret) {
  const m = /^demo-([a-z]+)-([A-Za-z0-9]{8})-([A-Za-z0-9_-]{12})$/.exec(merchantUid ?? "");
  if (!m || !Object.hasOwn(PRICES, m[1])) return null;
  return same(m[3], await sign(secret, `order:${session.sid}:${m[1]}:${m[2]}`, 12)) ? m[1] : null;
}
const productOf = (merchantUid) => /^demo-([a-z]+)-/.exec(merchantUid ?? "")?.[1];

const proxy = createProxy({
  basePath: "/iamport",
  // Same-origin only (the default): the page is served from this worker's origin.
  allowedOrigins: [],
  // Only what the checkout page uses; anything else is 404.
  operations: ["payOnetime", "registerBillingKey", "getBillingKey", "deleteBillingKey", "payAgain", "schedule", "getSchedule", "findPayment"],
  // Who: a valid session, and every uid the operation touches is this session's own —
  // its one customer_uid, and only orders this server issued to it.
  authorize: async (request, operation, env) => {
    const session = await readSession(request, env.SESSION_SECRET);
    if (!session) return false;
    if (!(operation.customerUids ?? []).every((uid) => uid === session.customerUid)) return false;
    for (const uid of operation.merchantUids ?? []) {
      if ((await ownedProduct(session, uid, env.SESSION_SECRET)) === null) return false;
    }
    return true;
  },
  // How much: the product's price, from the table. authorize has already checked the
  // order's signature, so its product is the one this server issued. Anything without
  // a price (a checking_amount, an unknown product) is refused.
  resolveAmount: (priced) => PRICES[productOf(priced.merchantUid)] ?? null,
  // Card testing: the default limits count per client address (CF-Connecting-IP); the
  // session is a second scope, so one session hopping addresses is caught too.
  limitKey: async (request, operation, env) => (await readSession(request, env.SESSION_SECRET))?.sid,
  // One event per request (never card data): ship it to your logs.
  log: (event) => console.log(JSON.stringify(event)),
});

const json = (body, status = 200, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers } });

/** The shop's own endpoints: a session, and orders for it. */
async function shop(request, env, path) {
  const secret = env.SESSION_SECRET;
  if (!secret) return json({ error: { code: "MISCONFIGURED", message: "binding SESSION_SECRET is missing" } }, 500);
  if (request.method !== "POST") return json({ error: { code: "METHOD_NOT_ALLOWED", message: "POST only" } }, 405);
  // A cross-site form cannot set this header: no request forgery of the shop's endpoints.
  if (request.headers.get("content-type") !== "application/json") return json({ error: { code: "UNSUPPORTED_MEDIA_TYPE", message: "application/json only" } }, 415);
  let session = await readSession(request, secret);
  if (path === "/shop/session") {
    if (session) return json({ customerUid: session.customerUid });
    const sid = randomId(18).slice(0, 24);
    session = { sid, customerUid: `cust_${sid}` };
    const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
    const cookie = `${COOKIE}=${sid}.${await sign(secret, `session:${sid}`)}; Path=/; HttpOnly; SameSite=Strict${secure}`;
    return json({ customerUid: session.customerUid }, 200, { "set-cookie": cookie });
  }
  if (path === "/shop/orders") {
    if (!session) return json({ error: { code: "NO_SESSION", message: "no session" } }, 401);
    const { product, count = 1 } = await request.json().catch(() => ({}));
    if (!Object.hasOwn(PRICES, product) || !Number.isInteger(count) || count < 1 || count > 12) {
      return json({ error: { code: "INVALID_INPUT", message: "unknown product or count" } }, 400);
    }
    const merchantUids = [];
    for (let i = 0; i < count; i++) merchantUids.push(await issueOrder(session, product, secret));
    return json({ merchantUids, amount: PRICES[product] });
  }
  return json({ error: { code: "NOT_FOUND", message: "not found" } }, 404);
}

export default {
  fetch(request, env, ctx) {
    const path = new URL(request.url).pathname;
    if (path.startsWith("/shop/")) return shop(request, env, path);
    return proxy.fetch(request, env, ctx);
  },
};
