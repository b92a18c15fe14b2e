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
// The same proxy from the trap-test build, whose instance traps right after it has
// forwarded a charge: the client must look the charge up, never report "nothing charged".
const trapPx = await startProxy(sb.url, {
  allowedOrigins: [pageOrigin],
  dir: new URL("../../target/pkg-trap/", import.meta.url),
  bindings: { IMP_KEY: "sandbox_key", IMP_SECRET: "sandbox_secret", IAMPORT_API_URL: sb.url, KEYIN_TEST_TRAP_AFTER_CHARGE: "1" },
});
writeFileSync(out, JSON.stringify({ proxy: `${px.url}/iamport`, trapProxy: `${trapPx.url}/iamport`, sandbox: sb.url, pageOrigin }));
console.log(`stack: proxy ${px.url}/iamport → sandbox ${sb.url} (page origin ${pageOrigin})`);
let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  sb.child.kill("SIGTERM");
  await Promise.race([Promise.all([px.stop(), trapPx.stop()]), new Promise((r) => setTimeout(r, 3000))]);
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
