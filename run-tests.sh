#!/usr/bin/env bash
# Runs every test: unit, integration (real Redis, nginx, Node socket.io and the official
# client) and browser tests. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")"
SKIP_BUILD=1 scripts/setup.sh
exec mvn -B verify "$@"
