# Shared helpers of bench/peers/*.sh (sourced, not run). Every server is started on 127.0.0.1 and stopped on exit.

PEERS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$PEERS_DIR/../.." && pwd)"
DRIVER_DLL="$PEERS_DIR/PeerDriver/bin/Release/net10.0/peer-driver.dll"
FABRICA_DLL="$REPO_DIR/src/Fabrica.Cli/bin/Release/net10.0/fabrica.dll"
PIDS=()

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
die() { log "error: $*"; exit 1; }

# apt_ensure PACKAGE… — installs what is missing (idempotent; no service is started by it here).
apt_ensure() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
  fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# wait_for DESCRIPTION SECONDS PID COMMAND… — polls COMMAND until it succeeds; fails if PID dies or time runs out.
wait_for() {
  local what=$1 limit=$2 pid=$3; shift 3
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { log "$what: process $pid exited"; return 1; }
    ((SECONDS < deadline)) || { log "$what: not ready after ${limit}s"; return 1; }
    sleep 0.2
  done
}

# stop_pid PID [SECONDS] — SIGTERM, wait (default 120 s), then SIGKILL.
stop_pid() {
  local pid=$1 limit=${2:-120} i=0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    ((i++ < limit * 10)) || { log "process $pid ignored SIGTERM for ${limit}s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; break; }
    sleep 0.1
  done
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do stop_pid "$pid" 30; done
  if [ -n "${WORK:-}" ] && [ -z "${KEEP_WORK:-}" ]; then rm -rf "$WORK"; fi
}

build_tools() {
  command -v dotnet >/dev/null || die "dotnet SDK not found"
  log "building the peer driver and the fabrica CLI (Release)"
  dotnet build "$PEERS_DIR/PeerDriver" -c Release -v q -nologo >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; die "peer driver build failed"; }
  dotnet build "$REPO_DIR/src/Fabrica.Cli" -c Release -v q -nologo >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; die "fabrica build failed"; }
}

driver() { dotnet "$DRIVER_DLL" "$@"; }

# field LINE KEY — the value of KEY=… in a result line.
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p" | head -1; }

# ratio A B [DIGITS] — A/B, or "n/a" when either is missing.
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN { if (a == "" || b == "" || a == "n/a" || b == "n/a" || b + 0 == 0) print "n/a"; else printf "%.*f", d, a / b }'; }

# fmt_int N — 1234567.8 → 1,234,568 (anything not a number is printed as is).
fmt_int() { awk -v x="$1" 'BEGIN { if (x !~ /^[0-9.]+$/) { print (x == "" ? "n/a" : x); exit } n = sprintf("%.0f", x); s = ""; while (length(n) > 3) { s = "," substr(n, length(n) - 2) s; n = substr(n, 1, length(n) - 3) } print n s }'; }

# fabrica_start DATA_DIR NAME — starts `fabrica serve` on free ports; sets FAB_PID FAB_HTTP FAB_MQTT FAB_URL FAB_TOKEN.
fabrica_start() {
  local data=$1 name=$2 out="$WORK/$2.out"
  mkdir -p "$data"
  dotnet "$FABRICA_DLL" serve --data "$data" --http-port 0 --mqtt-port 0 --bind 127.0.0.1 >"$out" 2>"$WORK/$name.err" &
  FAB_PID=$!
  PIDS+=("$FAB_PID")
  if ! wait_for "fabrica serve ($name)" 180 "$FAB_PID" grep -q '^fabrica ready' "$out"; then
    log "fabrica serve failed; last lines of its stderr:"; tail -5 "$WORK/$name.err" >&2
    FABRICA_ERROR="$(grep -m1 -E 'Exception|error' "$WORK/$name.err" | cut -c1-160)"
    return 1
  fi
  local ready; ready=$(grep -m1 '^fabrica ready' "$out")
  FAB_HTTP=$(field "$ready" http); FAB_MQTT=$(field "$ready" mqtt)
  FAB_URL="http://127.0.0.1:$FAB_HTTP/"
  FAB_TOKEN=$(cat "$data/admin.token")
  log "fabrica ($name) ready: http=$FAB_HTTP mqtt=$FAB_MQTT pid=$FAB_PID"
}

fabrica_stop() { stop_pid "$FAB_PID" 300; }

machine_block() {
  echo "- Machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM (\`free -g\` total), $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r); load generators on the same machine."
  echo "- Load average before the run: $(cut -d" " -f1-3 /proc/loadavg) (other work on the machine shares its 2 cores)."
  echo "- Date: $(date -u +%Y-%m-%dT%H:%MZ); Fabrica commit $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null)$(git -C "$REPO_DIR" diff --quiet 2>/dev/null || echo ' + uncommitted work'); .NET $(dotnet --version)."
}

dir_bytes() { du -sb "$1" 2>/dev/null | cut -f1; }
# dir_alloc DIR — bytes allocated on disk (InfluxDB's series file is a 32 MB sparse preallocation: apparent size misleads).
dir_alloc() { du -s --block-size=1 "$1" 2>/dev/null | cut -f1; }

# cpu_s PID — CPU seconds (user + system) the process has used so far.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo ""; }

# run_measured NAME SERVER_PID COMMAND… — runs COMMAND (its stderr shown as progress) and sets
#   NAME_LINE (last stdout line), NAME_GEN (CPU s of COMMAND, i.e. the load generator) and
#   NAME_SRV (CPU s the server process SERVER_PID used meanwhile).
run_measured() {
  local name=$1 pid=$2 c0; shift 2
  c0=$(cpu_s "$pid")
  { TIMEFORMAT='%U %S'; time "$@" >"$WORK/$name.out" 2>&3; } 3>&2 2>"$WORK/$name.time" || log "$name: command failed"
  printf -v "${name}_LINE" '%s' "$(tail -1 "$WORK/$name.out")"
  printf -v "${name}_GEN" '%s' "$(tail -1 "$WORK/$name.time" | awk '{ printf "%.1f", $1 + $2 }')"
  printf -v "${name}_SRV" '%s' "$(awk -v a="$(cpu_s "$pid")" -v b="$c0" 'BEGIN { if (a == "" || b == "") print ""; else printf "%.1f", a - b }')"
  local line="${name}_LINE"; log "$name: ${!line}"
}

# s3 SECONDS — three decimals (n/a stays).
s3() { awk -v x="$1" 'BEGIN { if (x == "" || x == "n/a") print "n/a"; else printf "%.3f", x }'; }
