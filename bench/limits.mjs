// `node bench/limits.mjs [N]` → the "Card-testing limits: added latency" section of
// BENCHMARKS.md (between its markers; bench/run.mjs keeps it when it rewrites the file).
// One miniflare (workerd) with three copies of the same proxy against one sandbox: the
// limits off, on in the isolate's memory, and on in the KeyinLimiter Durable Object. Each
// round sends one payOnetime (card data: the limited path) to each, in rotating order,
// one at a time; the median per variant over N rounds, and its ratio to "off".
// Needs pkg/ and target/debug/iamport-sandbox.
import { cpus } from "node:os";
import { Miniflare } from "miniflare";
import { writeSection } from "./sections.mjs";
import { startSandbox, packageModules, CREDS } from "../tests/js/harness.mjs";

const N = Number(process.argv[2] ?? 300);

const worker = (limits) => `import { createProxy, KeyinLimiter } from "iamport-keyin";
export { KeyinLimiter };
export default createProxy({
  authorize: () => true,
  resolveAmount: (priced) => priced.amount,
  limits: ${limits},
});`;

const sb = await startSandbox(["--quiet"]);
const bindings = { IMP_KEY: CREDS.imp_key, IMP_SECRET: CREDS.imp_secret, IAMPORT_API_URL: sb.url };
const variant = (name, limits, durable) => ({
  name,
  modules: [{ type: "ESModule", path: "worker.mjs", contents: worker(limits) }, ...packageModules()],
  compatibilityDate: "2025-09-01",
  bindings,
  ...(durable ? { durableObjects: { KEYIN_LIMITER: { className: "KeyinLimiter", useSQLite: true } } } : {}),
});
const mf = new Miniflare({
  cf: false,
  workers: [variant("off", "false", false), variant("memory", "{}", false), variant("durable", "{}", true)],
});
await mf.ready;
const names = ["off", "memory", "durable"];
const workers = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await mf.getWorker(n)])));

let seq = 0;
async function once(w, i) {
  // A new address every 10 rounds keeps every scope under its limits (this measures the
  // cost of counting, not of refusing).
  const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${Math.floor(i / 10) & 255}`;
  const t0 = performance.now();
  const res = await w.fetch("http://shop.test/iamport/subscribe/payments/onetime", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": ip },
    body: JSON.stringify({ merchant_uid: `bl_${Date.now() % 1e8}_${seq++}`, amount: 1000, name: "bench", card_number: "4111 1111 1111 1111", expiry: "12/30", birth: "820213", pwd_2digit: "12" }),
  });
  const body = await res.json();
  const ms = performance.now() - t0;
  if (res.status !== 200 || body.response?.status !== "paid") throw new Error(`${res.status} ${JSON.stringify(body)}`);
  return ms;
}

// Warm-up: token, wasm, the object.
for (let i = 0; i < 20; i++) for (const n of names) await once(workers[n], i);
const times = Object.fromEntries(names.map((n) => [n, []]));
for (let i = 0; i < N; i++) {
  for (let j = 0; j < names.length; j++) {
    const n = names[(i + j) % names.length];
    times[n].push(await once(workers[n], 1000 + i));
  }
}
await mf.dispose();
await sb.stop();

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
};
const p90 = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length * 0.9)];
const off = median(times.off);
const row = (label, n) => `| ${label} | ${median(times[n]).toFixed(2)} | ${p90(times[n]).toFixed(2)} | ${(median(times[n]) / off).toFixed(2)} | ${(median(times[n]) - off).toFixed(2)} |`;
const section = `<!-- limits:begin (bench/limits.mjs) -->
## Card-testing limits: added latency per request (ms; one run, ${N} rounds)
One miniflare (workerd) and one sandbox on this machine (${cpus().length} cores): the same
proxy three times, a payOnetime with card data (the limited path) to each per round, one
request at a time, in rotating order. The request's whole round trip through the proxy
to the sandbox and back. Measured ${new Date().toISOString().slice(0, 10)}.

| proxy | median | p90 | ratio to off | added (median) |
|---|---|---|---|---|
${row("limits: false", "off")}
${row("limits on, the isolate's memory", "memory")}
${row("limits on, the KeyinLimiter Durable Object (local; deployed, add the distance to the object)", "durable")}
<!-- limits:end -->
`;
writeSection("limits", section);
console.log(section);
