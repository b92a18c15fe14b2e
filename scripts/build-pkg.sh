#!/usr/bin/env bash
# Builds the npm package in pkg/ from three wasm-pack builds plus pkg-template/:
#   pkg/            the browser build (checks, builders, decoders, client): small
#   pkg/server/     the server build (+ createProxy), for the node and workerd entries
#   pkg/checks/     the checks-only build (no default features), for iamport-keyin/checks
#   The browser entries, pkg/index.js and pkg/checks.js, are each bundled into one
#   self-contained ES module (with their glue, facade.js, and fast.js and clients.js for
#   index.js), so a page loads the wasm and one JS file. The server entries (node.js,
#   workerd.js, deno.js, edge-light.js → server.js) import the separate files, which ship
#   too, as do the browser glues (the typings re-export their types).
#   --test-trap     a test build in target/pkg-trap/ instead, with the `__testTrap`
#                   exports (cargo feature test-trap) that the recovery tests call
# Usage: scripts/build-pkg.sh [--dev] [--test-trap]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

profile=--release
out=pkg
features=
for arg in "$@"; do
  case $arg in
    --dev) profile=--dev ;;
    --test-trap) out=target/pkg-trap features=test-trap ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

build() { # out-dir [cargo features...]
  local out=$1; shift
  rm -rf "$out"
  # --mode no-install: use the wasm-bindgen-cli that setup.sh installed, never download one.
  wasm-pack --quiet build "$profile" --target web --mode no-install --no-pack \
    --out-dir "$out" --out-name iamport_keyin "$@" >/dev/null
}
# The browser and checks-only builds have no std, and their own panic handler.
build "target/wasm-pack/browser$features" -- --features "panic-handler $features"
build "target/wasm-pack/server$features" -- --features "proxy $features"
# The checks-only build (in the test-trap package too: its recovery is tested as well).
# Built for size with LLVM's inline threshold at 27 (opt-level z's own is lower). The
# size moves in steps with it: measured on this wasm (wasm-opt'd, gzip), 10 → 13,666 B,
# 20 → 13,773, 23–25 → 13,626, 26–30 → 13,592, 31–35 → 13,909, none → 13,850; 27 is in
# the middle of the lowest step. (No gain on the browser build, +1.4 KB raw on the
# server build at 10, so only here.) In a target directory of its own, so that the
# other builds are not rebuilt each time.
RUSTFLAGS="${RUSTFLAGS:-} -C llvm-args=-inline-threshold=27" CARGO_TARGET_DIR=target/checks-size \
  build "target/wasm-pack/checks$features" -- --no-default-features --features "panic-handler $features"

rm -rf "$out"
mkdir -p "$out/server" "$out/checks"
for f in iamport_keyin.js iamport_keyin.d.ts iamport_keyin_bg.wasm iamport_keyin_bg.wasm.d.ts; do
  cp "target/wasm-pack/browser$features/$f" "$out/"
  cp "target/wasm-pack/server$features/$f" "$out/server/"
  cp "target/wasm-pack/checks$features/$f" "$out/checks/"
done
# After a trap, the dead instance's callbacks (a fetch settling, a timer firing) still
# fire; wasm-bindgen's glue throws for each, an uncaught error that would crash a Node
# process. Patched to do nothing, as nothing can run in that instance. Fails loudly if
# a wasm-bindgen upgrade changes the line in the server glue (the proxy's async work).
stale="throw new Error('Cannot invoke closure from previous WASM instance');"
glue="$out/server/iamport_keyin.js"
[ "$(grep -cF "$stale" "$glue")" -ge 1 ] || { echo "build-pkg: wasm-bindgen's stale-closure line not found in $glue" >&2; exit 1; }
# The browser and checks-only glues have no closures (the client's I/O runs in JS:
# drive.js); patched the same way if a test build's has.
for glue in "$out/server/iamport_keyin.js" "$out/iamport_keyin.js" "$out/checks/iamport_keyin.js"; do
  sed -i "s|$stale|return; // iamport-keyin: a callback of a trapped, replaced instance does nothing|" "$glue"
done
# The JS entries read the scratch and protocol buffers through the instance's memory. An
# export that answered it as a JsValue would cost the checks-only wasm the externref
# table's code (about 800 B), so each glue gets this function instead: the live
# instance's memory, after a scheduled reset, as any export's call guard does. Fails
# loudly if a wasm-bindgen upgrade renames what it uses.
for glue in "$out/iamport_keyin.js" "$out/server/iamport_keyin.js" "$out/checks/iamport_keyin.js"; do
  grep -qxF 'function __wbg_call_guard() {' "$glue" && grep -qxF 'let wasmModule, wasmInstance, wasm;' "$glue" ||
    { echo "build-pkg: wasm-bindgen's call guard or instance variable not found in $glue" >&2; exit 1; }
  printf '%s\n' '' '/** This instance'"'"'s `WebAssembly.Memory` (appended by iamport-keyin'"'"'s scripts/build-pkg.sh). For the JS entries only. */' \
    'export function __memory() { __wbg_call_guard(); return wasm.memory; }' >>"$glue"
done
# Short names between each glue and its wasm (scripts/minify-names.mjs): about 2 KB gzip
# of the browser build were import and export names, hashes included. wasm-opt only
# renames here (the same feature flags as Cargo.toml's, and its strip flags); the
# mapping it prints is applied to the glue and the typings, or the build fails.
opt_flags=$(awk -F'[][]' '/^wasm-opt = / { print $2 }' Cargo.toml | tr -d '",' | tr ' ' '\n' | grep -E '^--(enable|strip)-' | paste -sd' ')
[ -n "$opt_flags" ] || { echo "build-pkg: no wasm-opt flags found in Cargo.toml" >&2; exit 1; }
for dir in "$out" "$out/server" "$out/checks"; do
  wasm="$dir/iamport_keyin_bg.wasm"
  # shellcheck disable=SC2086 # the flags are words
  wasm-opt $opt_flags --minify-imports-and-exports-and-modules "$wasm" -o "$wasm.min" >"$wasm.map"
  node scripts/minify-names.mjs "$wasm.map" "$wasm" "$wasm.min" "$dir/iamport_keyin.js" "$dir/iamport_keyin_bg.wasm.d.ts" "$dir/iamport_keyin.d.ts" >/dev/null
  mv "$wasm.min" "$wasm"
  rm "$wasm.map"
done
cp -R pkg-template/. "$out/"
version=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
sed -i "s/\"version\": \"0.0.0-template\"/\"version\": \"$version\"/" "$out/package.json"
# index.d.ts re-exports every interface and type the bindings declare (wasm-bindgen's
# own init types excepted, and KeyinClient, a class whose interface only adds its methods), so a type added in src/js/ is never left out.
types=$(grep -oE '^export (interface|type) [A-Za-z0-9_]+' "$out/server/iamport_keyin.d.ts" | awk '{ print $3 }' |
  grep -vxE 'InitInput|InitOutput|SyncInitInput|KeyinClient' | sort -u | paste -sd, | sed 's/,/, /g')
sed -i "s/__TYPES__/$types/" "$out/index.d.ts"
# checks.d.ts: every type the checks-only bindings declare.
check_types=$(grep -oE '^export (interface|type) [A-Za-z0-9_]+' "$out/checks/iamport_keyin.d.ts" | awk '{ print $3 }' |
  grep -vxE 'InitInput|InitOutput|SyncInitInput' | sort -u | paste -sd, | sed 's/,/, /g')
sed -i "s/__CHECK_TYPES__/$check_types/" "$out/checks.d.ts"
if [ -n "$features" ]; then
  echo 'export const { __testTrap, __testTrapAsync } = api;' >>"$out/index.js"
  echo 'export const { __testTrap, __testTrapAsync } = api;' >>"$out/server.js"
  echo 'export const { __testTrap } = api;' >>"$out/checks.js"
fi
# The two browser entries, each bundled into one self-contained ES module, in place
# (scripts/bundle-entries.mjs): index.js with the browser glue, facade.js, fast.js and
# clients.js; checks.js with the checks-only glue and facade.js (each glue without its
# own async loader: facade.js's `loader` loads the wasm). A page loads one JS file, not
# five (three), and 1,060 B (600 B) less gzip. Last, so that the bundles hold every
# patch and the test build's exports.
node scripts/bundle-entries.mjs "$out"
sizes="browser wasm $(du -b "$out/iamport_keyin_bg.wasm" | cut -f1) B, server wasm $(du -b "$out/server/iamport_keyin_bg.wasm" | cut -f1) B"
sizes="$sizes, checks wasm $(du -b "$out/checks/iamport_keyin_bg.wasm" | cut -f1) B"
echo "$out/ built: $sizes"
