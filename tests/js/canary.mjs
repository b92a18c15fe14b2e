// Canary values and the leak detector, shared by the canary suite and the end-to-end suite.

export const CANARY = {
  card: "5409 8791 3057 4828", // Luhn-valid Mastercard; its middle digits are 913057
  pin: "37",
  birth: "880914",
  business: "220-81-62517",
};
export const DIGITS = CANARY.card.replace(/\D/g, "");
/** Every digit sequence that must never be emitted, separators allowed between digits. */
const FORBIDDEN = [
  ["card number (middle digits)", DIGITS.slice(6, 12)],
  ["card number (digits 5..14)", DIGITS.slice(4, 14)],
  ["birth", CANARY.birth],
  ["business number", CANARY.business.replace(/\D/g, "")],
].map(([what, digits]) => [what, new RegExp(digits.split("").join("[^0-9A-Za-z]?"))]);
/** The PIN is two digits: judged where it would be labelled, and in error texts. */
const PIN_LABELLED = new RegExp(`pwd_?2digit\\W{0,6}${CANARY.pin}`, "i");

/** The leaks in `text`; `errorText`: also no bare PIN digits. */
export function leaks(text, { errorText = false } = {}) {
  const found = FORBIDDEN.filter(([, re]) => re.test(text)).map(([what]) => what);
  if (PIN_LABELLED.test(text)) found.push("PIN (labelled)");
  if (errorText && text.includes(CANARY.pin)) found.push("PIN (in an error text)");
  // A masked number shows at most 6 + 4 digits: no run of more than 10 digits that
  // begins or ends like the canary.
  for (const m of text.matchAll(/[0-9][0-9 *-]{11,}[0-9]/g)) {
    const d = m[0].replace(/[^0-9]/g, "");
    if (d.length > 10 && (DIGITS.startsWith(d.slice(0, 6)) || d.endsWith(DIGITS.slice(-4)))) found.push(`unmasked form ${m[0].length} chars`);
  }
  return found;
}

