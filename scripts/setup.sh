#!/usr/bin/env bash
# Installs what socketfleet needs on a Debian/Ubuntu machine (only what is missing),
# then builds both jars. Used by the README's quick-start commands and by CI.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*  (install sudo or run as root)" >&2; exit 1; fi
}

# command -> Debian package providing it
declare -A PACKAGES=(
  [java]=openjdk-17-jdk-headless
  [mvn]=maven
  [node]=nodejs
  [npm]=npm
  [nginx]=nginx-light
  [redis-server]=redis-server
  [chromium]=chromium
  [chromedriver]=chromium-driver
  [shellcheck]=shellcheck
  [kubectl]=kubernetes-client
  [prometheus-nginx-exporter]=prometheus-nginx-exporter
)
missing=()
for cmd in "${!PACKAGES[@]}"; do
  if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$cmd" ]; then
    missing+=("${PACKAGES[$cmd]}")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Debian starts nginx, redis and the nginx exporter as system services on install; socketfleet runs its own
# on free ports, so stop those to leave ports 80, 6379 and 9113 alone and keep the machine quiet.
for service in nginx redis-server prometheus-nginx-exporter; do
  if command -v service >/dev/null 2>&1 && service "$service" status >/dev/null 2>&1; then
    as_root service "$service" stop >/dev/null 2>&1 || true
  fi
done

log "installing the pinned npm packages (socket.io-client bundle, Node peers for tests)"
npm ci --no-audit --no-fund --loglevel=error

if [ "${SKIP_BUILD:-}" != "1" ]; then
  log "building the jars"
  mvn -B -q -DskipTests package
fi
