#!/usr/bin/env bash
# Fuzzes every target for SECONDS each (default 6: the test command's smoke run).
# The long runs (10 M inputs each): FUZZ_ARGS=-runs=10000000 scripts/fuzz.sh 2400
# New inputs go to target/fuzz-corpus/<target>; the seeds in fuzz/seeds/ are read only.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
seconds=${1:-6}
targets=(card_checks builders decode proxy_request sandbox_form)
# One build for all targets first, so the time limit is spent fuzzing.
(cd fuzz && cargo +nightly fuzz build --release 2>&1 | grep -E "^error" && exit 1 || true)
for t in "${targets[@]}"; do
  mkdir -p "target/fuzz-corpus/$t"
  out=$(cd fuzz && cargo +nightly fuzz run --release "$t" "../target/fuzz-corpus/$t" "seeds/$t" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 ${FUZZ_ARGS:-} 2>&1) || {
    echo "$out" | tail -40
    echo "fuzz target $t FAILED" >&2
    exit 1
  }
  runs=$(echo "$out" | grep -oE "Done [0-9]+ runs in [0-9]+ second" | tail -1 || true)
  echo "fuzz $t: ${runs:-ran} (limit ${seconds}s), no crash"
done
