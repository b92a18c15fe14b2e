// `node bench/runtimes.mjs` → the "Cold start per runtime" section of BENCHMARKS.md
// (between its markers; bench/run.mjs keeps it when it rewrites the file). The packed
// tarball, installed as a consumer would, in a new process per run: import the package
// (each runtime's own entry), check a card, create the proxy. Each figure is the median
// of 9 runs minus the same runtime's empty script.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { writeSection } from "./sections.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const out = join(root, "bench", ".out", "runtimes");
const RUNS = 9;
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const run = (cmd, args) => execFileSync(cmd, args, { cwd: out, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", out, join(root, "pkg")]));
writeFileSync(join(out, "package.json"), JSON.stringify({ name: "bench-runtimes", private: true, type: "module" }));
run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", `./${packed[0].filename}`]);
writeFileSync(join(out, "empty.mjs"), "");
writeFileSync(
  join(out, "cold.mjs"),
  `import { checkCardNumber, createProxy } from "iamport-keyin";
if (!checkCardNumber("4111 1111 1111 1111").isValid) throw new Error("check");
createProxy({ authorize: () => false, operations: ["findPayment"] });
`,
);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(cmd, args) {
  const ms = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd: out, env: { ...process.env, DENO_NO_UPDATE_CHECK: "1" }, stdio: "ignore" });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}`);
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(ms);
}
const { runtimeBinary } = await import("../tests/js/harness.mjs");
const DENO = runtimeBinary("deno");
const BUN = runtimeBinary("bun");
const rows = [
  ["Node 20 (node entry: reads the .wasm file)", process.execPath, []],
  ["Deno 2.9 (deno entry: a source-phase wasm import; no read permission)", DENO, ["run", "--no-prompt"]],
  ["Bun 1.4 (node entry)", BUN, ["run"]],
].map(([name, cmd, pre]) => {
  const base = time(cmd, [...pre, "empty.mjs"]);
  const cold = time(cmd, [...pre, "cold.mjs"]);
  return `| ${name} | ${base.toFixed(0)} | ${cold.toFixed(0)} | ${(cold - base).toFixed(0)} |`;
});

// Vercel's Edge Runtime runs in this process: a new runtime per run, evaluating the
// edge-light bundle (the wasm handed over compiled, as Vercel does).
const { EdgeRuntime } = await import("edge-runtime");
const esbuild = await import("esbuild");
const wasmModule = new WebAssembly.Module(readFileSync(join(out, "node_modules/iamport-keyin/server/iamport_keyin_bg.wasm")));
const bundle = await esbuild.build({
  stdin: { contents: readFileSync(join(out, "cold.mjs"), "utf8"), resolveDir: out, loader: "js" },
  bundle: true,
  format: "iife",
  write: false,
  platform: "neutral",
  conditions: ["edge-light"],
  mainFields: ["module", "main"],
  plugins: [{ name: "wasm-module", setup(b) {
    b.onResolve({ filter: /\.wasm\?module$/ }, (a) => ({ path: a.path, namespace: "wasm-module" }));
    b.onLoad({ filter: /.*/, namespace: "wasm-module" }, () => ({ contents: "export default globalThis.__wasmModule;", loader: "js" }));
  } }],
});
const edge = (code) => {
  const ms = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    new EdgeRuntime({ initialCode: code, codeGeneration: { strings: false, wasm: false }, extend: (c) => Object.assign(c, { __wasmModule: wasmModule }) });
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(ms);
};
const edgeBase = edge("");
const edgeCold = edge(bundle.outputFiles[0].text);
rows.push(`| Vercel Edge Runtime 4 (edge-light entry, wasm compiled ahead as on Vercel; in-process) | ${edgeBase.toFixed(0)} | ${edgeCold.toFixed(0)} | ${(edgeCold - edgeBase).toFixed(0)} |`);

const section = `<!-- runtimes:begin (bench/runtimes.mjs) -->
## Cold start per runtime (ms; median of ${RUNS})
A new process (or Edge Runtime context) per run: import the packed package through that
runtime's own export condition, check a card, create the proxy. "Ours" is the whole run
minus the same runtime's empty script. Measured ${new Date().toISOString().slice(0, 10)}.

| runtime | empty script | with iamport-keyin | ours |
|---|---|---|---|
${rows.join("\n")}
<!-- runtimes:end -->
`;
writeSection("runtimes", section);
console.log(section);
