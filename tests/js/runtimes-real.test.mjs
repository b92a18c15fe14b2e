// The packed tarball on real runtimes, installed as a consumer would: Deno 2 (without
// --allow-read), Bun, and Vercel's Edge Runtime (dynamic wasm compilation off, the wasm
// handed over as a compiled module from another realm, as `?module` gives it). Each
// imports the package, checks a card, and serves the README's `export default
// createProxy(…)` with the env from the process: a charge through it is paid once, and
// an unknown look-up answers 404.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { startSandbox, CREDS, runtimeBinary } from "./harness.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const out = join(root, "test-output", "runtimes");
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const DENO = runtimeBinary("deno");
const BUN = runtimeBinary("bun");

let sb;
before(async () => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", out, join(root, "pkg")], root));
  writeFileSync(join(out, "package.json"), JSON.stringify({ name: "runtimes", private: true, type: "module" }));
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", `./${packed[0].filename}`], out);
  // The README's proxy, verbatim in shape: a default export, the env from the process.
  writeFileSync(
    join(out, "app.mjs"),
    `import { checkCardNumber, createProxy } from "iamport-keyin";
if (!checkCardNumber("4111 1111 1111 1111").isValid) throw new Error("checks do not work");
export default createProxy({
  authorize: () => true,
  resolveAmount: (priced) => priced.amount,
  operations: ["payOnetime", "findPayment"],
});
`,
  );
  // The examples, beside the installed tarball (express and hono resolve from the workspace).
  cpSync(join(root, "examples"), join(out, "examples"), { recursive: true });
  sb = await startSandbox(["--quiet"]);
});
after(async () => {
  await sb?.stop();
});

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const SESSION_SECRET = "examples-session-secret-for-tests";
const env = () => ({ ...process.env, SESSION_SECRET, IMP_KEY: CREDS.imp_key, IMP_SECRET: CREDS.imp_secret, IAMPORT_API_URL: sb.url, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" });

/** Starts a server process and waits until `url` answers. */
async function serve(cmd, args, port) {
  const child = spawn(cmd, args, { cwd: out, env: { ...env(), PORT: String(port), BUN_PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
  process.once("exit", () => child.kill("SIGKILL"));
  const logs = [];
  createInterface({ input: child.stdout }).on("line", (l) => logs.push(l));
  createInterface({ input: child.stderr }).on("line", (l) => logs.push(l));
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${cmd} exited ${child.exitCode}: ${logs.join("\n")}`);
    try {
      await fetch(`${url}/iamport/payments/find/probe`);
      break;
    } catch {
      if (Date.now() - started > 30_000) throw new Error(`${cmd} did not start: ${logs.join("\n")}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { url, logs, stop: () => child.kill("SIGTERM") };
}


/** Bundles `contents` for an edge runtime with `conditions`, the wasm handed over as a
 * compiled module (`globalThis.__wasmModule`), as Vercel's `?module` rule does. */
async function edgeBundle(contents, conditions) {
  const esbuild = await import("esbuild");
  const bundle = await esbuild.build({
    stdin: { contents, resolveDir: out, loader: "js" },
    bundle: true,
    format: "iife",
    write: false,
    platform: "neutral",
    conditions,
    mainFields: ["module", "main"],
    plugins: [
      {
        name: "wasm-module",
        setup(b) {
          b.onResolve({ filter: /\.wasm\?module$/ }, (a) => ({ path: a.path, namespace: "wasm-module" }));
          b.onLoad({ filter: /.*/, namespace: "wasm-module" }, () => ({ contents: "export default globalThis.__wasmModule;", loader: "js" }));
        },
      },
    ],
  });
  return bundle.outputFiles[0].text;
}

/** Vercel's Edge Runtime with dynamic code generation off, running `code` with the
 * package's wasm compiled here (another realm) and the bindings in `process.env`. */
async function edgeRuntime(code) {
  const { EdgeRuntime } = await import("edge-runtime");
  const wasmModule = new WebAssembly.Module(readFileSync(join(out, "node_modules/iamport-keyin/server/iamport_keyin_bg.wasm")));
  return new EdgeRuntime({
    initialCode: code,
    codeGeneration: { strings: false, wasm: false },
    extend: (context) => Object.assign(context, { __wasmModule: wasmModule, process: { env: { SESSION_SECRET, IMP_KEY: CREDS.imp_key, IMP_SECRET: CREDS.imp_secret, IAMPORT_API_URL: sb.url } } }),
  });
}

let seq = 0;
async function chargeAndLookUp(url, tag) {
  const m = `rt_${tag}_${Date.now() % 1e8}_${seq++}`;
  const res = await fetch(`${url}/iamport/subscribe/payments/onetime`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ merchant_uid: m, amount: 3000, card_number: "4111 1111 1111 1111", expiry: "12/30", birth: "820213", pwd_2digit: "12" }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(body.response.status, "paid");
  assert.equal(await sb.count(m), 1, "paid once");
  const missing = await fetch(`${url}/iamport/payments/find/${m}-nobody`);
  assert.equal(missing.status, 404);
}

test("Deno 2: deno serve, without --allow-read, env from the process", async () => {
  const port = await freePort();
  const s = await serve(DENO, ["serve", "--no-prompt", "--allow-net", "--allow-env", "--port", String(port), "--host", "127.0.0.1", "app.mjs"], port);
  try {
    await chargeAndLookUp(s.url, "deno");
  } finally {
    s.stop();
  }
  // The deno condition picked the entry that needs no file access.
  const resolved = run(DENO, ["eval", "--no-prompt", 'console.log(import.meta.resolve("iamport-keyin"))'], out).trim();
  assert.match(resolved, /iamport-keyin\/deno\.js$/);
});

test("Bun: the default-export server, env from the process", async () => {
  const port = await freePort();
  const s = await serve(BUN, ["run", "app.mjs"], port);
  try {
    await chargeAndLookUp(s.url, "bun");
  } finally {
    s.stop();
  }
});

test("Vercel Edge Runtime: the edge-light entry, wasm as a module from another realm", async () => {
  const code = await edgeBundle(
    `import proxy from "./app.mjs";
addEventListener("fetch", (event) => event.respondWith(proxy.fetch(event.request, {})));`,
    ["edge-light"],
  );
  assert.ok(!code.includes("node:fs") && code.includes("sameRealm"), "the edge-light entry, not node's");
  const runtime = await edgeRuntime(code);
  assert.equal(runtime.evaluate("typeof EdgeRuntime"), "string");
  const m = `rt_edge_${Date.now() % 1e8}`;
  const res = await runtime.dispatchFetch("http://shop.test/iamport/subscribe/payments/onetime", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ merchant_uid: m, amount: 3000, card_number: "4111 1111 1111 1111", expiry: "12/30", birth: "820213", pwd_2digit: "12" }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(body.response.status, "paid");
  assert.equal(await sb.count(m), 1);
  const missing = await runtime.dispatchFetch(`http://shop.test/iamport/payments/find/${m}-nobody`);
  assert.equal(missing.status, 404);
  await res.waitUntil?.();
});

/** The examples' session cookie for `customer`, signed as their login would sign it. */
async function sessionCookie(customer, key = SESSION_SECRET) {
  const { signSession } = await import(join(out, "examples", "shop.mjs"));
  return { cookie: `keyin_session=${await signSession(customer, key)}` };
}

/** A charge as the examples' shop allows it (its session cookie and order shape). */
async function exampleCharge(url, tag, session = "cust_ex") {
  const m = `${session}-once-${tag}${Date.now() % 1e7}${seq++}`;
  const res = await fetch(`${url}/iamport/subscribe/payments/onetime`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(await sessionCookie(session)) },
    body: JSON.stringify({ merchant_uid: m, amount: 3000, card_number: "4111 1111 1111 1111", expiry: "12/30", birth: "820213", pwd_2digit: "12", browser_ip: "198.51.100.7" }),
  });
  return { m, res, body: await res.json() };
}

for (const [name, file] of [["node:http", "examples/node-http/server.mjs"], ["Express 5", "examples/express/server.mjs"], ["Hono on @hono/node-server", "examples/hono/server.mjs"]]) {
  test(`${name} recipe (${file})`, async () => {
    const port = await freePort();
    const s = await serve(process.execPath, [file], port);
    try {
      const { m, res, body } = await exampleCharge(s.url, "n");
      assert.equal(res.status, 200, JSON.stringify(body));
      assert.equal(body.response.status, "paid");
      assert.equal(await sb.count(m), 1);
      // Another session's order, a forged or missing session: refused before Iamport.
      const other = await fetch(`${s.url}/iamport/payments/find/${m}`, { headers: await sessionCookie("cust_other") });
      assert.equal(other.status, 403);
      const forged = await fetch(`${s.url}/iamport/payments/find/${m}`, { headers: await sessionCookie("cust_ex", "a guessed secret") });
      assert.equal(forged.status, 403);
      assert.equal((await fetch(`${s.url}/iamport/payments/find/${m}`, { headers: { cookie: "keyin_session=cust_ex" } })).status, 403);
      assert.equal((await fetch(`${s.url}/iamport/payments/find/${m}`)).status, 403);
      const own = await fetch(`${s.url}/iamport/payments/find/${m}`, { headers: await sessionCookie("cust_ex") });
      assert.equal(own.status, 200);
      assert.equal((await fetch(`${s.url}/iamport/payments/find/cust_ex-once-nobody`, { headers: await sessionCookie("cust_ex") })).status, 404);
    } finally {
      s.stop();
    }
  });
}

test("Next.js route handler (examples/nextjs), bundled with Next's edge conditions, in the Edge Runtime", async () => {
  const code = await edgeBundle(
    `import * as route from "./examples/nextjs/app/iamport/[...path]/route.js";
if (route.runtime !== "edge") throw new Error("not an edge route");
addEventListener("fetch", (event) => event.respondWith(route[event.request.method](event.request)));`,
    // What Next's edge compiler resolves with.
    ["edge-light", "worker", "browser", "import", "module", "default"],
  );
  assert.ok(code.includes("sameRealm"), "Next's edge conditions pick the edge-light entry");
  const runtime = await edgeRuntime(code);
  const m = `cust_ex-once-next${Date.now() % 1e7}`;
  const res = await runtime.dispatchFetch("http://shop.test/iamport/subscribe/payments/onetime", {
    method: "POST",
    headers: { "content-type": "application/json", ...(await sessionCookie("cust_ex")) },
    body: JSON.stringify({ merchant_uid: m, amount: 3000, card_number: "4111 1111 1111 1111", expiry: "12/30", birth: "820213", pwd_2digit: "12" }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(await sb.count(m), 1);
});
