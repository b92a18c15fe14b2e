#!/usr/bin/env bash
# Builds the npm package in pkg/ from two wasm-pack builds plus pkg-template/:
#   pkg/            the browser build (checks, builders, decoders, client): small
#   pkg/server/     the server build (+ createProxy), for the node and workerd entries
# Usage: scripts/build-pkg.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

profile=--release
[ "${1:-}" = "--dev" ] && profile=--dev

build() { # out-dir [cargo features...]
  local out=$1; shift
  rm -rf "$out"
  # --mode no-install: use the wasm-bindgen-cli that setup.sh installed, never download one.
  wasm-pack --quiet build "$profile" --target web --mode no-install --no-pack \
    --out-dir "$out" --out-name iamport_keyin "$@" >/dev/null
}
build target/wasm-pack/browser
build target/wasm-pack/server -- --features proxy

rm -rf pkg
mkdir -p pkg/server
for f in iamport_keyin.js iamport_keyin.d.ts iamport_keyin_bg.wasm iamport_keyin_bg.wasm.d.ts; do
  cp "target/wasm-pack/browser/$f" pkg/
  cp "target/wasm-pack/server/$f" pkg/server/
done
cp -R pkg-template/. pkg/
version=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
sed -i "s/\"version\": \"0.0.0-template\"/\"version\": \"$version\"/" pkg/package.json
echo "pkg/ built: browser wasm $(du -b pkg/iamport_keyin_bg.wasm | cut -f1) B, server wasm $(du -b pkg/server/iamport_keyin_bg.wasm | cut -f1) B"
