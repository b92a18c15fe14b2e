// Shortens the names between a wasm-bindgen glue and its wasm, as emscripten does for
// its own output: binaryen's `--minify-imports-and-exports-and-modules` renames every
// import (`./iamport_keyin_bg.js` / `__wbg_now_a2c24a254462f5d4`, each with a hash that
// no compressor can shrink) and every export to one or two letters, and prints the
// mapping; this script applies that mapping to the glue and to the typings that name
// the wasm's exports. The glue's own exports (what the entries import) keep their names.
//
// Usage: node scripts/minify-names.mjs MAP OLD_WASM NEW_WASM GLUE WASM_DTS GLUE_DTS
//   MAP: wasm-opt's output (the mapping JSON); OLD_WASM/NEW_WASM: before and after.
// Fails loudly (and build-pkg.sh with it) if the glue does not look as expected: every
// import must be a key of the glue's import object, every export the glue reads must be
// read as `wasm.NAME`, and none of the old names may be left.
import { readFileSync, writeFileSync } from "node:fs";

const [mapFile, oldWasm, newWasm, glueFile, wasmDts, glueDts] = process.argv.slice(2);
const fail = (why) => {
  console.error(`minify-names: ${glueFile}: ${why}`);
  process.exit(1);
};
const text = readFileSync(mapFile, "utf8");
const map = JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1));
const before = new WebAssembly.Module(readFileSync(oldWasm));
const after = new WebAssembly.Module(readFileSync(newWasm));
const oldModules = new Set(WebAssembly.Module.imports(before).map((i) => i.module));
const newModules = new Set(WebAssembly.Module.imports(after).map((i) => i.module));
if (oldModules.size > 1 || newModules.size > 1) fail(`expected one import module, found ${[...oldModules]} → ${[...newModules]}`);
if (map.imports.length !== WebAssembly.Module.imports(before).length) fail("the mapping does not list every import");
if (map.exports.length !== WebAssembly.Module.exports(before).length) fail("the mapping does not list every export");

let js = readFileSync(glueFile, "utf8");
// Imports: each is a key of the import object, `NAME: function(…) {…}`.
for (const [, name, short] of map.imports) {
  const key = new RegExp(`(?<![\\w$])${name}(?=: function)`, "g");
  const found = js.match(key)?.length ?? 0;
  if (found !== 1) fail(`import ${name}: ${found} keys in the import object, expected 1`);
  js = js.replace(key, () => short); // (a function: a short name may hold `$`)
}
// The import object's module key.
if (oldModules.size === 1) {
  const [from] = oldModules;
  const [to] = newModules;
  const key = `${JSON.stringify(from)}: import0`;
  if (js.split(key).length !== 2) fail(`the import object's key ${key} not found once`);
  js = js.replace(key, `${JSON.stringify(to)}: import0`);
}
// Exports: the glue reads them as `wasm.NAME`.
const exports = new Map(map.exports);
js = js.replace(/(?<![\w$])wasm\.([A-Za-z_$][\w$]*)/g, (m, name) => (exports.has(name) ? `wasm.${exports.get(name)}` : m));
// Nothing may name an old one any more: not an import, nor an export read another way
// (`instance.exports.NAME`, `["NAME"]`). Comments aside.
const code = js.replace(/^\s*(\/\/|\*|\/\*).*$/gm, "");
for (const [, name] of map.imports) if (code.includes(name)) fail(`the import ${name} is still named in the glue`);
for (const [name] of map.exports) {
  const other = new RegExp(`[.]${name.replace(/[$]/g, "\\$")}(?![\\w$])|["']${name.replace(/[$]/g, "\\$")}["']`);
  if (other.test(code)) fail(`the export ${name} is still read by name in the glue`);
}
writeFileSync(glueFile, js);

// The typings of the wasm's exports (`export const NAME: …`) and of init()'s answer
// (`readonly NAME: …`).
const rename = (file, pattern) => {
  const src = readFileSync(file, "utf8");
  writeFileSync(file, src.replace(pattern, (m, pre, name, post) => (exports.has(name) ? `${pre}${exports.get(name)}${post}` : m)));
};
rename(wasmDts, /^(export const )([\w$]+)(:)/gm);
rename(glueDts, /^(\s+readonly )([\w$]+)(:)/gm);
console.log(`minify-names: ${map.imports.length} imports and ${map.exports.length} exports renamed in ${glueFile}`);
