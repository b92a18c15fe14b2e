// The shop's own rules, shared by the examples: a signed session and a price table.
// Safe to copy as it is: a session is a customer id signed with HMAC-SHA256 under
// SESSION_SECRET (set by your login, sent as the `keyin_session` cookie), and without
// the secret, or with a bad signature, nobody is allowed anything. Put your own login
// and your orders database behind the same two hooks (see the README's "The merchant
// proxy" for the rule authorize must follow).
export const PRICES = { once: 3000, monthly: 9900 };
const COOKIE = "keyin_session";
const encoder = new TextEncoder();

const secret = () => globalThis.process?.env?.SESSION_SECRET ?? null;

async function hmac(key, text) {
  const k = await crypto.subtle.importKey("raw", encoder.encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", k, encoder.encode(text)));
  return btoa(String.fromCharCode(...mac)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The cookie value your login sets for `customerUid` (`customerUid.signature`). */
export async function signSession(customerUid, key = secret()) {
  if (!key) throw new Error("SESSION_SECRET is not set");
  return `${customerUid}.${await hmac(key, `session:${customerUid}`)}`;
}

/** The session's customer, or null: no secret, no cookie, or a signature that does not match. */
export async function sessionOf(request) {
  const key = secret();
  if (!key) return null;
  const cookie = (request.headers.get("cookie") ?? "").split(/;\s*/).find((c) => c.startsWith(`${COOKIE}=`));
  const value = cookie?.slice(COOKIE.length + 1) ?? "";
  const dot = value.lastIndexOf(".");
  if (dot <= 0) return null;
  const customerUid = value.slice(0, dot);
  const expected = await hmac(key, `session:${customerUid}`);
  const given = value.slice(dot + 1);
  // Compared in full, whatever the first difference.
  let diff = expected.length ^ given.length;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ (given.charCodeAt(i) || 0);
  return diff === 0 ? { customerUid } : null;
}

/** The proxy's options: only a session's own uids, only the shop's prices. */
export const proxyOptions = {
  operations: ["payOnetime", "findPayment"],
  authorize: async (request, op) => {
    const session = await sessionOf(request);
    if (session === null) return false;
    return (op.customerUids ?? []).every((uid) => uid === session.customerUid)
      && (op.merchantUids ?? []).every((uid) => uid.startsWith(`${session.customerUid}-`));
  },
  resolveAmount: (priced) => PRICES[/-(once|monthly)-/.exec(priced.merchantUid ?? "")?.[1]] ?? null,
  // Card testing: the default limits count per client address; the session is a second
  // scope, so one customer hopping addresses is counted too (README: "Card testing").
  limitKey: async (request) => (await sessionOf(request))?.customerUid,
};
