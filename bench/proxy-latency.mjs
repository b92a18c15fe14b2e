// The proxy's added latency: the same look-up sent N times directly to the sandbox
// and through the proxy (miniflare/workerd), sequentially, in one run.
// Usage: node bench/proxy-latency.mjs [N]   (needs pkg/ and target/debug/iamport-sandbox)
import { startSandbox, startProxy, CREDS } from "../tests/js/harness.mjs";

const n = Number(process.argv[2] ?? 300);
const sb = await startSandbox(["--quiet"]);
const px = await startProxy(sb.url);
try {
  const t = await fetch(sb.url + "/users/getToken", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(CREDS) }).then((r) => r.json());
  const auth = { authorization: `Bearer ${t.response.access_token}` };
  const time = async (f) => {
    const t0 = performance.now();
    await (await f()).arrayBuffer();
    return performance.now() - t0;
  };
  const direct = () => fetch(`${sb.url}/payments/find/bench`, { headers: auth });
  const proxied = () => px.fetch("/iamport/payments/find/bench");
  for (let i = 0; i < 30; i++) await time(direct), await time(proxied); // warm-up (token cached)
  const d = [], p = [];
  for (let i = 0; i < n; i++) {
    d.push(await time(direct));
    p.push(await time(proxied));
  }
  const q = (xs, f) => [...xs].sort((a, b) => a - b)[Math.floor(f * (xs.length - 1))];
  const fmt = (xs) => `p50 ${q(xs, 0.5).toFixed(2)} ms, p90 ${q(xs, 0.9).toFixed(2)} ms, min ${Math.min(...xs).toFixed(2)}, max ${Math.max(...xs).toFixed(2)}`;
  console.log(`requests: ${n} each, interleaved, sequential`);
  console.log(`direct to sandbox: ${fmt(d)}`);
  console.log(`through the proxy: ${fmt(p)}`);
  console.log(`added p50: ${(q(p, 0.5) - q(d, 0.5)).toFixed(2)} ms`);
} finally {
  await px.stop();
  await sb.stop();
}
