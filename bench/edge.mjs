// Edge overhead (issue 8): our wasm proxy (`createProxy`, as a merchant deploys it) vs a
// minimal hand-written plain-JS proxy doing the same forwarding, both in ONE miniflare
// (workerd) against ONE sandbox process; plus the cost of loading the wasm in workerd.
// Usage: node bench/edge.mjs [N]   (needs pkg/ and target/debug/iamport-sandbox)
// Prints a markdown section; `edgeSection(n)` returns it (bench/run.mjs uses it).
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { pathToFileURL } from "node:url";
import { Miniflare } from "miniflare";
import { startSandbox, packageModules, CREDS } from "../tests/js/harness.mjs";

const COMPAT = "2025-09-01";
const ORIGINS = ["https://shop.example"];
const CONCURRENCY = 16;
const KS = [1, 2, 4, 8]; // workers per miniflare in the load-cost runs

/**
 * (a) What a merchant deploys: the package's proxy with the two required hooks (a
 * session check on a header, every uid the caller's; a price table), no test routes.
 */
const OURS = `import { createProxy } from "iamport-keyin";
export default createProxy({
  allowedOrigins: ${JSON.stringify(ORIGINS)},
  authorize: (request, op) => request.headers.get("x-bench-session") === "edge"
    && (op.customerUids ?? []).every((u) => u === "edge_cust")
    && (op.merchantUids ?? []).every((u) => u.startsWith("edge_")),
  resolveAmount: (priced) => (priced.merchantUid?.startsWith("edge_") ? 1000 : null),
});`;

/**
 * (b) A careful hand-written proxy, no wasm: origin check, the same route allow-list,
 * the same two merchant hooks awaited (session + uids, then the price of a charge),
 * JSON-only bounded bodies parsed and checked for the required fields (types, uid
 * rule, amount range, name length), one cached token per isolate with single-flight
 * refresh (30 s early, once more on a 401), forward with a timeout, pass the answer on.
 */
const PLAIN = `const ALLOWED_ORIGINS = ${JSON.stringify(ORIGINS)};
const BASE = "/iamport";
const MAX_BODY = 16 * 1024;
const ROUTES = [ // [path, methods, whether the last segment is a uid]
  [/^\\/subscribe\\/payments\\/(onetime|again|schedule|unschedule)$/, ["POST"], false],
  [/^\\/subscribe\\/payments\\/schedule\\/customers\\/[^/]+$/, ["GET"], true],
  [/^\\/subscribe\\/payments\\/schedule\\/[^/]+$/, ["GET"], true],
  [/^\\/subscribe\\/customers$/, ["GET"], false],
  [/^\\/subscribe\\/customers\\/[^/]+$/, ["GET", "POST", "DELETE"], true],
  [/^\\/payments\\/find\\/[^/]+$/, ["GET"], true],
];
const UID = /^[^\\s\\/\\\\?#%\\p{Cc}]{1,80}$/u;
const uidOk = (s) => typeof s === "string" && UID.test(s) && s !== "." && s !== "..";
const err = (status, code, cors) => new Response(JSON.stringify({ error: { code, message: code.toLowerCase() } }), {
  status, headers: { "content-type": "application/json; charset=utf-8", ...cors },
});
// The merchant's hooks, as (a) has them.
const authorize = async (request, uids) => request.headers.get("x-bench-session") === "edge"
  && uids.customer.every((u) => u === "edge_cust") && uids.merchant.every((u) => u.startsWith("edge_"));
const price = async (merchantUid) => (merchantUid?.startsWith("edge_") ? 1000 : null);
// The fields each benchmarked POST needs (the others would get their own checks).
const CHECKS = {
  "/subscribe/payments/again": (b) => uidOk(b.customer_uid) && uidOk(b.merchant_uid)
    && Number.isSafeInteger(b.amount) && b.amount >= 1
    && typeof b.name === "string" && b.name.length >= 1 && b.name.length <= 40,
};

let token = null; // { value, refreshAt }
let inflight = null;
function getToken(env, api) {
  if (token && Date.now() < token.refreshAt) return Promise.resolve(token.value);
  inflight ??= (async () => {
    const res = await fetch(api + "/users/getToken", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ imp_key: env.IMP_KEY, imp_secret: env.IMP_SECRET }),
    });
    const j = await res.json();
    if (!res.ok || j.code !== 0) throw new Error("getToken failed");
    const r = j.response;
    token = { value: r.access_token, refreshAt: Date.now() + (r.expired_at - r.now) * 1000 - 30000 };
    return token.value;
  })().finally(() => { inflight = null; });
  return inflight;
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const origin = request.headers.get("origin");
    let cors = {};
    if (origin && origin !== url.origin) {
      if (!ALLOWED_ORIGINS.includes(origin)) return err(403, "ORIGIN_NOT_ALLOWED");
      cors = { "access-control-allow-origin": origin, vary: "Origin" };
    }
    if (!url.pathname.startsWith(BASE + "/")) return err(404, "NOT_FOUND", cors);
    const path = url.pathname.slice(BASE.length);
    const route = ROUTES.find(([re]) => re.test(path));
    if (!route || path.split("/").some((s, i) => i > 0 && (s === "" || s === "." || s === ".."))) return err(404, "NOT_FOUND", cors);
    if (!route[1].includes(request.method)) return err(405, "METHOD_NOT_ALLOWED", cors);
    let body;
    if (request.method === "POST") {
      if (!(request.headers.get("content-type") ?? "").startsWith("application/json")) return err(415, "UNSUPPORTED_MEDIA_TYPE", cors);
      if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY) return err(413, "BODY_TOO_LARGE", cors);
      const text = await request.text();
      if (text.length > MAX_BODY) return err(413, "BODY_TOO_LARGE", cors);
      let parsed;
      try { parsed = JSON.parse(text); } catch { return err(400, "MALFORMED_JSON", cors); }
      const check = CHECKS[path];
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed) || (check && !check(parsed))) return err(400, "INVALID_INPUT", cors);
      body = JSON.stringify(parsed);
    }
    let id;
    if (route[2]) {
      // The path's uid: one segment, decoded and checked.
      try { id = decodeURIComponent(path.slice(path.lastIndexOf("/") + 1)); } catch { return err(400, "INVALID_INPUT", cors); }
      if (!uidOk(id)) return err(400, "INVALID_INPUT", cors);
    }
    // The same two hooks as (a), awaited at the same point (after the checks): the
    // session and every uid the request touches, then the price of a charge.
    const parsed = body === undefined ? {} : JSON.parse(body);
    const uids = {
      customer: [parsed.customer_uid, path.startsWith("/subscribe/customers/") ? id : undefined].filter(Boolean),
      merchant: [parsed.merchant_uid, path.startsWith("/payments/find/") ? id : undefined].filter(Boolean),
    };
    if ((await authorize(request, uids)) !== true) return err(403, "FORBIDDEN", cors);
    if (path === "/subscribe/payments/again" || path === "/subscribe/payments/onetime") {
      const p = await price(parsed.merchant_uid);
      if (!Number.isSafeInteger(p) || p < 1) return err(409, "AMOUNT_UNRESOLVED", cors);
      if (p !== parsed.amount) return err(409, "AMOUNT_MISMATCH", cors);
    }
    if (!env.IMP_KEY || !env.IMP_SECRET) return err(500, "MISCONFIGURED", cors);
    const api = (env.IAMPORT_API_URL ?? "https://api.iamport.kr").replace(/\\/$/, "");
    for (let attempt = 0; ; attempt++) {
      let t;
      try { t = await getToken(env, api); } catch { return err(502, "TOKEN_FAILED", cors); }
      let res;
      try {
        res = await fetch(api + path + url.search, {
          method: request.method,
          headers: { authorization: "Bearer " + t, ...(body ? { "content-type": "application/json" } : {}) },
          body,
          signal: AbortSignal.timeout(25000),
        });
      } catch (e) {
        return err(e?.name === "TimeoutError" ? 504 : 502, path.includes("/payments/") && request.method === "POST" ? "OUTCOME_UNKNOWN" : "UPSTREAM_UNREACHABLE", cors);
      }
      if (res.status === 401 && attempt === 0) {
        if (token?.value === t) token = null;
        continue;
      }
      return new Response(res.body, {
        status: res.status,
        headers: { "content-type": "application/json; charset=utf-8", "x-content-type-options": "nosniff", "cache-control": "no-store", ...cors },
      });
    }
  },
};`;

const bindings = (upstream) => ({ IMP_KEY: CREDS.imp_key, IMP_SECRET: CREDS.imp_secret, IAMPORT_API_URL: upstream });

function worker(name, kind, upstream, wasm) {
  const main = { type: "ESModule", path: "worker.mjs", contents: kind === "ours" ? OURS : PLAIN };
  let modules = [main];
  if (kind === "ours") {
    modules = [main, ...packageModules()];
    if (wasm) modules = modules.map((m) => (m.type === "CompiledWasm" ? { ...m, contents: wasm } : m));
  }
  return { name, modules, compatibilityDate: COMPAT, bindings: bindings(upstream), unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }] };
}

const q = (xs, f) => [...xs].sort((a, b) => a - b)[Math.floor(f * (xs.length - 1))];
const median = (xs) => q(xs, 0.5);
const f2 = (x) => x.toFixed(2);

/** Times one request to the end of its body; fails loudly on an unexpected status. */
async function timed(send, expect) {
  const t0 = performance.now();
  const res = await send();
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== expect) throw new Error(`unexpected ${res.status} (wanted ${expect}): ${text.slice(0, 300)}`);
  return ms;
}

/** `count` requests through `c` parallel loops; per-request latencies and wall time. */
async function parallel(send, expect, count, c) {
  const lat = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: c }, async () => {
    while (next < count) {
      next++;
      lat.push(await timed(send, expect));
    }
  }));
  return { lat, wall: performance.now() - t0 };
}

/** A copy of the wasm with a distinct custom section, so no engine cache can share its compilation. */
function distinctWasm(bytes, tag) {
  const name = Buffer.from("bench-copy");
  const payload = Buffer.from(String(tag));
  const content = Buffer.concat([Buffer.from([name.length]), name, payload]);
  return Buffer.concat([bytes, Buffer.from([0, content.length]), content]); // content < 128 B: 1-byte LEB
}

const INVALID_AGAIN = JSON.stringify({ customer_uid: "c", merchant_uid: "m", amount: -1, name: "n" });

/**
 * Load cost in workerd, timed from outside (workerd's clocks stand still during
 * synchronous code): a fresh miniflare with K copies of one worker, from `new Miniflare`
 * until each copy has answered one request that its checks refuse (400, no upstream).
 */
async function startup(kind, k, upstream, wasmBytes, tag) {
  const t0 = performance.now();
  const workers = Array.from({ length: k }, (_, i) => worker(`w${i}`, kind, upstream, kind === "ours" ? distinctWasm(wasmBytes, `${tag}-${i}`) : undefined));
  const mf = new Miniflare({ workers, cf: false });
  try {
    await mf.ready;
    const ready = performance.now() - t0;
    for (let i = 0; i < k; i++) {
      const url = await mf.unsafeGetDirectURL(`w${i}`);
      await timed(() => fetch(new URL("/iamport/subscribe/payments/again", url), { method: "POST", headers: { "content-type": "application/json" }, body: INVALID_AGAIN }), 400);
    }
    return { ready, answered: performance.now() - t0 };
  } finally {
    await mf.dispose();
  }
}

/** Node (V8) reference: compile and instantiate the server wasm with a fresh glue module. */
async function nodeInstantiate(wasmBytes, runs) {
  const compile = [];
  const inst = [];
  const imp = [];
  const glue = new URL("../pkg/server/iamport_keyin.js", import.meta.url);
  for (let i = 0; i < runs; i++) {
    const bytes = distinctWasm(wasmBytes, `node-${i}`);
    const ti = performance.now();
    const m = await import(`${glue.href}?edge=${i}`);
    imp.push(performance.now() - ti);
    const t0 = performance.now();
    const module = new WebAssembly.Module(bytes);
    const t1 = performance.now();
    m.initSync({ module });
    const t2 = performance.now();
    compile.push(t1 - t0);
    inst.push(t2 - t1);
  }
  return { compile: median(compile), inst: median(inst), imp: median(imp) };
}

export async function edgeSection(n = 300) {
  const wasmBytes = readFileSync(new URL("../pkg/server/iamport_keyin_bg.wasm", import.meta.url));
  const sb = await startSandbox(["--quiet"]);
  try {
    const out = await latency(n, sb);
    const load = await loadCost(n, sb.url, wasmBytes);
    return render(n, out, load, wasmBytes.length);
  } finally {
    await sb.stop();
  }
}

/** Request latency through both proxies (and directly), sequential and concurrent. */
async function latency(n, sb) {
  const out = {};
  let mf;
  try {
    mf = new Miniflare({ workers: [worker("ours", "ours", sb.url), worker("plain", "plain", sb.url)], cf: false });
    await mf.ready;
    const urls = { ours: (await mf.unsafeGetDirectURL("ours")).href.replace(/\/$/, ""), plain: (await mf.unsafeGetDirectURL("plain")).href.replace(/\/$/, "") };
    const tok = await fetch(sb.url + "/users/getToken", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(CREDS) }).then((r) => r.json());
    const bearer = { authorization: `Bearer ${tok.response.access_token}` };

    // A billing key for `again`, and a paid payment for the look-up, made through our proxy.
    const post = (base, path, body, extra = {}) => fetch(base + path, { method: "POST", headers: { "content-type": "application/json", ...extra }, body: JSON.stringify(body) });
    const session = { "x-bench-session": "edge" };
    const setup = [
      ["/iamport/subscribe/customers/edge_cust", { card_number: "4111 1111 1111 1111", expiry: "12/30", birth: "820213", pwd_2digit: "12" }],
      ["/iamport/subscribe/payments/again", { customer_uid: "edge_cust", merchant_uid: "edge_paid", amount: 1000, name: "edge bench" }],
    ];
    for (const [path, body] of setup) {
      const res = await post(urls.ours, path, body, session);
      const j = await res.json();
      if (res.status !== 200 || j.code !== 0) throw new Error(`setup ${path}: ${res.status} ${JSON.stringify(j)}`);
    }

    let seq = 0;
    const uid = () => `edge_${process.pid}_${seq++}`;
    const kinds = {
      "look-up `GET /iamport/payments/find/{uid}`": {
        ours: () => fetch(urls.ours + "/iamport/payments/find/edge_paid", { headers: session }),
        plain: () => fetch(urls.plain + "/iamport/payments/find/edge_paid", { headers: session }),
        direct: () => fetch(sb.url + "/payments/find/edge_paid", { headers: bearer }),
      },
      "charge `POST /iamport/subscribe/payments/again` (validated body, new merchant_uid each)": {
        ours: () => post(urls.ours, "/iamport/subscribe/payments/again", { customer_uid: "edge_cust", merchant_uid: uid(), amount: 1000, name: "edge bench" }, session),
        plain: () => post(urls.plain, "/iamport/subscribe/payments/again", { customer_uid: "edge_cust", merchant_uid: uid(), amount: 1000, name: "edge bench" }, session),
        direct: () => post(sb.url, "/subscribe/payments/again", { customer_uid: "edge_cust", merchant_uid: uid(), amount: 1000, name: "edge bench" }, bearer),
      },
    };
    // Both proxies must give the same answer before anything is timed.
    for (const k of Object.values(kinds)) {
      const [a, b] = [await (await k.ours()).json(), await (await k.plain()).json()];
      if (a.code !== 0 || b.code !== 0 || a.response?.status !== "paid" || b.response?.status !== "paid") throw new Error(`proxies disagree: ${JSON.stringify(a)} / ${JSON.stringify(b)}`);
    }
    const getTokens0 = (await sb.stats()).routes?.["POST /users/getToken"];

    const TARGETS = ["ours", "plain", "direct"];
    for (const [label, k] of Object.entries(kinds)) {
      // Warm-up: tokens cached, JITs warm, connections open.
      for (let i = 0; i < 40; i++) for (const t of TARGETS) await timed(k[t], 200);
      for (const t of TARGETS) await parallel(k[t], 200, 4 * CONCURRENCY, CONCURRENCY);
      // Sequential, interleaved one request at a time (rotating order).
      const s = { ours: [], plain: [], direct: [] };
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < 3; j++) {
          const t = TARGETS[(i + j) % 3];
          s[t].push(await timed(k[t], 200));
        }
      }
      // Concurrency 16, interleaved in rounds of 64 requests per target.
      const c = { ours: [], plain: [], direct: [] };
      const wall = { ours: 0, plain: 0, direct: 0 };
      const round = 4 * CONCURRENCY;
      for (let r = 0; r * round < n; r++) {
        for (let j = 0; j < 3; j++) {
          const t = TARGETS[(r + j) % 3];
          const p = await parallel(k[t], 200, Math.min(round, n - r * round), CONCURRENCY);
          c[t].push(...p.lat);
          wall[t] += p.wall;
        }
      }
      out[label] = { s, c, wall };
    }
    const stats = await sb.stats();
    out.getTokens = { before: getTokens0, after: stats.routes?.["POST /users/getToken"] };
  } finally {
    await mf?.dispose();
  }
  return out;
}

/**
 * Load cost: fresh miniflare instances with K copies of one worker, alternating the two
 * workers; the slope over K separates the per-worker cost from workerd's own start-up.
 */
async function loadCost(n, upstream, wasmBytes) {
  const reps = n >= 300 ? 9 : 3;
  const times = Object.fromEntries(KS.map((k) => [k, { ours: [], plain: [] }]));
  await startup("plain", 1, upstream, wasmBytes, "warm"); // the first start pays disk caches etc.
  for (let r = 0; r < reps; r++) {
    for (const k of KS) {
      for (const kind of r % 2 ? ["ours", "plain"] : ["plain", "ours"]) {
        times[k][kind].push(await startup(kind, k, upstream, wasmBytes, `r${r}`));
      }
    }
  }
  return { reps, times, node: await nodeInstantiate(wasmBytes, 9) };
}

function render(n, out, load, wasmSize) {
  const row = (name, xs) => `| ${name} | ${f2(q(xs, 0.5))} | ${f2(q(xs, 0.9))} | ${f2(Math.min(...xs))} | ${f2(Math.max(...xs))} |`;
  let md = `## Edge overhead (miniflare/workerd)
Goal (issue 8): p50 of our proxy ≤ 1.10 × a hand-written plain-JS proxy.

Method: one miniflare (workerd ${readVersion("workerd")}, miniflare ${readVersion("miniflare")}) runs two workers
side by side against one local sandbox (\`target/debug/iamport-sandbox\`, a debug build):
(a) \`createProxy({ allowedOrigins, authorize, resolveAmount })\` from the package, as a
merchant must deploy it (a header session check over every uid, and a price table), and
(b) a hand-written plain-JS proxy (\`PLAIN\` in \`bench/edge.mjs\`: origin check, the same
route allow-list, JSON-only bounded body parsed and checked for the required fields, the
same two hooks awaited, one cached token per isolate with single-flight refresh, forward
with a timeout, the answer passed on as JSON with nosniff/no-store; no wasm). Each worker is reached on its own socket
(miniflare's \`unsafeDirectSockets\`, no entry worker in between); "direct" is the same
request sent straight to the sandbox with a bearer token, for reference. After a warm-up
(token cached, ${out.getTokens.after === out.getTokens.before ? "no getToken during the timed runs" : "getToken calls seen during the timed runs"}), ${n} requests per target per mode: sequential ones
interleaved one at a time in rotating order, then concurrency ${CONCURRENCY} in alternating rounds
of ${4 * CONCURRENCY} requests per target. Latency is from \`fetch\` to the end of the body, in
the Node client (ms); client, workerd and sandbox share the machine's ${cpusCount()} cores.
`;
  for (const [label, { s, c, wall }] of Object.entries(out)) {
    if (label === "getTokens") continue;
    md += `\n### ${label}\n| mode | target | p50 ms | p90 ms | min ms | max ms | req/s |\n|---|---|---|---|---|---|---|\n`;
    for (const [mode, d, w] of [["sequential", s, null], [`concurrency ${CONCURRENCY}`, c, wall]]) {
      for (const [t, name] of [["ours", "our proxy (wasm)"], ["plain", "plain-JS proxy"], ["direct", "sandbox direct"]]) {
        const rps = w ? (d[t].length / (w[t] / 1000)).toFixed(0) : "";
        md += row(`${mode} | ${name}`, d[t]).replace(/ \|$/, ` | ${rps} |`) + "\n";
      }
    }
    md += `\n| mode | p50 ratio ours/JS | p50 added over direct: ours / JS (ms) |\n|---|---|---|\n`;
    for (const [mode, d] of [["sequential", s], [`concurrency ${CONCURRENCY}`, c]]) {
      const [o, p, x] = [q(d.ours, 0.5), q(d.plain, 0.5), q(d.direct, 0.5)];
      md += `| ${mode} | **${(o / p).toFixed(2)}** | ${f2(o - x)} / ${f2(p - x)} |\n`;
    }
  }
  const { reps, times, node } = load;
  const m = (k, kind, f) => median(times[k][kind].map((t) => t[f]));
  // Least-squares slope of the medians over K: ms per additional worker.
  const slope = (kind, f) => {
    const xs = KS, ys = KS.map((k) => m(k, kind, f));
    const mx = xs.reduce((a, b) => a + b) / xs.length, my = ys.reduce((a, b) => a + b) / ys.length;
    return xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  };
  const cell = (k, kind) => `${m(k, kind, "ready").toFixed(0)} / ${m(k, kind, "answered").toFixed(0)}`;
  const diff = (k, f) => ((m(k, "ours", f) - m(k, "plain", f)) / k).toFixed(1);
  const sl = (kind, f) => slope(kind, f).toFixed(1);
  md += `
### Loading the wasm in workerd
workerd's clocks do not advance during synchronous code, so this is timed from outside:
a fresh miniflare is started with K copies of one worker and timed from \`new Miniflare\` until
\`mf.ready\` ("ready") and until every copy has answered one request that its checks refuse
("answered": a \`POST …/again\` with a negative amount, 400, no upstream, no token). The
difference between the wasm worker and the plain-JS worker is what the package costs a new
isolate: compiling the ${(wasmSize / 1024).toFixed(0)} KiB server wasm, instantiating it, evaluating the glue,
and (in "answered") the first request's lazily compiled functions. Each wasm copy carries a
distinct custom section so that no engine cache shares a compilation between copies. Median of
${reps} starts per cell, the two workers alternating; the last row is the least-squares slope over
K of those medians (ms per additional worker), which removes workerd's fixed start-up cost.

| K workers | plain-JS worker: ready / answered ms | wasm worker: ready / answered ms | wasm cost per worker: ready / answered ms |
|---|---|---|---|
${KS.map((k) => `| ${k} | ${cell(k, "plain")} | ${cell(k, "ours")} | ${diff(k, "ready")} / ${diff(k, "answered")} |`).join("\n")}
| slope per worker | ${sl("plain", "ready")} / ${sl("plain", "answered")} | ${sl("ours", "ready")} / ${sl("ours", "answered")} | **${(slope("ours", "ready") - slope("plain", "ready")).toFixed(1)} / ${(slope("ours", "answered") - slope("plain", "answered")).toFixed(1)}** |

For reference, in Node ${process.version} (V8, the engine workerd embeds, though an older version; lazy wasm
compilation is on by default): \`new WebAssembly.Module\` ${f2(node.compile)} ms, then instantiation with
the glue (\`initSync\`: imports, \`new WebAssembly.Instance\`, start) ${f2(node.inst)} ms; importing the
glue module itself ${f2(node.imp)} ms (median of 9, fresh bytes and a fresh glue module each time).
`;
  return md;
}

function readVersion(p) {
  try {
    return JSON.parse(readFileSync(new URL(`../node_modules/${p}/package.json`, import.meta.url))).version;
  } catch {
    return "?";
  }
}

function cpusCount() {
  return cpus().length;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const n = Number(process.argv[2] ?? 300);
  const md = await edgeSection(n);
  console.log(md);
  process.exit(0);
}
