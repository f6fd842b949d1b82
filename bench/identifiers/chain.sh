#!/usr/bin/env bash
# Three-node walkthrough and cold-resolution benchmark (docs/identifiers.md, docs/benchmarks.md): a root, an industry
# node for 88 and an enterprise node for 88.100.12 as separate idnode processes on 127.0.0.1; the root delegates 88,
# the industry node delegates 88.100.12; then N handles are resolved each with an empty cache through all three.
# Usage: bench/identifiers/chain.sh [handles]
set -euo pipefail
cd "$(dirname "$0")/../.."
FABRICA=src/Fabrica.Cli/bin/Release/net10.0/fabrica
BASE=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$BASE"' EXIT
start() { # name role http handle [args…]
  local name=$1; shift
  $FABRICA idnode --role "$1" --data "$BASE/$name" --bind 127.0.0.1 --http-port "$2" --handle-port "$3" --rate-limit 0 "${@:4}" > "$BASE/$name.out" 2> "$BASE/$name.log" &
  PIDS+=($!)
  for _ in $(seq 150); do grep -q ready "$BASE/$name.out" 2>/dev/null && break; sleep 0.2; done
  tail -1 "$BASE/$name.out"
}
start root root 18001 12001
start industry industry 18002 12002 --prefix 88
start enterprise enterprise 18003 12003 --prefix 88.100.12 --root 127.0.0.1:12001 --root-key "$BASE/root/identifier-signing.pub"
$FABRICA id delegate 88 --from http://127.0.0.1:18002 --server http://127.0.0.1:18001 --data "$BASE/root"
$FABRICA id delegate 88.100.12 --from http://127.0.0.1:18003 --server http://127.0.0.1:18002 --data "$BASE/industry"
$FABRICA id register 88.100.12/PUMP-0001 --url https://example.com/pump/1 --value manufacturer=ACME --private batch=B-7 --server http://127.0.0.1:18003 --data "$BASE/enterprise"
# The industry node serves 88 only; asked for an enterprise handle it refers (REST: 301)…
$FABRICA id resolve 88.100.12/PUMP-0001 --server http://127.0.0.1:18002 || true
# …while a resolver that trusts the root key walks root → industry → enterprise.
$FABRICA bench resolve --target chain --root 127.0.0.1:12001 --root-key "$BASE/root/identifier-signing.pub" \
  --register --handles "${1:-1000}" --duration 60 --server http://127.0.0.1:18003 --data "$BASE/enterprise"
