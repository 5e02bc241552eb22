#!/usr/bin/env bash
# Runs every test: first the fast tier (in-process *Test classes, with nginx, Redis, Node, kubectl
# and Chromium hidden to prove it needs none of them), then the integration tier (*IT: real Redis,
# nginx, Node socket.io and the official client, headless Chromium). Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")"
# --long: the property-based fuzz tests (*FuzzTest) try 20,000 cases each instead of CI's 200.
if [[ "${1:-}" == "--long" ]]; then
  shift
  set -- -Djqwik.tries.default=20000 "$@"
fi
SKIP_BUILD=1 scripts/setup.sh
scripts/without-tools.sh mvn -B test "$@"
exec mvn -B verify -DskipUnitTests "$@"
