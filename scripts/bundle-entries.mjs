// Bundles each browser entry of the built package, in place, into one self-contained ES
// module with esbuild: index.js (with wasm-bindgen's glue iamport_keyin.js, facade.js,
// fast.js and clients.js) and checks.js (with checks/iamport_keyin.js and facade.js). A
// page that loads plain ESM then makes one request for the JS instead of five (three),
// and the modules share one scope: 780 B less gzip on the main entry, 320 B on the
// checks-only one (bench/size-check.mjs: each file minified and compressed on its own).
// Not minified here (a bundler, or a page's build, minifies), and not downleveled. The
// separate files still ship: the server entries import facade.js, fast.js, clients.js
// and server/iamport_keyin.js, and the typings re-export the glue's.
//
// The entries load their wasm with facade.js's `loader` (over the glue's `initSync`), not
// with the glue's own async loader (its default export), so the glue is bundled without
// that export: its loader, and its default URL of the wasm, are then left out (280 B
// gzip per entry). The only `import.meta` left is the entry's own URL of its wasm
// (`checks/iamport_keyin_bg.wasm` for checks.js).
//
// Usage: node scripts/bundle-entries.mjs DIR   (DIR: the package, pkg/ or target/pkg-trap/)
// Fails loudly (and build-pkg.sh with it) if the glue's export line is not found exactly
// once, or if a bundle is not self-contained (an import left, an export lost, an
// `import.meta` other than the wasm's URL).
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const dir = resolve(process.argv[2] ?? "");
const fail = (why) => {
  console.error(`bundle-entries: ${why}`);
  process.exit(1);
};
if (process.argv.length !== 3) fail("usage: node scripts/bundle-entries.mjs DIR");

const GLUE_EXPORTS = "export { initSync, __wbg_init as default };";
// wasm-bindgen's `initSync`: unpacks `{ module }`, warns for anything else, compiles
// bytes, instantiates. Replaced by the same without the warning (checked by its shape:
// the build fails if a wasm-bindgen upgrade changes it).
const INIT_SYNC = /^function initSync\(module\) \{\n    if \(wasm !== undefined\) return wasm;\n\n\n    if \(module !== undefined\) \{\n        if \(Object\.getPrototypeOf\(module\) === Object\.prototype\) \{\n            \(\{module\} = module\)\n        \} else \{\n            console\.warn\('[^'\n]*'\)\n        \}\n    \}\n\n    const imports = __wbg_get_imports\(\);\n    if \(!\(module instanceof WebAssembly\.Module\)\) \{\n        module = new WebAssembly\.Module\(module\);\n    \}\n    const instance = new WebAssembly\.Instance\(module, imports\);\n    return __wbg_finalize_init\(instance, module\);\n\}\n/m;
const OWN_INIT_SYNC = `function initSync(module) {
    if (wasm !== undefined) return wasm;
    if (Object.getPrototypeOf(module) === Object.prototype) ({ module } = module);
    if (!(module instanceof WebAssembly.Module)) module = new WebAssembly.Module(module);
    return __wbg_finalize_init(new WebAssembly.Instance(module, __wbg_get_imports()), module);
}
`;
const ENTRIES = [
  { entry: "index.js", glue: "iamport_keyin.js", wasm: "iamport_keyin_bg.wasm" },
  { entry: "checks.js", glue: "checks/iamport_keyin.js", wasm: "checks/iamport_keyin_bg.wasm" },
];
const count = (text, what) => text.split(what).length - 1;
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

for (const { entry, glue, wasm } of ENTRIES) {
  const entryFile = join(dir, entry);
  const glueFile = join(dir, glue);
  // The entry's own exports and imports, from esbuild's reading of it alone.
  const alone = await build({ entryPoints: [entryFile], bundle: true, external: ["*"], write: false, metafile: true, format: "esm", logLevel: "error" })
    .catch((e) => fail(`${entry}: esbuild failed: ${e.message}`));
  const exported = Object.values(alone.metafile.outputs)[0].exports.sort();
  const imported = Object.values(alone.metafile.inputs)[0].imports.map((i) => i.path);
  if (!imported.includes(`./${glue}`)) fail(`${entry}: does not import ./${glue} (already bundled?); it imports ${imported.join(", ") || "nothing"}`);

  let glueLoaded = false;
  const rewrite = {
    name: "glue-without-its-loader",
    setup(b) {
      b.onLoad({ filter: new RegExp(`^${escape(glueFile)}$`) }, () => {
        const js = readFileSync(glueFile, "utf8");
        const found = count(js, GLUE_EXPORTS);
        if (found !== 1) fail(`${glue}: found ${found} times \`${GLUE_EXPORTS}\`, wasm-bindgen's export of its loader, expected once`);
        glueLoaded = true;
        // Its `initSync`, without the warning that the module alone (not `{ module }`)
        // is deprecated: the entries' `initSync` takes either (their typings say so),
        // and the warning's text was 50 B of gzip per entry.
        const sync = js.match(INIT_SYNC);
        if (sync === null || count(js, "console.warn('using deprecated parameters for `initSync()`") !== 1) fail(`${glue}: wasm-bindgen's initSync not found as expected (${INIT_SYNC})`);
        return { contents: js.replace(GLUE_EXPORTS, () => "export { initSync };").replace(INIT_SYNC, () => OWN_INIT_SYNC), loader: "js" };
      });
    },
  };
  const result = await build({
    entryPoints: [entryFile],
    absWorkingDir: dir, // the comments that name each module's file: relative to the package
    bundle: true,
    write: false,
    metafile: true,
    format: "esm",
    platform: "neutral",
    minify: false,
    logLevel: "error",
    banner: { js: `// iamport-keyin's ${entry}: built by scripts/build-pkg.sh, one ES module bundling pkg-template/${entry} with what it imports (each module follows its file's name below).` },
    plugins: [rewrite],
  }).catch((e) => fail(`${entry}: esbuild failed: ${e.message}`));
  if (!glueLoaded) fail(`${entry}: the bundle does not hold ${glue}`);
  const [out] = result.outputFiles;
  const meta = Object.values(result.metafile.outputs)[0];
  const js = out.text;
  // Self-contained: nothing imported, statically or dynamically.
  if (meta.imports.length > 0) fail(`${entry}: the bundle still imports ${meta.imports.map((i) => i.path).join(", ")}`);
  const left = js.match(/^\s*(?:import|export)\b[^;]*?\bfrom\s*["'`][^"'`]*["'`]|^\s*import\s*["'`][^"'`]*["'`]|(?<![\w$.])import\s*\(/gm);
  if (left) fail(`${entry}: the bundle still imports: ${left.map((s) => s.trim()).join(", ")}`);
  // Its only `import.meta` is the wasm's URL, now relative to the entry.
  const urls = js.match(new RegExp(`new URL\\((["'])${escape(wasm)}\\1, import\\.meta\\.url\\)`, "g")) ?? [];
  if (urls.length !== 1 || count(js, "import.meta") !== 1) fail(`${entry}: expected one \`import.meta\`, in the URL of ${wasm}; found ${count(js, "import.meta")}, ${urls.length} in that URL`);
  // The same exports as the entry.
  const bundled = meta.exports.sort();
  if (bundled.join() !== exported.join()) fail(`${entry}: the bundle exports ${bundled.join(", ")}; the entry ${exported.join(", ")}`);
  writeFileSync(entryFile, js);
}
