#!/usr/bin/env bash
# The demo: installs what is missing, builds the package and the sandbox, and serves the
# checkout page with the merchant proxy and the local sandbox behind it. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. scripts/env.sh
bash scripts/build-pkg.sh
cargo build -p iamport-sandbox --quiet
# The checkout page, the merchant proxy (workerd) and the sandbox behind one origin.
# IMP_KEY + IMP_SECRET + IAMPORT_API_URL in the environment point the proxy at that API instead.
exec node scripts/demo-server.mjs
