#!/usr/bin/env bash
# The whole test suite: installs what is missing, then runs every check and every
# runtime's tests. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. scripts/env.sh

started=$(date +%s)
step() {
  local name=$1; shift
  local t0; t0=$(date +%s)
  printf '\n=== %s\n' "$name"
  "$@"
  printf '=== %s: ok (%ss)\n' "$name" "$(( $(date +%s) - t0 ))"
}

step "cargo fmt --check" cargo fmt --all --check
step "clippy (native)" cargo clippy --workspace --all-targets --quiet -- -D warnings
step "clippy (wasm32)" cargo clippy -p iamport-keyin --all-targets --quiet --target wasm32-unknown-unknown -- -D warnings
step "native tests" cargo test --workspace --quiet
step "wasm tests: Node" wasm-pack test --node --mode no-install
step "wasm tests: headless Chromium" wasm-pack test --headless --chrome --mode no-install
step "wasm tests: headless Firefox" wasm-pack test --headless --firefox --mode no-install
step "build pkg/ and the sandbox" bash -c 'bash scripts/build-pkg.sh && cargo build -p iamport-sandbox --quiet' 
step "size budget" node bench/size-check.mjs
step "JS suites: workerd, consumers, types" node --test --test-concurrency=1 tests/js/

printf '\nall suites passed in %ss\n' "$(( $(date +%s) - started ))"
