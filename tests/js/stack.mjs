// Starts the whole stack for the client suites (sandbox → proxy in miniflare),
// writes their URLs to the file given as argv[2], and runs until SIGTERM/SIGINT.
// The proxy allows exactly the wasm-bindgen-test page's origin, so the browser
// suites are cross-origin as in production.
import { writeFileSync } from "node:fs";
import { startSandbox, startProxy } from "./harness.mjs";

const out = process.argv[2];
const pageOrigin = `http://${process.env.WASM_BINDGEN_TEST_ADDRESS ?? "127.0.0.1:18931"}`;
// Not quiet, and every proxy event logged: the test command scans all output for card data.
const sb = await startSandbox(["--slow-ms", "3000"]);
sb.child.stderr.on("data", (d) => process.stderr.write(d));
const px = await startProxy(sb.url, { allowedOrigins: [pageOrigin], logAll: true });
writeFileSync(out, JSON.stringify({ proxy: `${px.url}/iamport`, sandbox: sb.url, pageOrigin }));
console.log(`stack: proxy ${px.url}/iamport → sandbox ${sb.url} (page origin ${pageOrigin})`);
let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  sb.child.kill("SIGTERM");
  await Promise.race([px.stop(), new Promise((r) => setTimeout(r, 3000))]);
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
