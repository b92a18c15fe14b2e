// Real Iamport clients, written by others, against iamport-sandbox (issue 19):
// Iamport's own Python client (PyPI iamport-rest-client, in .venv-clients/, made by
// scripts/setup.sh) and the npm clients iamporter, iamport and
// iamport-rest-client-nodejs (devDependencies). Each goes through its own flows
// (tests/clients/), quirks included; after each, GET /__sandbox/warnings lists what
// it sent that iamport-keyin's builders would refuse. Needs `cargo build -p iamport-sandbox`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { startSandbox, CREDS } from "./harness.mjs";
import * as iamporter from "../clients/iamporter.mjs";
import * as iamport from "../clients/iamport.mjs";
import * as nodejs from "../clients/iamport-rest-client-nodejs.mjs";

const root = new URL("../../", import.meta.url).pathname;
const PYTHON = `${root}.venv-clients/bin/python`;
const BILLING = "POST /subscribe/customers/{customer_uid}";
/** Every flow; a client runs each one or skips it with a reason. */
const FLOWS = [
  "onetime", "decline_status_failed", "decline_code", "find_by_merchant_uid", "find_by_imp_uid",
  "billing_key_create", "billing_key_get", "again", "schedule", "get_schedule", "unschedule",
  "cancel_partial", "cancel_full", "billing_key_delete", "billing_key_get_after_delete",
];

let sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(async () => {
  await sandbox?.stop();
});

async function scheduleAt(sb) {
  const { now } = await (await fetch(`${sb.url}/__sandbox/clock`)).json();
  return now + 3600;
}

const warnings = async (sb) => (await (await fetch(`${sb.url}/__sandbox/warnings`)).json()).warnings;

/** What every client must observe; `p` is the client's uid prefix. */
function expected(p, onetimeImpUid) {
  return {
    onetime: { ok: true, status: "paid" },
    decline_status_failed: { ok: true, status: "failed" },
    decline_code: { ok: false },
    find_by_merchant_uid: { ok: true, status: "paid", imp_uid: onetimeImpUid },
    find_by_imp_uid: { ok: true, status: "paid", merchant_uid: `${p}_pay` },
    billing_key_create: { ok: true, customer_uid: `${p}_cust` },
    billing_key_get: { ok: true, customer_uid: `${p}_cust` },
    again: { ok: true, status: "paid" },
    schedule: { ok: true, merchant_uids: [`${p}_sched`] },
    get_schedule: { ok: true, schedule_status: "scheduled" },
    unschedule: { ok: true, schedule_status: ["revoked"] },
    cancel_partial: { ok: true, status: "paid", cancel_amount: 300 },
    cancel_full: { ok: true, status: "cancelled", cancel_amount: 1000 },
    billing_key_delete: { ok: true, customer_uid: `${p}_cust` },
  };
}

/** Checks a client's run: every flow run or skipped (with a reason), each as expected. */
function check(result, p, overrides, skips = []) {
  const { flows, skipped } = result;
  assert.deepEqual(Object.keys(skipped).sort(), [...skips].sort(), "skipped flows");
  for (const why of Object.values(skipped)) assert.match(why, /has no method/);
  assert.deepEqual([...Object.keys(flows), ...Object.keys(skipped)].sort(), [...FLOWS].sort(), "every flow run or skipped");
  const want = { ...expected(p, flows.onetime?.imp_uid), ...overrides };
  for (const [name, fields] of Object.entries(want)) {
    if (skips.includes(name)) continue;
    for (const [k, v] of Object.entries(fields)) {
      assert.deepEqual(flows[name]?.[k], v, `${name}.${k}: ${JSON.stringify(flows[name])}`);
    }
  }
  assert.match(flows.onetime.imp_uid, /^imps_/);
}

async function runNode(client, sb = sandbox) {
  await sb.control("reset", {});
  return client.run({ url: sb.url, key: CREDS.imp_key, secret: CREDS.imp_secret, scheduleAt: await scheduleAt(sb) });
}

test("Iamport's Python client (iamport-rest-client 0.9.0): bare Authorization, a getToken per call, customer_uid in the body", async () => {
  assert.ok(existsSync(PYTHON), `${PYTHON} is missing: run scripts/setup.sh`);
  await sandbox.control("reset", {});
  const { stdout } = await promisify(execFile)(
    PYTHON,
    [`${root}tests/clients/python_iamport.py`, sandbox.url, CREDS.imp_key, CREDS.imp_secret, String(await scheduleAt(sandbox))],
    { timeout: 60_000 },
  );
  check(JSON.parse(stdout), "py", {
    decline_code: { ok: false, error: "ResponseError", code: -1 },
    billing_key_get_after_delete: { ok: false, error: "HttpError", http: 404 },
  });
  // One getToken per API call, all answered with the same token.
  const stats = await sandbox.stats();
  assert.ok(stats.routes["POST /users/getToken"] >= 15, JSON.stringify(stats.routes));
  assert.deepEqual(await warnings(sandbox), [{ route: BILLING, field: "customer_uid", rule: "UNKNOWN_FIELD", count: 1 }]);
});

test("npm iamporter 1.4.2: host option, bare Authorization, customer_uid in the body, declines rejected, 404 resolved", async () => {
  const result = await runNode(iamporter);
  check(
    result,
    "ir",
    {
      // payOnetime rejects unless status is "paid": the code-0 decline is a rejection with fail_reason.
      decline_status_failed: { ok: false, error: "IamporterError", http: null, message: "[2116]개인 월 한도금액 초과" },
      decline_code: { ok: false, error: "IamporterError", http: 200, code: -1 },
      billing_key_get_after_delete: { ok: true, http: 404, data: null },
    },
    ["schedule", "get_schedule", "unschedule"],
  );
  assert.deepEqual(await warnings(sandbox), [{ route: BILLING, field: "customer_uid", rule: "UNKNOWN_FIELD", count: 1 }]);
});

test("npm iamport 0.3.4: DEFAULT_HOST monkeypatched, bare Authorization, IAMPORT_/HTTP_ error codes", async () => {
  const result = await runNode(iamport);
  check(
    result,
    "ia",
    {
      decline_code: { ok: false, error: "IAMPORT_-1" },
      billing_key_get_after_delete: { ok: false, error: "HTTP_404" },
    },
    ["get_schedule"],
  );
  assert.deepEqual(await warnings(sandbox), []);
});

test("npm iamport-rest-client-nodejs 0.9.12: baseUrl option, Bearer token, find with a status segment", async () => {
  const result = await runNode(nodejs);
  check(result, "nj", {
    decline_code: { ok: false, code: -1 },
    billing_key_get_after_delete: { ok: false, http: 404, code: 1 },
  });
  assert.deepEqual(await warnings(sandbox), []);
});

test("--strict restores the builders' refusals: iamporter's billing key is refused", async () => {
  const strict = await startSandbox(["--strict"]);
  try {
    const { flows } = await runNode(iamporter, strict);
    assert.deepEqual(flows.onetime.status, "paid");
    assert.equal(flows.billing_key_create.ok, false);
    assert.equal(flows.billing_key_create.http, 400);
    assert.match(flows.billing_key_create.message, /customer_uid: .*\(UNKNOWN_FIELD\)/);
    assert.equal(flows.again.ok, false);
    assert.deepEqual(await warnings(strict), []);
  } finally {
    await strict.stop();
  }
});

test("the sandbox's log lines hold no card data", () => {
  const text = sandbox.logs.join("\n");
  assert.ok(sandbox.logs.length > 50, "the sandbox logged its requests");
  for (const digits of ["4111", "4000", "820213"]) assert.ok(!text.includes(digits), `log holds ${digits}`);
});
