// Seeded input sets with their ground truth, the same in every process.
function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function luhnDigit(body) {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

const BRANDS = [
  ["4", 16, "visa"],
  ["51", 16, "mastercard"],
  ["2230", 16, "mastercard"],
  ["6011", 16, "discover"],
  ["3530", 16, "jcb"],
  ["62", 16, "unionpay"],
];

export function inputSets(n = 2000) {
  const r = rng(20261128);
  const digits = (k) => Array.from({ length: k }, () => Math.floor(r() * 10)).join("");
  const valid = (prefix, len) => {
    const body = prefix + digits(len - 1 - prefix.length);
    return body + luhnDigit(body);
  };
  const validNumbers = [];
  const mixed = [];
  const brands = [];
  for (let i = 0; i < n; i++) {
    const [prefix, len, brand] = BRANDS[i % BRANDS.length];
    const good = valid(prefix, len);
    validNumbers.push([good, true]);
    brands.push([good, brand]);
    switch (i % 6) {
      case 0: mixed.push([good.slice(0, 15) + String((Number(good[15]) + 1) % 10), false]); break; // bad check digit
      case 1: mixed.push([good.slice(0, 8), false]); break; // partial
      case 2: mixed.push([good + "12345", false]); break; // too long
      case 3: mixed.push([good.slice(0, 10) + "ab" + good.slice(12), false]); break; // letters
      case 4: mixed.push([good.replace(/(\d{4})(?=\d)/g, "$1 "), true]); break; // spaces
      default: mixed.push([good.replace(/(\d{4})(?=\d)/g, "$1-"), true]); // dashes
    }
  }
  // Expiries against 2026-11: the current month is valid; ≤ 20 years ahead.
  const expiries = [];
  for (let i = 0; i < n; i++) {
    const month = 1 + Math.floor(r() * 12);
    const year = 2020 + Math.floor(r() * 15);
    const mm = String(month).padStart(2, "0");
    const yy = String(year % 100).padStart(2, "0");
    const ok = year > 2026 || (year === 2026 && month >= 11);
    switch (i % 4) {
      case 0: expiries.push([`${mm}/${yy}`, ok]); break;
      case 1: expiries.push([`${mm}/${year}`, ok]); break;
      case 2: expiries.push([`${mm} / ${yy}`, ok]); break;
      default: expiries.push([`13/${yy}`, false]);
    }
  }
  return {
    "valid 16-digit numbers": { kind: "number", cases: validNumbers },
    "mixed numbers": { kind: "number", cases: mixed },
    "brand of a full number": { kind: "brand", cases: brands },
    "mixed expiries": { kind: "expiry", cases: expiries },
  };
}
