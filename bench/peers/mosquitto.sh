#!/usr/bin/env bash
# Fabrica vs Mosquitto (Debian `mosquitto`): QoS 1 messages acknowledged per second, one sample per message,
# 100 connections and 1 connection, driven by the same load generator (`fabrica bench ingest`).
# Mosquitto acknowledges without storing anything; Fabrica acknowledges after the fsync that stores the sample.
#   bench/peers/mosquitto.sh        (≈ 3 min)
# Prints a markdown results block on stdout (progress on stderr). See bench/peers/README.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

DURATION=${DURATION:-15}     # seconds per measurement
INFLIGHT=${INFLIGHT:-16}     # unacknowledged QoS 1 messages per connection
MANY=${MANY:-100}

apt_ensure mosquitto
WORK=$(mktemp -d /tmp/fabrica-peers-mosquitto.XXXXXX)
trap cleanup EXIT
build_tools

# gen NAME SERVER_PID ARGS… — one `fabrica bench ingest` run; sets NAME_LINE, NAME_GEN, NAME_SRV (see lib.sh).
gen() { local name=$1 pid=$2; shift 2; run_measured "$name" "$pid" dotnet "$FABRICA_DLL" bench ingest "$@"; }
COMMON=(--samples-per-message 1 --duration "$DURATION" --inflight "$INFLIGHT" --tags 10)

# ---------------------------------------------------------------- Mosquitto
PORT=$(free_port)
cat >"$WORK/mosquitto.conf" <<CONF
listener $PORT 127.0.0.1
allow_anonymous true
persistence false
log_dest stderr
log_type error
log_type warning
CONF
MOSQ_VERSION=$( { mosquitto -h 2>/dev/null || true; } | head -1 | sed 's/ is an MQTT.*//')
mosquitto -c "$WORK/mosquitto.conf" 2>"$WORK/mosquitto.err" &
MOSQ_PID=$!; PIDS+=("$MOSQ_PID")
wait_for mosquitto 30 "$MOSQ_PID" bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" || die "mosquitto did not start: $(cat "$WORK/mosquitto.err")"
log "$MOSQ_VERSION on 127.0.0.1:$PORT"
gen M_MANY "$MOSQ_PID" --no-register --mqtt-port "$PORT" --connections "$MANY" "${COMMON[@]}"
gen M_ONE "$MOSQ_PID" --no-register --mqtt-port "$PORT" --connections 1 "${COMMON[@]}"
stop_pid "$MOSQ_PID" 30

# ---------------------------------------------------------------- Fabrica
F_MANY_LINE="" F_ONE_LINE="" F_MANY_SRV="" F_ONE_SRV="" F_MANY_GEN="" F_ONE_GEN="" FABRICA_ERROR=""
if fabrica_start "$WORK/fab" fab; then
  FC=(--server "$FAB_URL" --data "$WORK/fab" --mqtt-port "$FAB_MQTT")
  gen F_MANY "$FAB_PID" "${FC[@]}" --connections "$MANY" "${COMMON[@]}"
  gen F_ONE "$FAB_PID" "${FC[@]}" --connections 1 "${COMMON[@]}"
  fabrica_stop
fi

# ---------------------------------------------------------------- report
row() { # LABEL MOSQ_LINE FAB_LINE
  local m f; m=$(field "$2" messages_per_s); f=$(field "$3" messages_per_s)
  echo "| $1 | $(fmt_int "$m") | $(fmt_int "$f") | $(ratio "$f" "$m") | $(field "$2" ack_p50_ms) / $(field "$2" ack_p99_ms) | $(field "$3" ack_p50_ms) / $(field "$3" ack_p99_ms) |"
}
f_many=$(field "$F_MANY_LINE" messages_per_s)
cat <<MD
### Fabrica vs Mosquitto, QoS 1, one sample per message ($(date -u +%Y-%m-%d))

$(machine_block)
- Command: \`bench/peers/mosquitto.sh\` (DURATION=$DURATION INFLIGHT=$INFLIGHT MANY=$MANY); both brokers driven by \`fabrica bench ingest --samples-per-message 1 --inflight $INFLIGHT --duration $DURATION --tags 10\` (Mosquitto with \`--no-register\`, anonymous, no persistence).
- Peer: $MOSQ_VERSION (Debian). Mosquitto acknowledges without storing; Fabrica sends the PUBACK after the fsync of the WAL record that holds the sample.${FABRICA_ERROR:+ Fabrica side not measured: \`fabrica serve\` failed (\`$FABRICA_ERROR\`).}

| connections | Mosquitto msg/s | Fabrica msg/s (stored) | Fabrica / Mosquitto | Mosquitto ack p50 / p99 ms | Fabrica ack p50 / p99 ms |
|---|---:|---:|---:|---:|---:|
$(row "$MANY" "$M_MANY_LINE" "$F_MANY_LINE")
$(row 1 "$M_ONE_LINE" "$F_ONE_LINE")

CPU seconds during each ${DURATION} s run (2 cores = $((2 * DURATION)) CPU s available): $MANY connections — Mosquitto ${M_MANY_SRV:-n/a}, its load generator ${M_MANY_GEN:-n/a}; Fabrica ${F_MANY_SRV:-n/a}, its load generator ${F_MANY_GEN:-n/a}. 1 connection — Mosquitto ${M_ONE_SRV:-n/a} / generator ${M_ONE_GEN:-n/a}; Fabrica ${F_ONE_SRV:-n/a} / generator ${F_ONE_GEN:-n/a}. (Generator CPU includes its start-up, device registration and connecting.)

| issue-2 target | measured | |
|---|---:|---|
| ≥ 120,000 messages/s, one sample each, stored, $MANY device connections | $(fmt_int "$f_many") | $(awk -v v="$f_many" 'BEGIN { if (v == "") print "not measured"; else if (v + 0 >= 120000) print "**met**"; else print "**missed**" }') |
MD
