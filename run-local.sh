#!/usr/bin/env bash
# The main quick-start command: installs what is missing, builds, and runs the example fleet
# on this machine (redis-server, 3 socket-nodes, nginx). Pass another fleet file to run that.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
exec java -jar operator/target/socketfleet-operator.jar local -f "${1:-deploy/examples/chat.yaml}" "${@:2}"
