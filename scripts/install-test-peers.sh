#!/usr/bin/env bash
# Installs the real peers the tests use (software nobody here wrote), idempotently: a second run does nothing.
#   Debian packages: one per line in tests/peers/*/apt.txt (plus mosquitto-clients for the broker tests).
#   npm packages:    every tests/peers/*/package.json with its committed package-lock.json (`npm ci`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

wanted=(mosquitto-clients)
for list in "$root"/tests/peers/*/apt.txt; do
  [ -e "$list" ] || continue
  while read -r pkg; do
    pkg="${pkg%%#*}"; pkg="${pkg// /}"
    [ -n "$pkg" ] && wanted+=("$pkg")
  done <"$list"
done
need=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if ((${#need[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing Debian test peers: ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

for manifest in "$root"/tests/peers/*/package.json; do
  [ -e "$manifest" ] || continue
  dir="$(dirname "$manifest")"
  # npm ci again only when the lock file changed since the last install.
  stamp="$dir/node_modules/.fabrica-lock-sha"
  sha="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sha" ]; then
    echo "installing npm test peers in ${dir#"$root"/}" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$sha" >"$stamp"
  fi
done
