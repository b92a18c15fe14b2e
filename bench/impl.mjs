// One implementation × one input set, in its own process:
//   node bench/impl.mjs <impl> <set>  → prints one JSON line
// Times calls per input over several rounds; reports the median and the min–max
// of the per-call time, and agreement with the generator's ground truth.
import { createRequire } from "node:module";
import { inputSets } from "./inputs.mjs";

const require = createRequire(import.meta.url);
const [impl, setName] = process.argv.slice(2);
const set = inputSets()[setName];
if (!set) throw new Error(`unknown set ${setName}`);

/** Each implementation: { number(s) → bool, brand(s) → string|null, expiry(s) → bool }. */
async function load(name) {
  switch (name) {
    case "iamport-keyin": {
      const k = await import("../pkg/node.js");
      const today = { today: "2026-11-28" };
      return {
        number: (s) => k.checkCardNumber(s).isValid,
        brand: (s) => k.checkCardNumber(s).brand,
        expiry: (s) => k.checkExpiry(s, today).isValid,
      };
    }
    case "iamport-keyin (lean)": {
      const k = await import("../pkg/node.js");
      return { number: (s) => k.isValidCardNumber(s), brand: (s) => k.cardBrand(s), expiry: null };
    }
    case "card-validator": {
      const v = require("card-validator");
      return {
        number: (s) => v.number(s).isValid,
        brand: (s) => v.number(s).card?.type ?? null,
        expiry: (s) => v.expirationDate(s).isValid,
      };
    }
    case "payment": {
      const P = require("payment").fns;
      return {
        number: (s) => P.validateCardNumber(s),
        brand: (s) => P.cardType(s) || null,
        expiry: (s) => P.validateCardExpiry(s),
      };
    }
    case "creditcards": {
      const { card, expiration } = require("creditcards");
      return {
        number: (s) => card.isValid(card.parse(s)),
        brand: (s) => card.type(card.parse(s)) ?? null,
        expiry: (s) => {
          const m = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(s);
          if (!m) return false;
          const month = expiration.month.parse(m[1]);
          const year = expiration.year.parse(m[2], m[2].length === 2);
          return expiration.month.isValid(month) && expiration.year.isValid(year) && !expiration.isPast(month, year);
        },
      };
    }
    case "creditcard.js": {
      const c = await import("creditcard.js");
      return {
        number: (s) => c.isValid(s),
        brand: (s) => c.getCreditCardNameByNumber(s) || null,
        expiry: (s) => {
          const m = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(s);
          return m ? c.isExpirationDateValid(m[1], m[2].length === 2 ? `20${m[2]}` : m[2]) : false;
        },
      };
    }
    default:
      throw new Error(`unknown impl ${name}`);
  }
}

const lib = await load(impl);
const fn = lib[set.kind];
if (!fn) {
  console.log(JSON.stringify({ impl, set: setName, skipped: true }));
  process.exit(0);
}
const normalise = (b) => (b === null || b === undefined ? null : String(b).toLowerCase().replace(/[^a-z]/g, ""));
let agree = 0;
for (const [input, expected] of set.cases) {
  const got = fn(input);
  if (set.kind === "brand" ? normalise(got) === normalise(expected) : got === expected) agree++;
}
// Warm up, then timed rounds over the whole set.
for (let i = 0; i < 3; i++) for (const [input] of set.cases) fn(input);
const rounds = [];
let sink = 0;
for (let r = 0; r < 15; r++) {
  const t0 = process.hrtime.bigint();
  for (let rep = 0; rep < 5; rep++) for (const [input] of set.cases) sink ^= fn(input) ? 1 : 0;
  rounds.push(Number(process.hrtime.bigint() - t0) / (5 * set.cases.length));
}
rounds.sort((a, b) => a - b);
console.log(JSON.stringify({ impl, set: setName, medianNs: rounds[7], minNs: rounds[0], maxNs: rounds[14], agree, total: set.cases.length, sink }));
