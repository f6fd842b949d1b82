#!/usr/bin/env bash
# Warm resolution benchmark (docs/benchmarks.md, "Identifier resolution"): one enterprise idnode without rate limit,
# 1000 registered handles, then the load generator over UDP and over HTTP on the same machine.
# When wrk (Debian package `wrk`) is installed, the same HTTP resolutions are also driven by it: a lighter load
# generator than .NET's HttpClient, which otherwise takes almost half of the two cores (docs/benchmarks.md).
# Usage: bench/identifiers/warm.sh [udp-connections] [udp-window] [http-connections] [seconds] [wrk-threads]
set -euo pipefail
cd "$(dirname "$0")/../.."
FABRICA=src/Fabrica.Cli/bin/Release/net10.0/fabrica
DATA=$(mktemp -d)
trap 'kill $NODE 2>/dev/null; wait $NODE 2>/dev/null; rm -rf "$DATA"' EXIT
$FABRICA idnode --role enterprise --prefix 88.100.12 --data "$DATA" --bind 127.0.0.1 --http-port 18080 --handle-port 12641 --rate-limit 0 > "$DATA/ready.txt" 2> "$DATA/node.log" &
NODE=$!
for _ in $(seq 100); do grep -q "ready" "$DATA/ready.txt" 2>/dev/null && break; sleep 0.2; done
cat "$DATA/ready.txt" | tail -1
export FABRICA_SERVER=http://127.0.0.1:18080 FABRICA_DATA="$DATA"
$FABRICA bench resolve --target http --register --handles 1000 --duration 1 > /dev/null
$FABRICA bench resolve --target udp --handle-port 12641 --connections "${1:-2}" --window "${2:-64}" --duration "${4:-10}"
$FABRICA bench resolve --target http --connections "${3:-16}" --duration "${4:-10}"
if command -v wrk > /dev/null; then
  wrk -t "${5:-1}" -c "${3:-16}" -d "${4:-10}s" --latency -s bench/identifiers/resolve.lua http://127.0.0.1:18080 | grep -E "Requests/sec|Latency|50%|99%|Non-2xx|Socket errors|requests in"
fi
