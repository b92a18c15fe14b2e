#!/usr/bin/env bash
# Builds the npm package in pkg/: wasm-pack's --target web output plus pkg-template/.
# Usage: scripts/build-pkg.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

profile=--release
[ "${1:-}" = "--dev" ] && profile=--dev

out=target/wasm-pack
rm -rf "$out"
# --mode no-install: use the wasm-bindgen-cli that setup.sh installed, never download one.
wasm-pack --quiet build "$profile" --target web --mode no-install --no-pack \
  --out-dir "$out" --out-name iamport_keyin >/dev/null

rm -rf pkg
mkdir -p pkg
cp "$out"/iamport_keyin.js "$out"/iamport_keyin.d.ts "$out"/iamport_keyin_bg.wasm "$out"/iamport_keyin_bg.wasm.d.ts pkg/
cp -R pkg-template/. pkg/
version=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
sed -i "s/\"version\": \"0.0.0-template\"/\"version\": \"$version\"/" pkg/package.json
cp LICENSE-MIT LICENSE-APACHE pkg/ 2>/dev/null || true
echo "pkg/ built: $(du -b pkg/iamport_keyin_bg.wasm | cut -f1) bytes of wasm"
