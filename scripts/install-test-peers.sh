#!/usr/bin/env bash
# Installs the real peers the tests use (software nobody here wrote), idempotently: a second run does nothing.
# Debian packages: mosquitto-clients (mosquitto_pub/mosquitto_sub talk to our broker).
set -euo pipefail

need=()
command -v mosquitto_pub >/dev/null 2>&1 || need+=(mosquitto-clients)

if ((${#need[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing test peers: ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
