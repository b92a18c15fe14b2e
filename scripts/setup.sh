#!/usr/bin/env bash
# Installs every tool the demo and the tests need, and only what is missing.
# Idempotent: with everything present it finishes in seconds.
#
# Pinned here (and only here):
#   wasm-pack 0.15.1, geckodriver 0.37.1, cargo-fuzz 0.13.2, wasm-bindgen-cli = the wasm-bindgen in Cargo.lock,
#   npm dev dependencies from package-lock.json (binaryen's wasm-opt, miniflare, the npm Iamport clients, …),
#   PyPI iamport-rest-client 0.9.0 in .venv-clients/ (tests/js/real-clients.test.mjs), on the machine's python3.
# Debian packages: chromium, chromium-driver, firefox-esr, fonts-nanum.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

WASM_PACK_VERSION=0.15.1
GECKODRIVER_VERSION=0.37.1
CARGO_FUZZ_VERSION=0.13.2
IAMPORT_PY_CLIENT_VERSION=0.9.0
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$WASM_BINDGEN_VERSION" ] || { echo "setup: no wasm-bindgen in Cargo.lock" >&2; exit 1; }

log() { printf '[setup] %s\n' "$*"; }
# has_version CMD VERSION: CMD exists and prints VERSION in its --version output.
# (Output is captured first: with pipefail, `grep -q` closing the pipe early would fail the check.)
has_version() {
  command -v "$1" >/dev/null 2>&1 || return 1
  local out; out=$("$1" --version 2>/dev/null) || return 1
  [[ "$out" == *"$2"* ]]
}

started=$(date +%s)

# Debian packages run in the background while cargo compiles (they need the network, not the CPU).
apt_pid=""
apt_missing=()
command -v chromium >/dev/null 2>&1 || apt_missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || apt_missing+=(chromium-driver)
command -v firefox-esr >/dev/null 2>&1 || apt_missing+=(firefox-esr)
# Korean glyphs for page screenshots (headless Chromium has no CJK font otherwise).
[ -d /usr/share/fonts/truetype/nanum ] || apt_missing+=(fonts-nanum)
if [ ${#apt_missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "setup: need root (or sudo) to install: ${apt_missing[*]}" >&2
    exit 1
  fi
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  log "apt-get install ${apt_missing[*]} (background)"
  mkdir -p target
  ( $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_missing[@]}" ) \
    >target/setup-apt.log 2>&1 &
  apt_pid=$!
fi

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! has_version wasm-pack "$WASM_PACK_VERSION"; then
  log "cargo install wasm-pack $WASM_PACK_VERSION (several minutes)"
  cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked --force
fi

# No --locked: the registry lacks one of wasm-bindgen-cli's locked dependencies.
if ! has_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
  log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (several minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! has_version geckodriver "$GECKODRIVER_VERSION"; then
  log "cargo install geckodriver $GECKODRIVER_VERSION"
  cargo install geckodriver --version "$GECKODRIVER_VERSION" --locked --force
fi

# Fuzzing: cargo-fuzz on the machine's nightly toolchain (this machine kind ships one;
# no other toolchain can be fetched here, so a missing nightly is an error, not a skip).
if ! rustup toolchain list | grep -q '^nightly'; then
  echo "setup: the nightly toolchain is missing (rustup toolchain install nightly)" >&2
  exit 1
fi
if ! has_version cargo-fuzz "$CARGO_FUZZ_VERSION"; then
  log "cargo install cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --force
fi

# npm dev dependencies, exactly as locked. The stamp makes the no-change case instant.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.setup-stamp 2>/dev/null)" != "$lock_sum" ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.setup-stamp
fi

# Deno and Bun come from npm: their binary sits in the platform package, or where the
# package's postinstall moved it (npm runs or skips install scripts by its settings).
for bin in "node_modules/@deno/linux-x64-glibc/deno node_modules/deno/bin/deno" \
  "node_modules/@oven/bun-linux-x64/bin/bun node_modules/bun/bin/bun.exe"; do
  found=""
  for f in $bin; do [ -s "$f" ] && [ "$(wc -c <"$f")" -gt 1000000 ] && found=$f && break; done
  [ -n "$found" ] || { echo "setup: no binary in $bin after npm ci" >&2; exit 1; }
done

# Iamport's own Python client, for the real-client suite, in a venv on the machine's python3.
# The check is one Python start-up; a venv whose interpreter is gone is made anew.
py_client_version() {
  .venv-clients/bin/python -c 'import importlib.metadata as m; print(m.version("iamport-rest-client"))' 2>/dev/null
}
if [ "$(py_client_version)" != "$IAMPORT_PY_CLIENT_VERSION" ]; then
  log "pip install iamport-rest-client==$IAMPORT_PY_CLIENT_VERSION into .venv-clients/"
  if ! .venv-clients/bin/python -c '' 2>/dev/null; then
    rm -rf .venv-clients
    python3 -m venv .venv-clients
  fi
  .venv-clients/bin/python -m pip install --quiet --disable-pip-version-check --no-input \
    "iamport-rest-client==$IAMPORT_PY_CLIENT_VERSION"
  [ "$(py_client_version)" = "$IAMPORT_PY_CLIENT_VERSION" ] || { echo "setup: iamport-rest-client did not install" >&2; exit 1; }
fi

# Debian's binaryen (v108) emits broken modules: wasm-opt must be npm's.
case "$(command -v wasm-opt)" in
  "$PWD/node_modules/.bin/wasm-opt") ;;
  *) echo "setup: wasm-opt on PATH is $(command -v wasm-opt), not node_modules/.bin/wasm-opt" >&2; exit 1 ;;
esac

if [ -n "$apt_pid" ]; then
  log "waiting for apt-get"
  if ! wait "$apt_pid"; then
    cat target/setup-apt.log >&2
    echo "setup: apt-get failed" >&2
    exit 1
  fi
fi

log "tools ready in $(( $(date +%s) - started ))s"
