// The demo stack behind one origin, as a shop would deploy it:
//   /            www/ (the checkout page)        /pkg/  the npm package
//   /iamport/*   the merchant proxy (www/worker/worker.mjs in miniflare/workerd)
//   /sandbox/*   the sandbox's control endpoints (test cards, clock, schedules), sandbox mode only
// With IMP_KEY, IMP_SECRET and IAMPORT_API_URL set, the proxy talks to that API
// (real Iamport) instead of a local sandbox. Ctrl-C stops everything.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { Miniflare } from "miniflare";
import { serveStatic } from "./static-server.mjs";
import { startSandbox, packageModules, CREDS } from "../tests/js/harness.mjs";

let port = Number(process.env.PORT ?? 8080);
const real = Boolean(process.env.IMP_KEY && process.env.IMP_SECRET && process.env.IAMPORT_API_URL);
const sandbox = real ? null : await startSandbox(["--slow-ms", "3000"]);
const upstream = real ? process.env.IAMPORT_API_URL : sandbox.url;

const mf = new Miniflare({
  modules: [{ type: "ESModule", path: "worker.mjs", contents: readFileSync(new URL("../www/worker/worker.mjs", import.meta.url), "utf8") }, ...packageModules()],
  compatibilityDate: "2025-09-01",
  cf: false,
  // The card-testing counters, as wrangler.toml binds them (SQLite-backed).
  durableObjects: { KEYIN_LIMITER: { className: "KeyinLimiter", useSQLite: true } },
  bindings: {
    ...(real
      ? { IMP_KEY: process.env.IMP_KEY, IMP_SECRET: process.env.IMP_SECRET, IAMPORT_API_URL: upstream, ...(process.env.IAMPORT_TIER ? { IAMPORT_TIER: process.env.IAMPORT_TIER } : {}) }
      : { IMP_KEY: CREDS.imp_key, IMP_SECRET: CREDS.imp_secret, IAMPORT_API_URL: upstream }),
    // Signs the demo's session cookies; a fresh one each run (set SESSION_SECRET to keep sessions across restarts).
    SESSION_SECRET: process.env.SESSION_SECRET ?? randomBytes(32).toString("hex"),
  },
});
const proxyUrl = (await mf.ready).toString().replace(/\/$/, "");
const statics = await serveStatic({ "/pkg/": new URL("../pkg", import.meta.url).pathname, "/": new URL("../www", import.meta.url).pathname });
const staticUrl = `http://127.0.0.1:${statics.address().port}`;

/** The names this front answers to: anything else (DNS rebinding: a hostile site's name
 * resolving to 127.0.0.1) is refused before it reaches the proxy. */
const hosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];

const HOP = ["host", "connection", "content-length", "transfer-encoding", "keep-alive"];

/** Forwards a request to `base`, keeping the method, headers and body (streamed, chunked or not). */
async function forward(req, res, base, path, sameOriginFront = false) {
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !HOP.includes(k)));
  // As Cloudflare's edge does: the client's address, never a value the client sent.
  headers["cf-connecting-ip"] = req.socket.remoteAddress?.replace(/^::ffff:/, "") ?? "";
  // Deployed, the worker serves the shop's own origin. Here it sits behind this front
  // on another port, so a request from the page's own origin (either name) is passed on
  // as the same-origin request it is (without Origin); any other Origin is passed on as
  // is, and the proxy refuses it.
  if (sameOriginFront && hosts().some((h) => headers.origin === `http://${h}`)) delete headers.origin;
  try {
    const hasBody = !["GET", "HEAD"].includes(req.method);
    const r = await fetch(base + path, { method: req.method, headers, body: hasBody ? req : undefined, duplex: "half" });
    const out = new Headers(r.headers);
    for (const k of ["content-encoding", "transfer-encoding", "connection", "content-length"]) out.delete(k);
    const raw = {};
    for (const [k, v] of out) if (k !== "set-cookie") raw[k] = v;
    const cookies = r.headers.getSetCookie();
    if (cookies.length > 0) raw["set-cookie"] = cookies;
    res.writeHead(r.status, raw);
    res.end(Buffer.from(await r.arrayBuffer()));
  } catch {
    if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "DEMO_UPSTREAM", message: "the demo could not reach its backend" } }));
  }
}

function refuse(res, status, code, message) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: { code, message } }));
}

const server = createServer((req, res) => {
  if (!hosts().includes(req.headers.host ?? "")) return refuse(res, 421, "MISDIRECTED", "this demo answers only to 127.0.0.1 and localhost");
  let url;
  try {
    url = new URL(req.url, "http://localhost");
    decodeURIComponent(url.pathname);
  } catch {
    return refuse(res, 400, "BAD_REQUEST", "malformed URL");
  }
  if (url.pathname.startsWith("/iamport/") || url.pathname === "/iamport" || url.pathname.startsWith("/shop/")) {
    return forward(req, res, proxyUrl, url.pathname + url.search, true);
  }
  if (url.pathname.startsWith("/sandbox/")) {
    if (!sandbox) return refuse(res, 404, "NO_SANDBOX", "running against a real API");
    return forward(req, res, sandbox.url, url.pathname.slice("/sandbox".length) + url.search);
  }
  return forward(req, res, staticUrl, url.pathname + url.search);
});
server.listen(port, "127.0.0.1", async () => {
  port = server.address().port; // PORT=0 picks a free port (the end-to-end tests do)
  const base = `http://127.0.0.1:${port}/`;
  console.log(`\niamport-keyin demo checkout: ${base}`);
  console.log(real ? `proxy → ${upstream} (real credentials from env)` : `proxy → local sandbox ${sandbox.url} (no credentials needed)`);
  if (sandbox) {
    const cards = await fetch(sandbox.url + "/__sandbox/cards").then((r) => r.json());
    console.log("\ntest cards (any other valid number is approved; expiry any future month, birth 820213, PIN 12):");
    for (const c of cards.cards) console.log(`  ${c.formatted.padEnd(20)} ${c.description}`);
  }
  console.log("\nCtrl-C stops everything.");
});

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  server.close();
  statics.close();
  sandbox?.child.kill("SIGTERM");
  await Promise.race([mf.dispose(), new Promise((r) => setTimeout(r, 3000))]);
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
