// Fails when the browser build's gzip -9 size passes bench/size-budget.json.
// Prints gzip and brotli sizes per file, as measured.
import { readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const root = new URL("../", import.meta.url);
const budget = JSON.parse(readFileSync(new URL("bench/size-budget.json", root))).gzipBytes;
const files = ["pkg/iamport_keyin_bg.wasm", "pkg/iamport_keyin.js", "pkg/index.js", "pkg/facade.js"];

let raw = 0, gz = 0, br = 0;
for (const f of files) {
  const bytes = readFileSync(new URL(f, root));
  const g = gzipSync(bytes, { level: 9 }).length;
  const b = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  raw += bytes.length; gz += g; br += b;
  console.log(`${f.padEnd(28)} ${String(bytes.length).padStart(7)} B  gzip ${String(g).padStart(6)}  brotli ${String(b).padStart(6)}`);
}
console.log(`${"browser build".padEnd(28)} ${String(raw).padStart(7)} B  gzip ${String(gz).padStart(6)}  brotli ${String(br).padStart(6)}  (budget ${budget} gzip)`);
if (gz > budget) {
  console.error(`size budget exceeded: ${gz} > ${budget} bytes gzip`);
  process.exit(1);
}
