// Shared test harness: the real sandbox binary and the real proxy in miniflare.
import { before, after } from "node:test";
import { spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { Miniflare } from "miniflare";

const root = new URL("../../", import.meta.url);
export const SANDBOX_BIN = new URL("target/debug/iamport-sandbox", root).pathname;
export const CREDS = { imp_key: "sandbox_key", imp_secret: "sandbox_secret" };

/** Starts `iamport-sandbox --port 0`; resolves once it prints its URL. */
export async function startSandbox(args = []) {
  const child = spawn(SANDBOX_BIN, ["--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  // Never leave an orphan behind, however this process ends.
  process.once("exit", () => child.kill("SIGKILL"));
  const logs = [];
  createInterface({ input: child.stderr }).on("line", (l) => logs.push(l));
  const url = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once("line", (line) => resolve(line.trim()));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`sandbox exited with ${code}: ${logs.join("\n")}`)));
  });
  const json = async (path, init) => {
    const res = await fetch(url + path, init);
    return res.json();
  };
  return {
    url,
    logs,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
    stats: () => json("/__sandbox/stats"),
    control: (path, body) => json(`/__sandbox/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    count: (merchantUid) => json(`/__sandbox/payments/count/${encodeURIComponent(merchantUid)}`).then((r) => r.count),
    /** A direct, authenticated call (what the proxy would send). */
    async direct(method, path, body) {
      const t = await json("/users/getToken", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(CREDS) });
      const res = await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${t.response.access_token}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: await res.json().catch(() => null) };
    },
  };
}

/**
 * For a suite on the node entry: registers hooks that import pkg/node.js and start a
 * sandbox before the tests, and stop it after. Read `.k` and `.sb` inside the tests.
 */
export function nodeEntryAndSandbox() {
  const s = { k: null, sb: null };
  before(async () => {
    s.k = await import("../../pkg/node.js");
    s.sb = await startSandbox(["--quiet"]);
  });
  after(async () => {
    await s.sb?.stop();
  });
  return s;
}

const pkgDir = new URL("pkg/", root);

/**
 * The package's modules as workerd sees them, resolved through the `workerd` export
 * (`dir`: the built package, pkg/ by default; target/pkg-trap/ for the recovery tests).
 */
export function packageModules(dir = pkgDir) {
  const pkgJson = JSON.parse(readFileSync(new URL("package.json", dir)));
  const entry = pkgJson.exports["."].workerd;
  return [
    { type: "ESModule", path: "iamport-keyin", contents: readFileSync(new URL(entry, dir), "utf8") },
    { type: "ESModule", path: "server.js", contents: readFileSync(new URL("server.js", dir), "utf8") },
    { type: "ESModule", path: "facade.js", contents: readFileSync(new URL("facade.js", dir), "utf8") },
    { type: "ESModule", path: "fast.js", contents: readFileSync(new URL("fast.js", dir), "utf8") },
    { type: "ESModule", path: "clients.js", contents: readFileSync(new URL("clients.js", dir), "utf8") },
    { type: "ESModule", path: "drive.js", contents: readFileSync(new URL("drive.js", dir), "utf8") },
    { type: "ESModule", path: "limiter.js", contents: readFileSync(new URL("limiter.js", dir), "utf8") },
    { type: "ESModule", path: "ready.js", contents: readFileSync(new URL("ready.js", dir), "utf8") },
    { type: "ESModule", path: "server/iamport_keyin.js", contents: readFileSync(new URL("server/iamport_keyin.js", dir), "utf8") },
    { type: "CompiledWasm", path: "server/iamport_keyin_bg.wasm", contents: readFileSync(new URL("server/iamport_keyin_bg.wasm", dir)) },
  ];
}

/**
 * The test worker: the real createProxy with hooks driven by the request
 * (`x-test-authorize: deny|throw`) and by merchant_uid prefixes (`mismatch-`,
 * `priceerr-`), plus two test-only routes to read what the hooks saw.
 */
export function proxyWorker(options = {}) {
  return `
import { createProxy } from "iamport-keyin";
import { __memory } from "./server/iamport_keyin.js";
const events = [];
const ops = [];
const proxy = createProxy({
  allowedOrigins: ${JSON.stringify(options.allowedOrigins ?? ["https://allowed.example"])},
  ${options.upstreamTimeoutMs ? `upstreamTimeoutMs: ${options.upstreamTimeoutMs},` : ""}
  ${options.maxBodyBytes ? `maxBodyBytes: ${options.maxBodyBytes},` : ""}
  // The card-testing limits stay on (their path runs in every suite), set far above what
  // these suites send from one address; limits(-workerd).test.mjs test the limits themselves.
  limits: ${options.limits ?? "{ attempts: { max: 1000000 }, declines: { max: 1000000, soft: 1000000 }, cards: { max: 1000000 }, breaker: { declines: 1000000 } }"},
  authorize: async (request, op) => {
    ops.push(op);
    const mode = request.headers.get("x-test-authorize");
    if (mode === "deny") return false;
    if (mode === "throw") throw new Error("session store down");
    return true;
  },
  resolveAmount: (op) => {
    const uid = op.merchantUid ?? "";
    if (uid.startsWith("mismatch-")) return op.amount + 1;
    if (uid.startsWith("priceerr-")) return Promise.reject(new Error("price service down"));
    return op.amount;
  },
  log: (e) => { events.push(e); if (${options.logAll ? "true" : 'e.level !== "info"'}) console.log("proxy-log", JSON.stringify(e)); },
});
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/__test/events") return Response.json(events.splice(0));
    if (url.pathname === "/__test/ops") return Response.json(ops.splice(0));
    // The wasm instance's linear memory: the proxy's own heap (it never shrinks, so growth is a leak's trace).
    if (url.pathname === "/__test/wasm-memory") return Response.json({ bytes: __memory().buffer.byteLength });
    return proxy.fetch(request, env, ctx);
  },
};`;
}

/** A miniflare running the proxy worker against `upstreamUrl`. */
export async function startProxy(upstreamUrl, { bindings, dir, ...options } = {}) {
  // (The test hooks read `x-test-authorize`; the stack's browser suites send it cross-origin.)
  const mf = new Miniflare({
    modules: [{ type: "ESModule", path: "worker.mjs", contents: proxyWorker(options) }, ...packageModules(dir)],
    compatibilityDate: "2025-09-01",
    cf: false,
    bindings: bindings ?? { IMP_KEY: CREDS.imp_key, IMP_SECRET: CREDS.imp_secret, IAMPORT_API_URL: upstreamUrl },
  });
  const url = (await mf.ready).toString().replace(/\/$/, "");
  return {
    mf,
    url,
    fetch: (path, init) => fetch(url + path, init),
    events: () => fetch(url + "/__test/events").then((r) => r.json()),
    ops: () => fetch(url + "/__test/ops").then((r) => r.json()),
    wasmMemory: () => fetch(url + "/__test/wasm-memory").then((r) => r.json()).then((r) => r.bytes),
    stop: () => mf.dispose(),
  };
}

export const jsonInit = (method, body, headers = {}) => ({
  method,
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

/**
 * A runtime's binary from its npm package: where the platform package keeps it, or where
 * the package's own postinstall moved it (npm runs or skips install scripts by its
 * configuration, so either may hold it).
 */
export function runtimeBinary(name) {
  const candidates = {
    deno: ["node_modules/@deno/linux-x64-glibc/deno", "node_modules/deno/bin/deno"],
    bun: ["node_modules/@oven/bun-linux-x64/bin/bun", "node_modules/bun/bin/bun.exe"],
  }[name];
  for (const rel of candidates) {
    const path = new URL(rel, root).pathname;
    try {
      if (statSync(path).size > 1_000_000) return path;
    } catch {}
  }
  throw new Error(`${name}: no binary in ${candidates.join(" or ")} (run scripts/setup.sh)`);
}

/** A Luhn-valid 16-digit number: `prefix`, `n`, check digit. BIN 400003 always declines. */
export function luhnCard(prefix, n) {
  const body = prefix + String(n).padStart(15 - prefix.length, "0");
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + ((10 - (sum % 10)) % 10);
}
