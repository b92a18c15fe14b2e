// What each browser build's wasm is made of: the profile that explains its size.
//   node bench/profile.mjs   → the "profile" section of BENCHMARKS.md
// Each build (the main browser build, and the checks-only one) is built again with
// function names kept (cargo release, wasm-bindgen --keep-debug, wasm-opt with the
// package's flags and --debuginfo), then every function body and data segment is
// measured, raw and gzip -9 on its own, and put in one part by its name (rules in PARTS,
// first match wins). The names section is left out: the shipped wasm has none. A part's
// gzip is the sum of its items', each compressed alone, so it over-counts what the part
// costs in the whole file (shared strings compress together); the total row is the
// whole shipped file's. Twiggy reads the same names (`twiggy top` on the kept build).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { writeSection } from "./sections.mjs";

const root = new URL("../", import.meta.url).pathname;
const cargoToml = readFileSync(`${root}Cargo.toml`, "utf8");
const optFlags = JSON.parse(/^wasm-opt = (\[.*\])$/m.exec(cargoToml)[1]);
// The checks-only build's extra rustc flags, as scripts/build-pkg.sh has them.
const checksFlags = /^RUSTFLAGS="\$\{RUSTFLAGS:-\} ([^"]+)" CARGO_TARGET_DIR=target\/checks-size/m.exec(readFileSync(`${root}scripts/build-pkg.sh`, "utf8"))?.[1];
if (!checksFlags) throw new Error("bench/profile.mjs: the checks-only build's RUSTFLAGS line was not found in scripts/build-pkg.sh");

/** [part, test on the demangled name]; the first that matches takes the item. */
const PARTS = [
  ["data: messages, tables and panic text", (n) => n.startsWith("data ")],
  // (The checks-only build's `__run` and its closures inline most of its checks.)
  ["card checks and formatters", (n) => /iamport_keyin::card::|iamport_keyin::js::(checks|fast|surface|protocol)|^(check|format|mask|is_valid|card|__card|__expiry|__date|__tables|__message|__scratch|__memory|__run|__in|__out)\b/i.test(n) && !/build|decode|json/i.test(n)],
  ["request builders", (n) => /iamport_keyin::api::(build|body|lookup|plan|refund|request|read|value|model)|iamport_keyin::js::builders|^build/i.test(n)],
  ["response decoders", (n) => /iamport_keyin::api::(outcome|webhook)|iamport_keyin::js::decoders|^decode/i.test(n)],
  ["KeyinClient (options, the operation's steps, look-ups; its fetch and waits are drive.js's)", (n) => /iamport_keyin::client|keyinclient|task_next|web_sys|wasm_bindgen_futures|js_sys::futures/i.test(n)],
  ["JSON in and out, options, locale", (n) => /iamport_keyin::(json_out|json::|card::json|api::to_json|js::(convert|options|locale))|ToJson|iamport_keyin::api::json|serde|^(set|get)Locale|iamport_keyin::error/i.test(n)],
  ["core::fmt and panics", (n) => /core::fmt|::fmt::|panic|Formatter|std::|slice_index|slice_error|str::count/i.test(n)],
  ["allocator, Vec and String", (n) => /talc|alloc::|raw_vec|RawVec|::vec::|String|__rust_(alloc|dealloc|realloc)|memcpy|memset|memmove|memcmp/i.test(n)],
  ["wasm-bindgen glue and trap recovery", (n) => /wasm_bindgen|externref|__wbindgen|__wbg|iamport_keyin::recover|__adopt|__reinit|js_sys|start/i.test(n)],
  ["other", () => true],
];

function leb(b, i) {
  let r = 0, s = 0, x;
  do { x = b[i++]; r |= (x & 0x7f) << s; s += 7; } while (x & 0x80);
  return [r >>> 0, i];
}

/** Every function body and data segment of a wasm with a names section: [name, bytes]. */
function items(wasm) {
  const secs = [];
  for (let i = 8; i < wasm.length;) {
    const id = wasm[i++];
    const [n, j] = leb(wasm, i);
    secs.push([id, j, n]);
    i = j + n;
  }
  const names = new Map();
  const dataNames = new Map();
  let imported = 0;
  for (const [id, off, n] of secs) {
    if (id === 2) {
      let [count, j] = leb(wasm, off);
      for (let k = 0; k < count; k++) {
        let l; [l, j] = leb(wasm, j); j += l; [l, j] = leb(wasm, j); j += l;
        const kind = wasm[j++];
        if (kind === 0) { imported++; [, j] = leb(wasm, j); }
        else if (kind === 1) { j++; let f; [f, j] = leb(wasm, j); [, j] = leb(wasm, j); if (f & 1) [, j] = leb(wasm, j); }
        else if (kind === 2) { let f; [f, j] = leb(wasm, j); [, j] = leb(wasm, j); if (f & 1) [, j] = leb(wasm, j); }
        else if (kind === 3) j += 2;
      }
    }
    if (id === 0) {
      let [l, j] = leb(wasm, off);
      if (Buffer.from(wasm.subarray(j, j + l)).toString() !== "name") continue;
      j += l;
      while (j < off + n) {
        const sub = wasm[j++];
        let size; [size, j] = leb(wasm, j);
        if (sub === 1 || sub === 9) {
          let [count, k] = leb(wasm, j);
          for (let c = 0; c < count; c++) {
            let idx, len; [idx, k] = leb(wasm, k); [len, k] = leb(wasm, k);
            (sub === 1 ? names : dataNames).set(idx, Buffer.from(wasm.subarray(k, k + len)).toString());
            k += len;
          }
        }
        j += size;
      }
    }
  }
  const out = [];
  for (const [id, off] of secs) {
    if (id === 10) {
      let [count, j] = leb(wasm, off);
      for (let k = 0; k < count; k++) {
        const [size, body] = leb(wasm, j);
        out.push([names.get(imported + k) ?? "?", wasm.subarray(j, body + size)]);
        j = body + size;
      }
    }
    if (id === 11) {
      let [count, j] = leb(wasm, off);
      for (let k = 0; k < count; k++) {
        const start = j;
        let flags; [flags, j] = leb(wasm, j);
        if (flags !== 1) { while (wasm[j] !== 0x0b) j++; j++; }
        let size; [size, j] = leb(wasm, j);
        out.push([`data ${dataNames.get(k) ?? k}`, wasm.subarray(start, j + size)]);
        j += size;
      }
    }
  }
  return out;
}

// `env`: what scripts/build-pkg.sh builds it with (the checks-only build's inline
// threshold), in a target directory of the profile's own.
function profile(label, features, shipped, env = {}) {
  const dir = `${root}target/profile/${label}`;
  mkdirSync(dir, { recursive: true });
  const target = `${root}target/profile/cargo-${label.replace(/\W+/g, "-")}`;
  execFileSync("cargo", ["build", "--quiet", "--release", "--target", "wasm32-unknown-unknown", "--lib", ...features], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, CARGO_TARGET_DIR: target, ...env },
  });
  execFileSync("wasm-bindgen", ["--target", "web", "--keep-debug", "--out-dir", dir, `${target}/wasm32-unknown-unknown/release/iamport_keyin.wasm`], { cwd: root });
  const named = `${dir}/named.wasm`;
  execFileSync("wasm-opt", [...optFlags, "--debuginfo", `${dir}/iamport_keyin_bg.wasm`, "-o", named], { cwd: root });
  const totals = new Map(PARTS.map(([p]) => [p, { raw: 0, gz: 0, n: 0 }]));
  const biggest = [];
  for (const [name, bytes] of items(readFileSync(named))) {
    const part = PARTS.find(([, test]) => test(name))[0];
    const t = totals.get(part);
    t.raw += bytes.length;
    t.gz += gzipSync(bytes, { level: 9 }).length;
    t.n++;
    biggest.push([bytes.length, name]);
  }
  const file = readFileSync(`${root}${shipped}`);
  const sum = [...totals.values()].reduce((a, t) => a + t.raw, 0);
  let md = `### ${label}: \`${shipped}\`, ${file.length} B raw, ${gzipSync(file, { level: 9 }).length} B gzip\n`;
  md += `| part | items | raw B | share of code and data | gzip B (items alone) |\n|---|---|---|---|---|\n`;
  for (const [part, t] of totals) if (t.n > 0) md += `| ${part} | ${t.n} | ${t.raw} | ${((100 * t.raw) / sum).toFixed(1)}% | ${t.gz} |\n`;
  biggest.sort((a, b) => b[0] - a[0]);
  md += `\nLargest items: ${biggest.slice(0, 8).map(([n, name]) => `\`${name.replace(/::h[0-9a-f]{16}$/, "").replace(/\[[0-9a-f]+\]/g, "").slice(0, 70)}\` ${n}`).join(", ")}.\n`;
  return md;
}

const sections = [
  profile("browser build", ["--features", "panic-handler"], "pkg/iamport_keyin_bg.wasm"),
  profile("checks build", ["--no-default-features", "--features", "panic-handler"], "pkg/checks/iamport_keyin_bg.wasm", {
    RUSTFLAGS: `${process.env.RUSTFLAGS ?? ""} ${checksFlags}`,
  }),
];
const date = new Date().toISOString().slice(0, 10);
writeSection(
  "profile",
  `<!-- profile:begin (bench/profile.mjs) -->
## What the wasm of each browser build is made of (measured ${date})
Every function body and data segment of the wasm, built with names kept and the package's
wasm-opt flags, put in one part by its name (\`bench/profile.mjs\`; twiggy reads the same
names). Item gzip sizes are each compressed alone, so they over-count; the heading gives
the shipped file's.

${sections.join("\n")}<!-- profile:end -->
`,
);
console.log(sections.join("\n"));
