// The merchant proxy in miniflare (workerd), with the real sandbox as upstream.
// Assertions on upstream traffic use the sandbox's own request counters.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { startSandbox, startProxy, jsonInit } from "./harness.mjs";

const CANARY = "4111111111111111";
const card = (merchant_uid, number = "4111 1111 1111 1111", extra = {}) => ({
  merchant_uid, amount: 3000, card_number: number, expiry: "12/28", birth: "820213", pwd_2digit: "12", ...extra,
});

let sb;
let px;
before(async () => {
  sb = await startSandbox(["--slow-ms", "1500"]);
  px = await startProxy(sb.url, { upstreamTimeoutMs: 800 });
});
after(async () => {
  await px?.stop();
  await sb?.stop();
});

/** Runs `fn` and returns how many requests the sandbox received meanwhile. */
async function upstreamCalls(fn) {
  const before = (await sb.stats()).total;
  const result = await fn();
  return { calls: (await sb.stats()).total - before, result };
}

describe("forwarding", () => {
  test("every route is forwarded and answered", async () => {
    const now = Math.floor(Date.now() / 1000);
    const steps = [
      ["POST", "/iamport/subscribe/payments/onetime", card("fw_1", undefined, { customer_uid: "fw_c1" }), 200],
      ["POST", "/iamport/subscribe/customers/fw_c2", { card_number: "5555555555554444", expiry: "2029-01", birth: "116-82-00276" }, 200],
      ["GET", "/iamport/subscribe/customers/fw_c1", null, 200],
      ["GET", "/iamport/subscribe/customers?customer_uid[]=fw_c1&customer_uid[]=nobody", null, 207],
      ["POST", "/iamport/subscribe/payments/again", { customer_uid: "fw_c1", merchant_uid: "fw_2", amount: 3000, name: "again" }, 200],
      ["POST", "/iamport/subscribe/payments/schedule", { customer_uid: "fw_c1", schedules: [{ merchant_uid: "fw_s1", schedule_at: now + 86400, amount: 3000 }] }, 200],
      ["GET", "/iamport/subscribe/payments/schedule/fw_s1", null, 200],
      ["GET", `/iamport/subscribe/payments/schedule/customers/fw_c1?from=${now}&to=${now + 30 * 86400}`, null, 200],
      ["POST", "/iamport/subscribe/payments/unschedule", { customer_uid: "fw_c1", merchant_uid: ["fw_s1"] }, 200],
      ["GET", "/iamport/payments/find/fw_1", null, 200],
      ["GET", "/iamport/payments/imp_000000000000", null, 404],
      ["DELETE", "/iamport/subscribe/customers/fw_c2?reason=test", null, 200],
      ["GET", "/iamport/subscribe/customers/fw_c2", null, 404],
    ];
    for (const [method, path, body, status] of steps) {
      const res = await px.fetch(path, body ? jsonInit(method, body) : { method });
      const text = await res.text();
      assert.equal(res.status, status, `${method} ${path}: ${text}`);
      const env = JSON.parse(text);
      assert.ok("code" in env && "response" in env, `Iamport's envelope passes through: ${text}`);
    }
  });

  test("hooks see the operation, never card fields", async () => {
    await px.ops();
    await px.fetch("/iamport/subscribe/payments/onetime", jsonInit("POST", card("hook_1", undefined, { name: "주문", buyer_name: "홍길동" })));
    const [op] = await px.ops();
    assert.deepEqual(op, { name: "onetime", merchantUid: "hook_1", merchantUids: ["hook_1"], amount: 3000, orderName: "주문", buyerName: "홍길동" });
    assert.ok(!JSON.stringify(op).includes("4111") && !JSON.stringify(op).includes("820213"));
  });
});

describe("rejections never reach the upstream", () => {
  const cases = [
    ["unknown route", "/iamport/users/getToken", jsonInit("POST", { imp_key: "x" }), 404, "NOT_FOUND"],
    ["cancel", "/iamport/payments/cancel", jsonInit("POST", { imp_uid: "x" }), 404, "NOT_FOUND"],
    ["payment by imp_uid, wrong method", "/iamport/payments/imps_1", jsonInit("POST", {}), 405, "METHOD_NOT_ALLOWED"],
    ["dot-dot", "/iamport/../users/getToken", jsonInit("POST", {}), 404, "NOT_FOUND"],
    ["encoded slash", "/iamport/subscribe%2Fpayments%2Fonetime", jsonInit("POST", {}), 404, "NOT_FOUND"],
    ["wrong method", "/iamport/subscribe/payments/onetime", { method: "GET" }, 405, "METHOD_NOT_ALLOWED"],
    ["invalid input", "/iamport/subscribe/payments/onetime", jsonInit("POST", card("rej_1", "4111 1111 1111 1112")), 400, "INVALID_INPUT"],
    ["unknown field", "/iamport/subscribe/payments/onetime", jsonInit("POST", card("rej_2", undefined, { vat_amount: 10 })), 400, "INVALID_INPUT"],
    ["malformed JSON", "/iamport/subscribe/payments/onetime", jsonInit("POST", '{"merchant_uid":'), 400, "MALFORMED_JSON"],
    ["duplicate keys", "/iamport/subscribe/payments/onetime", jsonInit("POST", '{"merchant_uid":"d","amount":3000,"amount":1}'), 400, "INVALID_INPUT"],
    ["not JSON", "/iamport/subscribe/payments/onetime", { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" }, 415, "UNSUPPORTED_MEDIA_TYPE"],
    ["form body", "/iamport/subscribe/payments/onetime", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=1" }, 415, "UNSUPPORTED_MEDIA_TYPE"],
    ["too large", "/iamport/subscribe/payments/onetime", jsonInit("POST", { merchant_uid: "x".repeat(20000) }), 413, "BODY_TOO_LARGE"],
    ["disallowed origin", "/iamport/subscribe/payments/onetime", jsonInit("POST", card("rej_3"), { origin: "https://evil.example" }), 403, "ORIGIN_NOT_ALLOWED"],
    ["authorize false", "/iamport/subscribe/payments/onetime", jsonInit("POST", card("rej_4"), { "x-test-authorize": "deny" }), 403, "FORBIDDEN"],
    ["authorize throws", "/iamport/subscribe/payments/onetime", jsonInit("POST", card("rej_5"), { "x-test-authorize": "throw" }), 500, "HOOK_FAILED"],
    ["amount mismatch", "/iamport/subscribe/payments/onetime", jsonInit("POST", card("mismatch-1")), 409, "AMOUNT_MISMATCH"],
    ["resolveAmount rejects", "/iamport/subscribe/payments/again", jsonInit("POST", { customer_uid: "c", merchant_uid: "priceerr-1", amount: 1000, name: "n" }), 500, "HOOK_FAILED"],
    ["hostile uid ../", "/iamport/subscribe/customers/..%2Fpayments%2Fcancel", { method: "GET" }, 400, "INVALID_INPUT"],
    ["hostile uid %2e%2e", "/iamport/subscribe/customers/%252e%252e", { method: "GET" }, 400, "INVALID_INPUT"],
    ["hostile uid ?", "/iamport/payments/find/a%3Fx%3D1", { method: "GET" }, 400, "INVALID_INPUT"],
    ["hostile uid NUL", "/iamport/payments/find/a%00b", { method: "GET" }, 400, "INVALID_INPUT"],
    ["hostile uid 10 KB", `/iamport/payments/find/${"a".repeat(10240)}`, { method: "GET" }, 400, "INVALID_INPUT"],
    // More hostile requests (the abuse list of the reliability issue).
    ["__proto__ key", "/iamport/subscribe/payments/onetime", jsonInit("POST", '{"__proto__":{"amount":1},"merchant_uid":"p1","amount":3000}'), 400, "INVALID_INPUT"],
    ["constructor key", "/iamport/subscribe/payments/onetime", jsonInit("POST", card("p2", undefined, { constructor: { prototype: 1 } })), 400, "INVALID_INPUT"],
    ["deep nesting", "/iamport/subscribe/payments/onetime", jsonInit("POST", "[".repeat(40) + "]".repeat(40)), 400, "MALFORMED_JSON"],
    ["invalid UTF-8", "/iamport/subscribe/payments/onetime", { method: "POST", headers: { "content-type": "application/json" }, body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) }, 400, "MALFORMED_JSON"],
    ["UTF-8 BOM", "/iamport/subscribe/payments/onetime", { method: "POST", headers: { "content-type": "application/json" }, body: "\ufeff" + JSON.stringify(card("bom")) }, 400, "MALFORMED_JSON"],
    ["amount 1e309", "/iamport/subscribe/payments/onetime", jsonInit("POST", JSON.stringify(card("n1")).replace('"amount":3000', '"amount":1e309')), 400, "MALFORMED_JSON"],
    ["amount 1e400", "/iamport/subscribe/payments/onetime", jsonInit("POST", JSON.stringify(card("n2")).replace('"amount":3000', '"amount":1e400')), 400, "MALFORMED_JSON"],
    ["amount -0", "/iamport/subscribe/payments/onetime", jsonInit("POST", JSON.stringify(card("n3")).replace('"amount":3000', '"amount":-0')), 400, "INVALID_INPUT"],
    ["amount 2^53+1", "/iamport/subscribe/payments/onetime", jsonInit("POST", JSON.stringify(card("n4")).replace('"amount":3000', '"amount":9007199254740993')), 400, "INVALID_INPUT"],
    ["amount as a string", "/iamport/subscribe/payments/onetime", jsonInit("POST", card("n5", undefined, { amount: "3000" })), 400, "INVALID_INPUT"],
    ["empty body", "/iamport/subscribe/payments/onetime", jsonInit("POST", ""), 400, "MALFORMED_JSON"],
    ["array body", "/iamport/subscribe/payments/onetime", jsonInit("POST", "[]"), 400, "INVALID_INPUT"],
    ["string body", "/iamport/subscribe/payments/onetime", jsonInit("POST", '"x"'), 400, "INVALID_INPUT"],
    ["no content type", "/iamport/subscribe/payments/onetime", { method: "POST", body: new Blob([JSON.stringify(card("ct1"))]) }, 415, "UNSUPPORTED_MEDIA_TYPE"],
    ["json-patch content type", "/iamport/subscribe/payments/onetime", { method: "POST", headers: { "content-type": "application/json-patch+json" }, body: "[]" }, 415, "UNSUPPORTED_MEDIA_TYPE"],
    ["multipart", "/iamport/subscribe/payments/onetime", { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x" }, body: "--x--" }, 415, "UNSUPPORTED_MEDIA_TYPE"],
    ["Origin null", "/iamport/payments/find/o1", { headers: { origin: "null" } }, 403, "ORIGIN_NOT_ALLOWED"],
    ["forged Origin suffix", "/iamport/payments/find/o2", { headers: { origin: "https://allowed.example.evil.example" } }, 403, "ORIGIN_NOT_ALLOWED"],
    ["Origin in other case", "/iamport/payments/find/o3", { headers: { origin: "HTTPS://ALLOWED.EXAMPLE" } }, 403, "ORIGIN_NOT_ALLOWED"],
    ["Origin with a port", "/iamport/payments/find/o4", { headers: { origin: "https://allowed.example:444" } }, 403, "ORIGIN_NOT_ALLOWED"],
    ["trailing slash", "/iamport/subscribe/payments/onetime/", jsonInit("POST", card("r1")), 404, "NOT_FOUND"],
    ["trailing dot", "/iamport/subscribe/payments/onetime.", jsonInit("POST", card("r2")), 404, "NOT_FOUND"],
    ["case variant", "/iamport/SUBSCRIBE/payments/onetime", jsonInit("POST", card("r3")), 404, "NOT_FOUND"],
    ["encoded letter", "/iamport/subscribe/payments/%6fnetime", jsonInit("POST", card("r4")), 404, "NOT_FOUND"],
    ["encoded dot-dot", "/iamport/%2e%2e/users/getToken", jsonInit("POST", {}), 404, "NOT_FOUND"],
    ["double-encoded slash in a uid", "/iamport/subscribe/customers/a%252Fb", { method: "GET" }, 400, "INVALID_INPUT"],
    ["hostile uid in the query", "/iamport/subscribe/customers?customer_uid[]=..%2Fx", { method: "GET" }, 400, "INVALID_INPUT"],
    ["PUT", "/iamport/subscribe/customers/c1", jsonInit("PUT", {}), 405, "METHOD_NOT_ALLOWED"],
    ["PATCH", "/iamport/subscribe/payments/again", jsonInit("PATCH", {}), 405, "METHOD_NOT_ALLOWED"],
  ];
  for (const [name, path, init, status, code] of cases) {
    test(`${name} → ${status} ${code}, 0 upstream calls`, async () => {
      const { calls, result } = await upstreamCalls(async () => {
        const res = await px.fetch(path, init);
        return { status: res.status, text: await res.text() };
      });
      assert.equal(result.status, status, result.text);
      const body = JSON.parse(result.text);
      assert.equal(body.error.code, code);
      assert.equal(calls, 0, "the upstream was not called");
      assert.ok(!result.text.includes(CANARY) && !result.text.includes("4111-1111-1111-1112") && !result.text.includes("820213"));
    });
  }

  test("a body without a length is cut off while reading", async () => {
    // 1 MiB in 64 chunks, sent chunked (no content-length).
    let sent = 0;
    const chunks = new ReadableStream({
      pull(controller) {
        if (sent++ === 64) return controller.close();
        controller.enqueue(new TextEncoder().encode("[" + "1,".repeat(8191)));
      },
    });
    await px.events();
    const { calls, result } = await upstreamCalls(() =>
      px
        .fetch("/iamport/subscribe/payments/onetime", { method: "POST", headers: { "content-type": "application/json" }, body: chunks, duplex: "half" })
        .then((r) => r.status, (e) => e),
    );
    // The proxy answers 413 before the upload ends; the client may see that
    // answer or, having been cut off mid-upload, a reset. The proxy's log says which.
    const logged = (await px.events()).filter((e) => e.event === "request").map((e) => e.status);
    assert.deepEqual(logged, [413]);
    assert.ok(result === 413 || result instanceof Error, String(result));
    assert.equal(calls, 0);
  });

  test("invalid input lists the fields with no card data", async () => {
    const res = await px.fetch("/iamport/subscribe/payments/onetime", jsonInit("POST", card("f1", "4111-1111-1111-1112", { birth: "820231" })));
    const body = await res.json();
    assert.deepEqual(body.error.fields.map((f) => `${f.field}:${f.code}`), ["card_number:CARD_NUMBER_LUHN", "birth:BIRTH_INVALID_DATE"]);
  });
});

describe("CORS", () => {
  test("preflight from an allowed origin", async () => {
    const res = await px.fetch("/iamport/subscribe/payments/onetime", { method: "OPTIONS", headers: { origin: "https://allowed.example", "access-control-request-method": "POST" } });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get("access-control-allow-origin"), "https://allowed.example");
    assert.match(res.headers.get("access-control-allow-methods"), /POST/);
  });
  test("preflight from a disallowed origin", async () => {
    const res = await px.fetch("/iamport/subscribe/payments/onetime", { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get("access-control-allow-origin"), null);
  });
  test("an allowed origin's answer carries CORS headers; same-origin carries none", async () => {
    const a = await px.fetch("/iamport/payments/find/nothing", { headers: { origin: "https://allowed.example" } });
    assert.equal(a.headers.get("access-control-allow-origin"), "https://allowed.example");
    const b = await px.fetch("/iamport/payments/find/nothing");
    assert.equal(b.headers.get("access-control-allow-origin"), null);
  });
});

describe("token", () => {
  test("50 concurrent cold requests make 1 getToken", async () => {
    const cold = await startProxy(sb.url);
    try {
      const before = (await sb.stats()).routes["POST /users/getToken"] ?? 0;
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => cold.fetch(`/iamport/payments/find/cold_${i}`).then((r) => r.status)));
      assert.deepEqual(new Set(answers), new Set([404]));
      const after = (await sb.stats()).routes["POST /users/getToken"];
      assert.equal(after - before, 1);
    } finally {
      await cold.stop();
    }
  });

  test("a token expired mid-flight is refreshed once and the request succeeds", async () => {
    await px.fetch("/iamport/payments/find/warm");
    const before = await sb.stats();
    await sb.control("faults", { expire_tokens: true });
    const res = await px.fetch("/iamport/payments/find/fw_1");
    assert.equal(res.status, 200);
    const after = await sb.stats();
    assert.equal(after.routes["POST /users/getToken"] - before.routes["POST /users/getToken"], 1);
    assert.equal(after.routes["GET /payments/find/{merchant_uid}"] - before.routes["GET /payments/find/{merchant_uid}"], 2, "one 401, one retry");
  });

  test("IAMPORT_TIER adds the Tier header to getToken and every forwarded call", async () => {
    const tiered = await startProxy(sb.url, { bindings: { IMP_KEY: "sandbox_key", IMP_SECRET: "sandbox_secret", IAMPORT_API_URL: sb.url, IAMPORT_TIER: "AGENCY7" } });
    try {
      const before = (await sb.stats()).tiers.AGENCY7 ?? 0;
      assert.equal((await tiered.fetch("/iamport/payments/find/tier_1")).status, 404);
      assert.equal((await sb.stats()).tiers.AGENCY7 - before, 2, "getToken and the look-up");
    } finally {
      await tiered.stop();
    }
  });

  test("getToken failing gives 502", async () => {
    const cold = await startProxy(sb.url);
    try {
      await sb.control("faults", { get_token_fail: 1 });
      const res = await cold.fetch("/iamport/payments/find/x");
      assert.equal(res.status, 502);
      assert.equal((await res.json()).error.code, "TOKEN_FAILED");
    } finally {
      await cold.stop();
    }
  });

  test("bad credentials give 502, a missing binding a clear 500 at first use", async () => {
    const wrong = await startProxy(sb.url, { bindings: { IMP_KEY: "sandbox_key", IMP_SECRET: "wrong", IAMPORT_API_URL: sb.url } });
    const missing = await startProxy(sb.url, { bindings: { IMP_KEY: "sandbox_key", IAMPORT_API_URL: sb.url } });
    try {
      assert.equal((await wrong.fetch("/iamport/payments/find/x")).status, 502);
      const res = await missing.fetch("/iamport/payments/find/x");
      assert.equal(res.status, 500);
      const body = await res.json();
      assert.deepEqual(body.error, { code: "MISCONFIGURED", message: "binding IMP_SECRET is missing" });
    } finally {
      await wrong.stop();
      await missing.stop();
    }
  });
});

describe("upstream failures", () => {
  test("a charge that times out gives 504 OUTCOME_UNKNOWN, and the payment exists", async () => {
    const res = await px.fetch("/iamport/subscribe/payments/onetime", jsonInit("POST", card("slow_1", "4000 0000 0000 0051")));
    assert.equal(res.status, 504);
    assert.equal((await res.json()).error.code, "OUTCOME_UNKNOWN");
    await new Promise((r) => setTimeout(r, 900));
    const found = await px.fetch("/iamport/payments/find/slow_1");
    assert.equal((await found.json()).response.status, "paid");
  });

  test("a dropped connection during a charge gives 502 OUTCOME_UNKNOWN", async () => {
    const res = await px.fetch("/iamport/subscribe/payments/onetime", jsonInit("POST", card("drop_1", "4000 0000 0000 0069")));
    assert.equal(res.status, 502);
    assert.equal((await res.json()).error.code, "OUTCOME_UNKNOWN");
    assert.equal(await sb.count("drop_1"), 1);
  });

  test("other upstream answers pass through with Iamport's status and envelope", async () => {
    const declined = await px.fetch("/iamport/subscribe/payments/onetime", jsonInit("POST", card("dec_1", "4000 0000 0000 0028")));
    assert.equal(declined.status, 200);
    assert.deepEqual(await declined.json(), { code: -1, message: "카드정보 인증에 실패하였습니다.", response: null });
    const pg = await px.fetch("/iamport/subscribe/payments/onetime", jsonInit("POST", card("pg_1", "4000 0000 0000 0044")));
    assert.equal(pg.status, 500);
    const gw = await px.fetch("/iamport/subscribe/payments/onetime", jsonInit("POST", card("gw_1", "4000 0000 0000 0077")));
    assert.equal(gw.status, 504);
    // The gateway's HTML page keeps its status but is never served as HTML from the shop's origin.
    assert.equal(gw.headers.get("content-type"), "application/json; charset=utf-8");
    assert.equal(gw.headers.get("x-content-type-options"), "nosniff");
    assert.equal(gw.headers.get("cache-control"), "no-store");
  });
});

test("the canary card number never appears in responses, proxy logs or sandbox logs", async () => {
  const texts = [];
  for (const init of [
    jsonInit("POST", card("can_1", CANARY)),
    jsonInit("POST", card("can_2", CANARY.slice(0, 15) + "2")),
    jsonInit("POST", card("can_3", CANARY), { "x-test-authorize": "throw" }),
    jsonInit("POST", card("mismatch-can", CANARY)),
  ]) {
    const res = await px.fetch("/iamport/subscribe/payments/onetime", init);
    texts.push(await res.text());
  }
  const events = JSON.stringify(await px.events());
  const everything = texts.join("\n") + events + sb.logs.join("\n");
  for (const secret of [CANARY, "4111-1111-1111-1111", "4111 1111 1111 1111", "820213", CANARY.slice(0, 15) + "2"]) {
    assert.ok(!everything.includes(secret), `found ${secret}`);
  }
  assert.ok(events.includes("HOOK_FAILED"), "hook failures reach the log hook");
  assert.ok(sb.logs.some((l) => l.includes("POST /subscribe/payments/onetime")), "the sandbox did log the requests");
});
