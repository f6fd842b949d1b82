#!/usr/bin/env bash
# DNS front end against NSD (docs/benchmarks.md, "Identifier DNS"): the same N GTINs (default 10,000) are served as
# ONS NAPTR records by `fabrica idnode` (from handle records imported over REST) and by NSD (from a generated zone
# file); dnsperf queries every name in random order over UDP on 127.0.0.1, first as fast as it can (queries/s),
# then at a fixed rate with per-query latencies (-v) for the p99. Both servers run in the same run, queried one at a
# time, alternating over ROUNDS rounds (default 3); the median of each is compared.
# Needs Debian dnsperf and nsd (installed here when missing). Usage: bench/identifiers/dns.sh [records] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-10000}
SECONDS_PER_RUN=${2:-20}
RATE=${RATE:-20000}          # fixed query rate of the latency runs
CLIENTS=${CLIENTS:-4}        # dnsperf -c: UDP sockets
NSD_SERVERS=${NSD_SERVERS:-2}
FABRICA=src/Fabrica.Cli/bin/Release/net10.0/fabrica
BASE=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$BASE"' EXIT
for tool in dnsperf nsd; do
  command -v $tool >/dev/null || command -v /usr/sbin/$tool >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dnsperf nsd >/dev/null; }
done
[ -x "$FABRICA" ] || dotnet build src/Fabrica.Cli/Fabrica.Cli.csproj -c Release -nologo -clp:ErrorsOnly

# 1. The records: GTIN-14 00614141 + 5-digit item + check digit; one URL each. Same names and RDATA for both servers.
python3 - "$N" "$BASE" <<'PY'
import random, sys
n, base = int(sys.argv[1]), sys.argv[2]
def check(d):
    s = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(d)))
    return str((10 - s % 10) % 10)
names = []
with open(f"{base}/import.csv", "w") as csv, open(f"{base}/onsepc.com.zone", "w") as zone:
    csv.write("handle,URL,GTIN\n")
    zone.write("$ORIGIN onsepc.com.\n$TTL 3600\n@ IN SOA ns.onsepc.com. hostmaster.onsepc.com. 1 3600 600 86400 60\n@ IN NS ns.onsepc.com.\nns IN A 127.0.0.1\n")
    for i in range(n):
        body = "00614141" + f"{i:05d}" if n <= 100000 else f"{i:013d}"
        gtin = body + check(body)
        name = ".".join([gtin[0]] + list(reversed(gtin[1:13]))) + ".gtin.gs1.id.onsepc.com"
        url = f"https://example.com/p/{i}"
        csv.write(f"88.100.12/P{i},{url},{gtin}\n")
        zone.write(f'{name}. 86400 IN NAPTR 0 10 "U" "http://www.gs1.org/ons/html" "!^.*$!{url}!" .\n')
        names.append(name)
random.seed(6)
random.shuffle(names)
with open(f"{base}/queries.txt", "w") as q:
    q.writelines(f"{name} NAPTR\n" for name in names)
PY

# 2. NSD, response rate limiting off (Debian's build enables it), zone from the file above.
cat > "$BASE/nsd.conf" <<CONF
server:
  ip-address: 127.0.0.1
  port: 18053
  server-count: $NSD_SERVERS
  username: ""
  chroot: ""
  zonesdir: "$BASE"
  zonelistfile: "$BASE/zone.list"
  xfrdfile: "$BASE/xfrd.state"
  xfrdir: "$BASE"
  pidfile: "$BASE/nsd.pid"
  database: ""
  verbosity: 0
  rrl-ratelimit: 0
  hide-version: yes
remote-control:
  control-enable: no
zone:
  name: onsepc.com
  zonefile: "$BASE/onsepc.com.zone"
CONF
/usr/sbin/nsd -d -c "$BASE/nsd.conf" 2> "$BASE/nsd.log" &
PIDS+=($!)

# 3. Fabrica: an idnode with its DNS front end; the records imported over REST.
$FABRICA idnode --role enterprise --prefix 88.100.12 --data "$BASE/fabrica" --bind 127.0.0.1 --http-port 18100 --handle-port 18101 --dns-port 18153 --rate-limit 0 > "$BASE/fabrica.out" 2> "$BASE/fabrica.log" &
PIDS+=($!)
for _ in $(seq 300); do grep -q ready "$BASE/fabrica.out" 2>/dev/null && break; sleep 0.2; done
tail -1 "$BASE/fabrica.out"
$FABRICA id import "$BASE/import.csv" --parallel 8 --server http://127.0.0.1:18100 --data "$BASE/fabrica" | tail -1

for _ in $(seq 100); do dig +short @127.0.0.1 -p 18053 SOA onsepc.com | grep -q hostmaster && break; sleep 0.2; done
first=$(head -1 "$BASE/queries.txt" | cut -d' ' -f1)
echo "check: NSD    $(dig +short @127.0.0.1 -p 18053 NAPTR "$first")"
echo "check: Fabrica $(dig +short @127.0.0.1 -p 18153 NAPTR "$first")"

throughput() { # label port → queries/s
  dnsperf -s 127.0.0.1 -p "$2" -d "$BASE/queries.txt" -l "$SECONDS_PER_RUN" -c "$CLIENTS" -q 500 > "$BASE/$1.perf"
  grep -E "Queries lost|Response codes" "$BASE/$1.perf" | sed "s/^/  $1 /" >&2
  awk '/Queries per second/ { printf "%d\n", $4 }' "$BASE/$1.perf"
}
latency() { # label port
  # -v prints one line per answer: "> NOERROR name NAPTR 0.000123" (seconds).
  dnsperf -s 127.0.0.1 -p "$2" -d "$BASE/queries.txt" -l 10 -c "$CLIENTS" -Q "$RATE" -v > "$BASE/$1.latency"
  awk '$1 == ">" { print $NF }' "$BASE/$1.latency" | sort -g | awk -v l="$1" '{ v[NR] = $1 } END { printf "%-8s latency at %d q/s: %d answers, p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms\n", l, '"$RATE"', NR, v[int(NR*0.5)]*1000, v[int(NR*0.99)]*1000, v[int(NR*0.999)]*1000 }'
}
# Throughput in alternating rounds (the machine is shared: alternating spreads its noise over both), then latency.
NSD_QPS=(); FAB_QPS=()
for round in $(seq "${ROUNDS:-3}"); do
  NSD_QPS+=("$(throughput nsd 18053)")
  FAB_QPS+=("$(throughput fabrica 18153)")
  echo "round $round: nsd ${NSD_QPS[-1]} q/s, fabrica ${FAB_QPS[-1]} q/s"
done
median() { printf "%s\n" "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
nsd_median=$(median "${NSD_QPS[@]}"); fab_median=$(median "${FAB_QPS[@]}")
echo "median: nsd $nsd_median q/s, fabrica $fab_median q/s, ratio $(awk -v f="$fab_median" -v n="$nsd_median" 'BEGIN { printf "%.2f", f / n }')x"
latency nsd 18053
latency fabrica 18153
