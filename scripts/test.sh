#!/usr/bin/env bash
# The whole test suite: installs what is missing, then runs every check and every
# runtime's tests. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. scripts/env.sh

mkdir -p test-output
# Everything every suite prints is kept, and scanned for card numbers at the end.
exec > >(tee test-output/test.log) 2>&1
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
step "clippy (wasm32)" cargo clippy -p iamport-keyin --all-targets --all-features --quiet --target wasm32-unknown-unknown -- -D warnings
step "clippy (wasm32, browser build)" cargo clippy -p iamport-keyin --features panic-handler,test-trap --quiet --target wasm32-unknown-unknown -- -D warnings
step "clippy (wasm32, checks-only)" cargo clippy -p iamport-keyin --no-default-features --features panic-handler --quiet --target wasm32-unknown-unknown -- -D warnings
step "native tests" cargo test --workspace --quiet
# The checks-only build's configuration (no `full`: no fast-path shortcuts, card codes only).
step "native tests (checks-only features)" cargo test -p iamport-keyin --lib --no-default-features --quiet -- card:: error::
step "fuzz smoke (5 targets x 6 s)" bash scripts/fuzz.sh 6
step "build pkg/, the trap-test package and the sandbox" bash -c 'bash scripts/build-pkg.sh && bash scripts/build-pkg.sh --test-trap && cargo build -p iamport-sandbox --quiet'

# The client suites run against the real stack: sandbox -> proxy (miniflare). The browser
# page is served from a fixed address so that the proxy can allow exactly its origin.
export WASM_BINDGEN_TEST_ADDRESS=127.0.0.1:18931
export WASM_BINDGEN_TEST_TIMEOUT=120
mkdir -p test-output
stack_file=test-output/stack.json
rm -f "$stack_file"
node tests/js/stack.mjs "$stack_file" &
stack_pid=$!
trap 'kill "$stack_pid" 2>/dev/null || true; wait "$stack_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do [ -s "$stack_file" ] && break; sleep 0.5; done
[ -s "$stack_file" ] || { echo "the test stack did not start" >&2; exit 1; }
KEYIN_TEST_PROXY_URL=$(node -p "JSON.parse(require('fs').readFileSync('$stack_file')).proxy")
KEYIN_TEST_SANDBOX_URL=$(node -p "JSON.parse(require('fs').readFileSync('$stack_file')).sandbox")
KEYIN_TEST_TRAP_PROXY_URL=$(node -p "JSON.parse(require('fs').readFileSync('$stack_file')).trapProxy")
export KEYIN_TEST_PROXY_URL KEYIN_TEST_SANDBOX_URL KEYIN_TEST_TRAP_PROXY_URL

step "wasm tests: Node" wasm-pack test --node --mode no-install
step "wasm tests: headless Chromium" wasm-pack test --headless --chrome --mode no-install
step "wasm tests: headless Firefox" wasm-pack test --headless --firefox --mode no-install
kill "$stack_pid" 2>/dev/null || true; wait "$stack_pid" 2>/dev/null || true
step "size budget" node bench/size-check.mjs
step "JS suites: workerd, proxy, fault matrix, panic recovery, load, consumers, types, end to end" node --test --test-concurrency=1 tests/js/

step "no card number in anything the suites printed" node scripts/scan-output.mjs test-output/test.log

printf '\nall suites passed in %ss\n' "$(( $(date +%s) - started ))"
