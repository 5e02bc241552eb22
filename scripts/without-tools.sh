#!/usr/bin/env bash
# Runs a command with the external programs of the integration tier hidden, to prove the fast
# tier (`mvn test`) needs nothing but the JDK. It needs a private mount namespace (root, or
# unprivileged user namespaces); where that is not possible it says so and runs the command as is.
set -euo pipefail

TOOLS=(nginx redis-server redis-cli node nodejs npm npx kubectl chromium chromedriver shellcheck prometheus-nginx-exporter)

if [ "${SOCKETFLEET_TOOLS_HIDDEN:-}" = "1" ]; then
  for tool in "${TOOLS[@]}"; do
    for dir in /usr/sbin /usr/bin /usr/local/bin /usr/local/sbin /sbin /bin; do
      # /dev/null bound over a program leaves a file that cannot be executed.
      if [ -e "$dir/$tool" ] && ! mount --bind /dev/null "$dir/$tool" 2>/dev/null; then
        echo "could not hide $dir/$tool" >&2; exit 1
      fi
    done
  done
  exec "$@"
fi

if command -v unshare >/dev/null 2>&1 && unshare -m true 2>/dev/null; then
  SOCKETFLEET_TOOLS_HIDDEN=1 exec unshare -m "$0" "$@"
elif command -v unshare >/dev/null 2>&1 && unshare -rm true 2>/dev/null; then
  SOCKETFLEET_TOOLS_HIDDEN=1 exec unshare -rm "$0" "$@"
fi
echo "note: cannot make a private mount namespace here; running with nginx, Redis, Node, kubectl visible" >&2
exec "$@"
