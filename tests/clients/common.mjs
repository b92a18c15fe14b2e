// Shared by the npm client scripts: one flow's observation, or the client's error
// reduced to what the test compares (codes, statuses, ids: never card data).

/** The card every approved flow uses, in Iamport's documented formats. */
export const CARD = { card_number: "4111-1111-1111-1111", expiry: "2028-12", birth: "820213", pwd_2digit: "12" };
/** sandbox/src/cards.rs: `code 0` + `status "failed"`. */
export const DECLINE_STATUS_FAILED = "4000-0000-0000-0010";
/** sandbox/src/cards.rs: `code -1`, `response: null`. */
export const DECLINE_CODE = "4000-0000-0000-0028";

/** Collects flows: `flows[name]` = `{ok: true, ...observed}` or `{ok: false, ...errorOf(e)}`. */
export function recorder(errorOf) {
  const flows = {};
  const skipped = {};
  return {
    flows,
    skipped,
    async run(name, fn) {
      try {
        flows[name] = { ok: true, ...(await fn()) };
      } catch (e) {
        flows[name] = { ok: false, ...errorOf(e) };
      }
    },
    skip(name, why) {
      skipped[name] = why;
    },
    result: () => ({ flows, skipped }),
  };
}
