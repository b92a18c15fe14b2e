#!/usr/bin/env bash
# The demo: installs what is missing, builds the package and serves www/ with a live
# card form. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. scripts/env.sh
bash scripts/build-pkg.sh
PORT=${PORT:-8080}
echo
echo "iamport-keyin demo: open the URL below. Ctrl-C stops it."
exec node scripts/static-server.mjs "$PORT" /pkg/=pkg /=www
