// The assembled package in workerd (miniflare), imported through its `workerd`
// export condition exactly as a bundler with that condition would resolve it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Miniflare } from "miniflare";
import { packageModules } from "./harness.mjs";

const pkgDir = new URL("../../pkg/", import.meta.url);
const pkgJson = JSON.parse(readFileSync(new URL("package.json", pkgDir)));
const workerdEntry = pkgJson.exports["."].workerd;

const WORKER = `
import init, * as keyin from "iamport-keyin";
export default {
  async fetch(request) {
    const t0 = Date.now();
    await init();
    await init();
    const url = new URL(request.url);
    const input = url.searchParams.get("n") ?? "";
    return Response.json({
      exports: Object.keys(keyin).sort(),
      card: keyin.checkCardNumber(input),
      lean: keyin.isValidCardNumber(input),
      nonString: keyin.checkCardNumber(42),
      expiry: keyin.checkExpiry("12/28", { today: "2026-11-28" }),
      birth: keyin.checkBirth("116-82-00276"),
      card2: keyin.checkCard({ card_number: input, expiry: "12/28", birth: "820213", pwd_2digit: "12" }, { today: "2026-11-28", locale: "en" }),
      formatted: keyin.formatCardNumberInput("41111", 5),
      initMs: Date.now() - t0,
    });
  },
};`;

let mf;
before(async () => {
  // Module names: the bare "iamport-keyin" is the package's workerd entry; its
  // relative imports resolve beside it, as they would in the bundle.
  mf = new Miniflare({
    modules: [
      { type: "ESModule", path: "worker.mjs", contents: WORKER },
      ...packageModules(),
    ],
    compatibilityDate: "2025-09-01",
    cf: false,
  });
  await mf.ready;
});
after(async () => {
  await mf?.dispose();
});

async function call(n) {
  const res = await mf.dispatchFetch(`http://worker.test/?n=${encodeURIComponent(n)}`);
  assert.equal(res.status, 200);
  return res.json();
}

test("workerd entry: checks run in the isolate", async () => {
  const r = await call("4111 1111 1111 1111");
  assert.equal(pkgJson.exports["."].workerd, "./workerd.js");
  assert.equal(r.card.isValid, true);
  assert.equal(r.card.brand, "visa");
  assert.equal(r.card.formatted, "4111-1111-1111-1111");
  assert.equal(r.lean, true);
  assert.equal(r.nonString.error.code, "INVALID_TYPE");
  assert.equal(r.expiry.value, "2028-12");
  assert.equal(r.birth.kind, "business");
  assert.deepEqual(r.card2, { isValid: true, errors: [] });
  assert.deepEqual(r.formatted, { value: "4111 1", caret: 6 });
});

test("workerd entry: invalid input gives errors, not exceptions", async () => {
  const r = await call("4111 1111 1111 1112");
  assert.equal(r.card.isValid, false);
  assert.equal(r.card.error.code, "CARD_NUMBER_LUHN");
  assert.equal(r.card2.errors[0].message, "The card number is not valid. Please check it.");
  assert.ok(!JSON.stringify(r.card2).includes("4111111111111112"));
});

test("workerd entry: exports the same names as the other entries", async () => {
  const r = await call("");
  const node = await import(new URL("node.js", pkgDir));
  assert.deepEqual(r.exports, Object.keys(node).sort());
  assert.ok(r.exports.includes("init") && r.exports.includes("default") && r.exports.includes("checkCard"));
});
