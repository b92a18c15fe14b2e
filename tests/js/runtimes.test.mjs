// The proxy on servers that are not workerd: the env read from where each runtime keeps
// it, and the client's address only from a source the merchant trusts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nodeEntryAndSandbox, CREDS } from "./harness.mjs";

const stack = nodeEntryAndSandbox();

let seq = 0;
const uid = (tag) => `rt_${tag}_${Date.now() % 1e8}_${seq++}`;
const card = { card_number: "4111 1111 1111 1111", expiry: "12/30", birth: "820213", pwd_2digit: "12" };
const charge = (m, headers = {}) =>
  new Request("http://shop.test/iamport/subscribe/payments/onetime", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ merchant_uid: m, amount: 3000, ...card }),
  });
const hooks = (extra = {}) => ({
  authorize: () => true,
  resolveAmount: (p) => p.amount,
  operations: ["payOnetime", "findPayment"],
  ...extra,
});
const bindings = () => ({ IMP_KEY: CREDS.imp_key, IMP_SECRET: CREDS.imp_secret, IAMPORT_API_URL: stack.sb.url });

/** Sets process.env for the duration of `fn`. */
async function withProcessEnv(vars, fn) {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [key, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[key];
      else process.env[key] = v;
    }
  }
}

test("the bindings come from the handler's env, else createProxy({ env }), else process.env", async () => {
  // `deno serve`, Bun and @hono/node-server pass their own object second: not an env.
  const info = { remoteAddr: { hostname: "127.0.0.1" }, completed: Promise.resolve() };
  const viaOption = stack.k.createProxy(hooks({ env: bindings() }));
  let m = uid("opt");
  let res = await viaOption.fetch(charge(m), info);
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(await stack.sb.count(m), 1);
  const bare = stack.k.createProxy(hooks());
  m = uid("missing");
  res = await bare.fetch(charge(m), info);
  assert.equal(res.status, 500);
  assert.equal((await res.json()).error.code, "MISCONFIGURED");
  await withProcessEnv(bindings(), async () => {
    m = uid("process");
    res = await bare.fetch(charge(m), info);
    assert.equal(res.status, 200, await res.clone().text());
    res = await bare.fetch(charge(uid("noarg")));
    assert.equal(res.status, 200);
    // The handler's own env still wins when it carries the bindings.
    res = await bare.fetch(charge(uid("arg")), { ...bindings(), IMP_SECRET: "wrong" });
    assert.equal((await res.json()).error?.code ?? "paid", "TOKEN_FAILED");
  });
  assert.equal(await stack.sb.count(m), 1);
  // The hooks see the env the proxy used.
  let seen;
  const p = stack.k.createProxy(hooks({ env: { ...bindings(), SHOP: "x" }, authorize: (r, op, env) => ((seen = env.SHOP), true) }));
  await p.fetch(charge(uid("hookenv")), info);
  assert.equal(seen, "x");
});

test("the client's address comes only from a trusted source", async () => {
  const calls = [];
  // The hook gets the handler's second argument as the runtime passed it (here a
  // @hono/node-server-like { incoming }), not the env the proxy resolved.
  const trusted = stack.k.createProxy(hooks({ env: bindings(), clientIp: (request, arg) => (calls.push(arg.incoming.socket.remoteAddress), arg.incoming.socket.remoteAddress) }));
  const res = await trusted.fetch(charge(uid("ip"), { "x-real-ip": "198.51.100.1" }), { incoming: { socket: { remoteAddress: "203.0.113.9" } } });
  assert.equal(res.status, 200);
  assert.deepEqual(calls, ["203.0.113.9"]);
  const throwing = stack.k.createProxy(hooks({ env: bindings(), clientIp: () => { throw new Error("no socket"); } }));
  const m = uid("ipthrow");
  const refused = await throwing.fetch(charge(m));
  assert.equal(refused.status, 500);
  assert.equal((await refused.json()).error.code, "HOOK_FAILED");
  assert.equal(await stack.sb.count(m), 0);
  for (const bad of ["x real ip", 42, true]) {
    assert.throws(() => stack.k.createProxy(hooks({ clientIp: bad })), TypeError, String(bad));
  }
  assert.throws(() => stack.k.createProxy(hooks({ env: "IMP_KEY=x" })), TypeError);
});

test("webhookIps reads the same rule: a header the merchant names, never a guess", async () => {
  const webhook = (headers) =>
    new Request("http://shop.test/iamport/webhook", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: '{"imp_uid":"imp_000000000001"}' });
  const onPayment = () => {};
  // Node: no header is trusted by default (any client can send one); the socket's peer is,
  // when the runtime hands it over: @hono/node-server's { incoming }, Deno's serve info,
  // Bun's server.requestIP.
  const plain = stack.k.createProxy(hooks({ env: bindings(), onPayment, webhookIps: ["52.78.100.19"] }));
  assert.equal((await plain.fetch(webhook({ "x-real-ip": "52.78.100.19", "cf-connecting-ip": "52.78.100.19" }))).status, 403);
  const iamportSocket = [
    { incoming: { socket: { remoteAddress: "52.78.100.19" } } },
    { remoteAddr: { hostname: "52.78.100.19", port: 443 } },
    { requestIP: () => ({ address: "52.78.100.19", family: "IPv4" }) },
  ];
  for (const arg of iamportSocket) {
    const res = await plain.fetch(webhook({}), arg);
    assert.equal(res.status, 400, JSON.stringify(Object.keys(arg)));
    assert.equal((await res.json()).error.code, "WEBHOOK_UNVERIFIED", "past the sender check");
  }
  const strangerSocket = await plain.fetch(webhook({ "x-real-ip": "52.78.100.19" }), { incoming: { socket: { remoteAddress: "203.0.113.7" } } });
  assert.equal(strangerSocket.status, 403, "the socket, not the header");
  const behindVercel = stack.k.createProxy(hooks({ env: bindings(), onPayment, webhookIps: ["52.78.100.19"], clientIp: "x-real-ip" }));
  assert.equal((await behindVercel.fetch(webhook({ "x-real-ip": "203.0.113.7" }))).status, 403);
  const allowed = await behindVercel.fetch(webhook({ "x-real-ip": "52.78.100.19" }));
  assert.equal(allowed.status, 400, "past the sender check: an unknown payment");
  assert.equal((await allowed.json()).error.code, "WEBHOOK_UNVERIFIED");
});
