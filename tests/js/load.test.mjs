// Load: 1,000 requests at concurrency 50 through the proxy (miniflare) — 0 errors,
// 1 getToken, no memory growth in workerd across a second run — 100k field
// checks in a browser page with no heap growth, and no wasm memory growth over 100k
// allocating calls in each browser build.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { CHROMIUM } from "./chromium.mjs";
import { Miniflare } from "miniflare";
import { startSandbox, startProxy, CREDS } from "./harness.mjs";
import { serveStatic } from "../../scripts/static-server.mjs";

let sb;
let px;
let pxPids;
const workerdPids = () => {
  try {
    return execFileSync("pgrep", ["-f", "workerd serve"], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
  } catch {
    return [];
  }
};
before(async () => {
  sb = await startSandbox(["--quiet"]);
  const known = new Set(workerdPids());
  px = await startProxy(sb.url);
  pxPids = workerdPids().filter((p) => !known.has(p));
});
after(async () => {
  await px?.stop();
  await sb?.stop();
});

/** Resident memory (kB) of the given workerd processes. */
function rssKb(pids) {
  let total = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      total += m ? Number(m[1]) : 0;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/**
 * Records each WebAssembly instance made from now on (`new WebAssembly.Instance`,
 * `WebAssembly.instantiate`, `WebAssembly.instantiateStreaming`: how wasm-bindgen's glue
 * makes one, at init and at a reinit after a trap). `memoryBytes()` answers the byte
 * length of the most recent one's memory: the instance a browser entry uses, whose glue
 * is bundled into it (scripts/bundle-entries.mjs) and cannot be imported beside it.
 * `restore()` puts the originals back. Runs in Node and, from its source, in a page.
 */
function trackInstances() {
  const W = globalThis.WebAssembly;
  const { Instance, instantiate, instantiateStreaming } = W;
  let latest = null;
  const got = (r) => {
    latest = r instanceof Instance ? r : r.instance;
    return r;
  };
  W.Instance = new Proxy(Instance, { construct: (target, args) => got(Reflect.construct(target, args)) });
  W.instantiate = (...args) => instantiate.apply(W, args).then(got);
  W.instantiateStreaming = (...args) => instantiateStreaming.apply(W, args).then(got);
  return {
    memoryBytes() {
      if (!latest) throw new Error("no WebAssembly instance was made");
      // The export's name is minified (scripts/minify-names.mjs): found by its type.
      const memories = Object.values(latest.exports).filter((v) => v instanceof W.Memory);
      if (memories.length !== 1) throw new Error(`the instance exports ${memories.length} memories, expected 1`);
      return memories[0].buffer.byteLength;
    },
    restore() {
      Object.assign(W, { Instance, instantiate, instantiateStreaming });
    },
  };
}

async function burst(n, concurrency, tag, base = px.url) {
  let next = 0;
  const statuses = new Map();
  async function worker() {
    while (next < n) {
      const i = next++;
      const r = await fetch(`${base}/iamport/payments/find/${tag}_${i}`);
      await r.arrayBuffer();
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return Object.fromEntries(statuses);
}

/** A hand-written JS forwarding worker: the yardstick for workerd's own growth. */
async function startBaseline() {
  const t = await (await fetch(`${sb.url}/users/getToken`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(CREDS) })).json();
  const known = new Set(workerdPids());
  const mf = new Miniflare({
    modules: true,
    script: `export default { async fetch(req, env) {
      const ac = new AbortController(); const timer = setTimeout(() => ac.abort(), 25000);
      try {
        const r = await fetch(env.API + new URL(req.url).pathname.replace("/iamport", ""), { headers: { authorization: "Bearer " + env.TOKEN }, signal: ac.signal });
        return new Response(await r.text(), { status: r.status, headers: { "content-type": "application/json" } });
      } finally { clearTimeout(timer); }
    } }`,
    compatibilityDate: "2025-09-01",
    cf: false,
    bindings: { API: sb.url, TOKEN: t.response.access_token },
  });
  const url = (await mf.ready).toString().replace(/\/$/, "");
  return { mf, url, pids: workerdPids().filter((p) => !known.has(p)) };
}

test("1,000 requests at concurrency 50: 0 errors, 1 getToken, no memory growth beyond workerd's own", async () => {
  const tokensBefore = (await sb.stats()).routes["POST /users/getToken"] ?? 0;
  const first = await burst(1000, 50, "load_a");
  assert.deepEqual(first, { 404: 1000 }, "every look-up answered (404: no such payment), no 5xx");
  const tokens = (await sb.stats()).routes["POST /users/getToken"] - tokensBefore;
  assert.equal(tokens, 1);
  const rss1 = rssKb(pxPids);
  const wasm1 = await px.wasmMemory();
  assert.deepEqual(await burst(1000, 50, "load_b"), { 404: 1000 });
  const ours = rssKb(pxPids) - rss1;
  // The proxy's own heap (the wasm linear memory, which never shrinks): not one page more.
  const wasm2 = await px.wasmMemory();
  console.log(`proxy wasm memory: ${wasm1} B after 1,000 requests, ${wasm2} B after 1,000 more`);
  assert.equal(wasm2, wasm1, "the wasm heap grew across 1,000 more requests");
  // workerd (in miniflare's dev mode) grows by itself under load; compare with a plain JS worker.
  const base = await startBaseline();
  try {
    assert.deepEqual(await burst(1000, 50, "base_a", base.url), { 404: 1000 });
    const b1 = rssKb(base.pids);
    assert.deepEqual(await burst(1000, 50, "base_b", base.url), { 404: 1000 });
    const theirs = rssKb(base.pids) - b1;
    console.log(`RSS growth over 1,000 more requests: proxy ${ours} kB, plain JS worker ${theirs} kB`);
    // A gross leak (e.g. 100 kB a request: ~100 MB here) fails this; workerd's own noise does not.
    assert.ok(ours <= theirs * 2 + 16 * 1024, `the proxy grew ${ours} kB, the plain worker ${theirs} kB`);
  } finally {
    await base.mf.dispose();
  }
});

test("100k field checks in a page: no heap growth", async () => {
  const server = await serveStatic({ "/pkg/": new URL("../../pkg", import.meta.url).pathname, "/": new URL("../consumer", import.meta.url).pathname });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--js-flags=--expose-gc", "--enable-precise-memory-info"],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/index.html`).catch(() => {});
    const r = await page.evaluate(async (track) => {
      const instances = new Function(`return (${track})`)()(); // before init: it sees the instance index.js makes
      const k = await import("/pkg/index.js");
      await k.init();
      const inputs = ["4111 1111 1111 1111", "4111-1111-1111-1112", "12/28", "820213", "1168200276", "3782 822463 10005", "x", ""];
      const round = () => {
        for (let i = 0; i < 50_000; i++) {
          const s = inputs[i % inputs.length];
          k.checkCardNumber(s);
          k.checkExpiry(s);
        }
      };
      const heap = () => {
        globalThis.gc();
        return performance.memory.usedJSHeapSize;
      };
      const wasm = () => instances.memoryBytes(); // the instance index.js uses
      round();
      const h1 = heap();
      const w1 = wasm();
      round();
      const h2 = heap();
      return { h1, h2, w1, w2: wasm() };
    }, trackInstances.toString());
    console.log(`page heap after 100k checks: ${r.h1} B, after 100k more: ${r.h2} B (Δ ${r.h2 - r.h1} B)`);
    assert.ok(r.h2 - r.h1 < 2 * 1024 * 1024, `heap grew by ${r.h2 - r.h1} B`);
    console.log(`page wasm memory: ${r.w1} B, then ${r.w2} B`);
    assert.equal(r.w2, r.w1, "the wasm heap grew");
  } finally {
    await browser.close();
    server.close();
  }
});

test("100k allocating calls in each browser build: the wasm memory stops growing (freed blocks are reused, no externref slot leaks)", async () => {
  // Every call here takes a path that allocates (the full path of the checks, the
  // builders, the decoders), in sizes that vary with the input, so that freed blocks
  // must be reused and merged, not only appended; and the calls that once left an
  // externref slot behind each time (a decoder without options, a body that is not
  // JSON: src/js/convert.rs) are among them. Run in Node (the same wasm).
  const main = await import("../../pkg/index.js");
  const checks = await import("../../pkg/checks.js");
  const long = (n) => "4111 ".repeat(n);
  const round = (k, withBuilders) => {
    for (let i = 0; i < 50_000; i++) {
      const number = i % 7 === 0 ? long(1 + (i % 40)) : `4111 1111 1111 ${String(1000 + (i % 9000))}`;
      k.checkCard({ card_number: number, expiry: "12/30", birth: i % 2 ? "820213" : "1168200276", pwd_2digit: "12" }, { today: "2026-12-06" });
      k.formatFieldInput("card_number", number, i % 20, number.slice(1), "insertText");
      k.maskCardNumber(number);
      if (withBuilders) {
        k.buildOnetimePayment({ merchant_uid: `m${i}`, amount: 1000 + i, card_number: number, expiry: "12/30", birth: "820213", pwd_2digit: "12", name: "x".repeat(i % 100) });
        const body = { code: 0, message: null, response: { imp_uid: `imp_${i}`, merchant_uid: `m${i}`, status: "paid", amount: 1000, currency: "KRW" } };
        assert.equal(k.decodeOutcome(200, body).status, "paid");
        assert.equal(k.decodeOutcome(200, JSON.stringify(body), { expectedAmount: 1000 }).status, "paid");
        assert.equal(k.decodeCustomer(502, "<html>Bad gateway</html>").ok, false);
      }
    }
  };
  for (const [name, k, wasmFile, withBuilders] of [["iamport-keyin", main, "pkg/iamport_keyin_bg.wasm", true], ["iamport-keyin/checks", checks, "pkg/checks/iamport_keyin_bg.wasm", false]]) {
    const module = readFileSync(new URL(`../../${wasmFile}`, import.meta.url));
    // Synchronous from here to the measure: the most recent instance is the entry's.
    const instances = trackInstances();
    let w1, w2;
    try {
      k.initSync({ module });
      round(k, withBuilders);
      w1 = instances.memoryBytes();
      round(k, withBuilders);
      w2 = instances.memoryBytes();
    } finally {
      instances.restore();
    }
    console.log(`${name}: wasm memory after 50k rounds of calls ${w1} B, after 50k more ${w2} B`);
    assert.equal(w2, w1, `${name}: the wasm memory grew by ${w2 - w1} B in the second round`);
  }
});
