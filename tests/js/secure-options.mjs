// The proxy configurations the security suite attacks, shared by its two runtimes:
// workerd (miniflare imports this module beside the worker) and Node (imported here).
// No imports: the same text runs in both.
//
// The session is a stand-in for a merchant's: `x-session: alice` is Alice's session
// (her customer_uid "cust_alice", her orders "alice-…"); no header, no session.

const SESSIONS = { alice: "cust_alice", bob: "cust_bob" };
/** Server-side prices by product: the order id's second part ("alice-basic-1"). */
const PRICES = { basic: 9900, plan: 29700 };
const productOf = (merchantUid) => (merchantUid ?? "").split("-")[1];

/** The merchant's ownership rule, as the README teaches it. */
function owns(request, op) {
  const user = request.headers.get("x-session");
  const customer = SESSIONS[user];
  if (!customer) return false;
  return (op.customerUids ?? []).every((c) => c === customer) && (op.merchantUids ?? []).every((m) => m.startsWith(`${user}-`));
}

/** What a misbehaving hook returns, chosen by the test through a header. */
function shaped(request, value, header) {
  switch (request.headers.get(header)) {
    case "thenable":
      return { then: (resolve) => resolve(value) }; // an ORM's lazy query
    case "string":
      return String(value);
    case "object":
      return { allowed: value, price: value };
    case "bigint":
      return typeof value === "number" ? BigInt(value) : value;
    case "one":
      return 1;
    default:
      return value;
  }
}

export function options(variant, events = []) {
  const log = (e) => events.push(e);
  const base = { allowedOrigins: ["https://shop.example"], log };
  switch (variant) {
    case "safe":
      return {
        ...base,
        authorize: (request, op) => shaped(request, owns(request, op), "x-test-authorize"),
        resolveAmount: (priced, request) => shaped(request, PRICES[productOf(priced.merchantUid)] ?? null, "x-test-price"),
      };
    case "no-price-reads-only":
      return { ...base, operations: ["getBillingKey", "deleteBillingKey", "findPayment", "getSchedule"], authorize: (request, op) => owns(request, op) };
    case "null-price":
      return { ...base, authorize: (request, op) => owns(request, op), resolveAmount: () => null };
    case "server-fields":
      return {
        ...base,
        authorize: (request, op) => owns(request, op),
        resolveAmount: (priced) => PRICES[productOf(priced.merchantUid)] ?? null,
        pg: "kcp.A52CY",
        channelKey: "channel-key-live",
        noticeUrl: "https://shop.example/hooks/iamport",
      };
    case "rejecting-log":
      return { ...base, authorize: (request, op) => owns(request, op), resolveAmount: (p) => PRICES[productOf(p.merchantUid)] ?? null, log: () => Promise.reject(new Error("log sink down")) };
    case "throwing-log":
      return {
        ...base,
        authorize: (request, op) => owns(request, op),
        resolveAmount: (p) => PRICES[productOf(p.merchantUid)] ?? null,
        log: () => {
          throw new Error("log sink down");
        },
      };
    case "any-origin":
      return { ...base, allowedOrigins: ["*"], authorize: (request, op) => owns(request, op), resolveAmount: (p) => PRICES[productOf(p.merchantUid)] ?? null };
    case "credentials":
      return { ...base, allowCredentials: true, authorize: (request, op) => owns(request, op), resolveAmount: (p) => PRICES[productOf(p.merchantUid)] ?? null };
    case "deadline":
      return { ...base, upstreamTimeoutMs: 1000, authorize: (request, op) => owns(request, op), resolveAmount: (p) => PRICES[productOf(p.merchantUid)] ?? null };
    // Refused at creation:
    case "hookless":
      return { basePath: "/iamport" };
    case "no-price":
      return { authorize: (request, op) => owns(request, op) };
    case "star-credentials":
      return { allowedOrigins: ["*"], allowCredentials: true, authorize: () => false, resolveAmount: () => null };
    case "unknown-operation":
      return { operations: ["refund"], authorize: () => false };
    case "null-origin":
      return { allowedOrigins: ["null"], authorize: () => false, resolveAmount: () => null };
    default:
      throw new Error(`no variant ${variant}`);
  }
}
