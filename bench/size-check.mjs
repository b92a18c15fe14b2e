// Fails when a browser build's gzip -9 size passes its budget in bench/size-budget.json:
// the main entry's (`iamport-keyin`) and the checks-only entry's (`iamport-keyin/checks`).
// A build is what a page loads: the .wasm, plus the entry's one JS file (scripts/build-pkg.sh
// bundles wasm-bindgen's glue, facade.js, and fast.js and clients.js for the main entry,
// into pkg/index.js and pkg/checks.js) minified by esbuild, as every bundler does and as
// the peer libraries are measured in BENCHMARKS.md. Prints gzip and brotli sizes per file.
import { readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { transformSync } from "esbuild";

const root = new URL("../", import.meta.url);
const budgets = JSON.parse(readFileSync(new URL("bench/size-budget.json", root)));
export const BROWSER_FILES = ["pkg/iamport_keyin_bg.wasm", "pkg/index.js"];
export const CHECKS_FILES = ["pkg/checks/iamport_keyin_bg.wasm", "pkg/checks.js"];

/** The bytes a page loads for `file`: the wasm as is, JS minified. */
export function shipped(file) {
  const bytes = readFileSync(new URL(file, root));
  return file.endsWith(".js") ? Buffer.from(transformSync(bytes.toString("utf8"), { minify: true, format: "esm", target: "es2020" }).code) : bytes;
}

export const gzip = (b) => gzipSync(b, { level: 9 }).length;
export const brotli = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

/** Prints a build's files and total; answers whether it is within `budget` (gzip bytes). */
function check(name, files, budget) {
  let raw = 0, gz = 0, br = 0;
  for (const f of files) {
    const bytes = shipped(f);
    const g = gzip(bytes);
    const b = brotli(bytes);
    raw += bytes.length; gz += g; br += b;
    console.log(`${f.padEnd(34)} ${String(bytes.length).padStart(7)} B  gzip ${String(g).padStart(6)}  brotli ${String(b).padStart(6)}${f.endsWith(".js") ? "  (minified)" : ""}`);
  }
  console.log(`${name.padEnd(34)} ${String(raw).padStart(7)} B  gzip ${String(gz).padStart(6)}  brotli ${String(br).padStart(6)}  (budget ${budget} gzip)`);
  if (gz > budget) console.error(`size budget exceeded: ${name}: ${gz} > ${budget} bytes gzip`);
  return gz <= budget;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const ok = [check("browser build", BROWSER_FILES, budgets.gzipBytes), check("checks build", CHECKS_FILES, budgets.checksGzipBytes)];
  if (ok.includes(false)) process.exit(1);
}
