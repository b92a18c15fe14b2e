// The shop's own rules, shared by the examples: a session check and a price table.
// Replace both with your own (a signed cookie, your orders database): see the README's
// "The merchant proxy" for the rule authorize must follow.
export const PRICES = { once: 3000, monthly: 9900 };

/** The session's customer from a signed cookie; here a header, for the examples' tests. */
export function sessionOf(request) {
  const customer = request.headers.get("x-example-session");
  return customer ? { customerUid: customer } : null;
}

/** The proxy's options: only a session's own uids, only the shop's prices. */
export const proxyOptions = {
  operations: ["payOnetime", "findPayment"],
  authorize: (request, op) => {
    const session = sessionOf(request);
    return session !== null && (op.customerUids ?? []).every((uid) => uid === session.customerUid) && (op.merchantUids ?? []).every((uid) => uid.startsWith(`${session.customerUid}-`));
  },
  resolveAmount: (priced) => PRICES[/-(once|monthly)-/.exec(priced.merchantUid ?? "")?.[1]] ?? null,
};
