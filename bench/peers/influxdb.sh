#!/usr/bin/env bash
# Fabrica vs InfluxDB 1.x (Debian `influxdb`) on the same sensor data set, side by side, as ratios.
#   bench/peers/influxdb.sh            # full run: 1,000 series × 1 day at 1 Hz (86.4 M points), ≈ 15–25 min
#   DATA_SECONDS=3600 bench/peers/influxdb.sh   # quick check with 1 hour of data
# Prints a markdown results block on stdout (progress on stderr). See bench/peers/README.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

DEVICES=${DEVICES:-100}            # 100 devices × 10 tags = 1,000 series
TAGS=${TAGS:-10}
DATA_SECONDS=${DATA_SECONDS:-86400}
WRITERS=${WRITERS:-4}              # concurrent line-protocol writers (InfluxDB) / HTTP writers (Fabrica)
BATCH=${BATCH:-5000}               # points per InfluxDB write / samples per Fabrica HTTP request
MQTT_BATCH=${MQTT_BATCH:-1000}     # samples per MQTT message
MQTT_INFLIGHT=${MQTT_INFLIGHT:-8}
QUERY_CONCURRENCY=${QUERY_CONCURRENCY:-4}
REPEAT=${REPEAT:-5}
HTTP_LOAD_MAX_S=${HTTP_LOAD_MAX_S:-60}
BENCH_INGEST_S=${BENCH_INGEST_S:-20}
# The data set is the UTC day before today (whole day inside one InfluxDB shard and Fabrica's raw retention).
START_MS=${START_MS:-$(( ($(date -u +%s) / 86400 - 1) * 86400 * 1000 ))}
DS=(--devices "$DEVICES" --tags "$TAGS" --seconds "$DATA_SECONDS" --start-ms "$START_MS")
POINTS=$((DEVICES * TAGS * DATA_SECONDS))

apt_ensure influxdb curl
WORK=$(mktemp -d /tmp/fabrica-peers-influx.XXXXXX)
trap cleanup EXIT
build_tools

# ---------------------------------------------------------------- InfluxDB
INFLUX_HTTP=$(free_port); INFLUX_RPC=$(free_port)
mkdir -p "$WORK/influx"
cat >"$WORK/influx/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$INFLUX_RPC"
[meta]
  dir = "$WORK/influx/meta"
[data]
  dir = "$WORK/influx/data"
  wal-dir = "$WORK/influx/wal"
  wal-fsync-delay = "0s"
  index-version = "inmem"
  query-log-enabled = false
  cache-max-memory-size = "2g"
  cache-snapshot-write-cold-duration = "5s"
  compact-full-write-cold-duration = "15s"
[coordinator]
  query-timeout = "0s"
[retention]
  enabled = false
[monitor]
  store-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:$INFLUX_HTTP"
  log-enabled = false
  max-body-size = 0
[continuous_queries]
  enabled = false
[subscriber]
  enabled = false
CONF
INFLUX_VERSION=$(influxd version 2>/dev/null | head -1)
log "starting $INFLUX_VERSION on 127.0.0.1:$INFLUX_HTTP (WAL fsync on every write)"
influxd run -config "$WORK/influx/influxdb.conf" >"$WORK/influx/out.log" 2>&1 &
INFLUX_PID=$!; PIDS+=("$INFLUX_PID")
wait_for influxd 60 "$INFLUX_PID" curl -sf "http://127.0.0.1:$INFLUX_HTTP/ping" || die "influxd did not start: $(tail -3 "$WORK/influx/out.log")"
curl -sf -XPOST "http://127.0.0.1:$INFLUX_HTTP/query" --data-urlencode "q=CREATE DATABASE bench WITH SHARD DURATION 7d" >/dev/null
INFLUX_URL="http://127.0.0.1:$INFLUX_HTTP/"

run_measured IL "$INFLUX_PID" driver influx-load --url "$INFLUX_URL" --writers "$WRITERS" --batch "$BATCH" "${DS[@]}"
I_LOAD=$IL_LINE

# Wait for the shard to go cold and be fully compacted: one TSM generation, no temp files, WAL empty, size stable.
log "waiting for InfluxDB's full compaction of the cold shard"
compaction_state() {
  local shard=$1
  local gens tmp wal size
  gens=$(find "$shard" -name '*.tsm' -printf '%f\n' | cut -d- -f1 | sort -u | wc -l)
  tmp=$(find "$shard" -name '*.tmp' | wc -l)
  wal=$(find "$WORK/influx/wal" -name '*.wal' -size +0 | wc -l)
  size=$(dir_bytes "$shard")
  echo "$gens $tmp $wal $size"
}
SHARD="$WORK/influx/data/bench/autogen"   # the data set lies in one 7-day shard group: one shard
COMPACT_START=$SECONDS; PREV=""; STABLE=0
while ((SECONDS - COMPACT_START < 1800)); do
  STATE=$(compaction_state "$SHARD")
  read -r GENS TMP WALN SIZE <<<"$STATE"
  if [ "$GENS" = 1 ] && [ "$TMP" = 0 ] && [ "$WALN" = 0 ] && [ "$STATE" = "$PREV" ]; then
    STABLE=$((STABLE + 1)); ((STABLE >= 3)) && break
  else
    STABLE=0
  fi
  PREV=$STATE; sleep 5
done
INFLUX_COMPACTED=$([ "$STABLE" -ge 3 ] && echo "yes, after $((SECONDS - COMPACT_START)) s" || echo "NO (timed out; state: generations/tmp/wal/bytes = $STATE)")
log "compaction: $INFLUX_COMPACTED"
I_TSM_BYTES=$(find "$SHARD" -name '*.tsm' -printf '%s\n' | awk '{s += $1} END {print s}')
I_SHARD_BYTES=$(dir_alloc "$SHARD")
I_DATA_BYTES=$(dir_alloc "$WORK/influx/data")
I_WAL_BYTES=$(dir_alloc "$WORK/influx/wal")

I_COUNT=$(driver influx-query --url "$INFLUX_URL" --kind count --repeat 1 "${DS[@]}"); log "$I_COUNT"
I_HOUR=$(driver influx-query --url "$INFLUX_URL" --kind hour --repeat "$REPEAT" "${DS[@]}"); log "$I_HOUR"
I_DAY=$(driver influx-query --url "$INFLUX_URL" --kind day --repeat "$REPEAT" "${DS[@]}"); log "$I_DAY"
stop_pid "$INFLUX_PID" 60

# ---------------------------------------------------------------- Fabrica
F_MQTT="" F_HTTP="" F_BENCH="" F_FLUSHED="" FM_GEN="" FM_SRV="" FH_GEN="" FH_SRV="" FB_GEN="" FB_SRV="" F_STORE="" F_COUNT="" F_HOUR="" F_DAY="" F_TSDB="" F_BLOCKS="" F_WAL="" FABRICA_ERROR=""
if fabrica_start "$WORK/fab-a" fab-a; then
  # (a) the data set over MQTT, batched; then SIGTERM (the engine flushes on shutdown), measure the tsdb directory,
  #     restart (recovery loads the blocks) and query.
  run_measured FM "$FAB_PID" driver fabrica-load --transport mqtt --server "$FAB_URL" --token "$FAB_TOKEN" --mqtt-port "$FAB_MQTT" \
    --samples-per-message "$MQTT_BATCH" --inflight "$MQTT_INFLIGHT" "${DS[@]}"
  F_MQTT=$FM_LINE
  # Flush the head and compact through the admin API (as InfluxDB compacted its cold shard), measure, then stop.
  ADMIN=(-sf -XPOST -H "Authorization: Bearer $FAB_TOKEN")
  T0=$SECONDS
  if curl "${ADMIN[@]}" "${FAB_URL}api/v1/admin/storage/flush" >/dev/null && curl "${ADMIN[@]}" "${FAB_URL}api/v1/admin/storage/compact" >/dev/null; then
    F_FLUSHED="flushed and compacted through \`POST /api/v1/admin/storage/flush\` and \`/compact\` ($((SECONDS - T0)) s), measured while running"
  else
    F_FLUSHED="the admin flush/compact API failed; measured after SIGTERM as found"
  fi
  F_TSDB=$(dir_alloc "$WORK/fab-a/tsdb"); F_BLOCKS=$(dir_alloc "$WORK/fab-a/tsdb/blocks"); F_WAL=$(dir_alloc "$WORK/fab-a/tsdb/wal")
  log "fabrica node tsdb after flush + compact: $(du -s --block-size=1 "$WORK/fab-a/tsdb"/* 2>/dev/null | tr '\n' ' ')"
  fabrica_stop
  if fabrica_start "$WORK/fab-a" fab-a2; then
    FQ=(--server "$FAB_URL" --token "$FAB_TOKEN" --concurrency "$QUERY_CONCURRENCY" "${DS[@]}")
    F_COUNT=$(driver fabrica-query --kind count --repeat 1 "${FQ[@]}") || true; log "$F_COUNT"
    F_HOUR=$(driver fabrica-query --kind hour --repeat "$REPEAT" "${FQ[@]}") || true; log "$F_HOUR"
    F_DAY=$(driver fabrica-query --kind day --repeat "$REPEAT" "${FQ[@]}") || true; log "$F_DAY"
    fabrica_stop
  fi
  rm -rf "$WORK/fab-a"
  # (b) the data set over HTTP, batches of $BATCH samples, $WRITERS writers, at most $HTTP_LOAD_MAX_S s, fresh node.
  if fabrica_start "$WORK/fab-b" fab-b; then
    run_measured FH "$FAB_PID" driver fabrica-load --transport http --server "$FAB_URL" --token "$FAB_TOKEN" --writers "$WRITERS" \
      --samples-per-message "$BATCH" --max-wall-s "$HTTP_LOAD_MAX_S" "${DS[@]}"
    F_HTTP=$FH_LINE
    fabrica_stop; rm -rf "$WORK/fab-b"
  fi
  # (c) the lead's load generator with batched payloads, fresh node.
  if fabrica_start "$WORK/fab-c" fab-c; then
    run_measured FB "$FAB_PID" dotnet "$FABRICA_DLL" bench ingest --server "$FAB_URL" --data "$WORK/fab-c" --mqtt-port "$FAB_MQTT" --connections 100 \
      --samples-per-message "$MQTT_BATCH" --duration "$BENCH_INGEST_S" --inflight "$MQTT_INFLIGHT" --tags 10
    F_BENCH=$FB_LINE
    fabrica_stop; rm -rf "$WORK/fab-c"
  fi
fi
# (d) the storage engine alone, in-process, the same data set and batches as InfluxDB's load (durable batches).
#     Then FlushAsync + CompactAsync (the analogue of InfluxDB's full compaction) and the directory is measured.
F_STORE=$(driver storage-load --dir "$WORK/fab-d" --writers "$WRITERS" --batch "$BATCH" "${DS[@]}" 2>"$WORK/storage.err") \
  || { log "storage-load failed: $(grep -m1 -E 'Exception' "$WORK/storage.err" | cut -c1-160)"; F_STORE=""; }
log "$F_STORE"
F_ENGINE=""; F_ENGINE_BLOCKS=""
if [ -n "$F_STORE" ]; then
  F_ENGINE=$(dir_alloc "$WORK/fab-d"); F_ENGINE_BLOCKS=$(find "$WORK/fab-d/blocks" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
  log "fabrica engine dir after flush + compaction: $(du -s --block-size=1 "$WORK/fab-d"/* | tr '\n' ' ')"
fi
rm -rf "$WORK/fab-d"

# ---------------------------------------------------------------- report
i_rate=$(field "$I_LOAD" points_per_s)
f_mqtt=$(field "$F_MQTT" samples_per_s); f_http=$(field "$F_HTTP" samples_per_s)
f_bench=$(field "$F_BENCH" samples_per_s); f_store=$(field "$F_STORE" samples_per_s)
i_bpp=$(ratio "$I_DATA_BYTES" "$POINTS" 3); i_tsm_bpp=$(ratio "$I_TSM_BYTES" "$POINTS" 3)
f_node_bpp=$(ratio "$F_TSDB" "$POINTS" 3)
f_bpp=$(ratio "$F_ENGINE" "$POINTS" 3); f_blocks_bpp=$(ratio "$F_ENGINE_BLOCKS" "$POINTS" 3)
ih=$(s3 "$(field "$I_HOUR" median_s)"); fh=$(s3 "$(field "$F_HOUR" median_s)"); id=$(s3 "$(field "$I_DAY" median_s)"); fd=$(s3 "$(field "$F_DAY" median_s)")
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { if (v == "" || v == "n/a") print "not measured"; else if ((op == ">=" && v + 0 >= t) || (op == "<=" && v + 0 <= t) || (op == "<" && v + 0 < t)) print "**met**"; else print "**missed**" }'; }
na() { echo "${1:-n/a}"; }
UNMEASURED=${FABRICA_ERROR:+ Fabrica side not measured: \`fabrica serve\` failed to start (\`$FABRICA_ERROR\`).}

cat <<MD
### Fabrica vs InfluxDB ($(date -u +%Y-%m-%d))

$(machine_block)
- Command: \`bench/peers/influxdb.sh\` (DEVICES=$DEVICES TAGS=$TAGS DATA_SECONDS=$DATA_SECONDS WRITERS=$WRITERS BATCH=$BATCH MQTT_BATCH=$MQTT_BATCH MQTT_INFLIGHT=$MQTT_INFLIGHT QUERY_CONCURRENCY=$QUERY_CONCURRENCY REPEAT=$REPEAT).
- Peer: $INFLUX_VERSION (Debian), own config: \`wal-fsync-delay = "0s"\` (fsync per write), inmem index, shard duration 7d, full compaction of a shard cold for 15 s.
- Data set (both systems): $(fmt_int $((DEVICES * TAGS))) series = $DEVICES devices × $TAGS tags, 1 Hz for $DATA_SECONDS s from $(date -u -d "@$((START_MS / 1000))" +%Y-%m-%dT%H:%MZ) = $(fmt_int $POINTS) points; each series a mean-reverting random walk + daily cycle + noise of ≈ 2.5 LSB, rounded to 1, 2 or 3 decimals (series mod 3); fixed seed.
- Mapping: InfluxDB series \`sensor,device=dNNN,tag=tK value=…\` (one field); Fabrica device \`dNNN\`, tag \`tK\`. A question over all series is one InfluxQL statement, and $DEVICES HTTP requests to Fabrica's per-device \`GET /api/v1/devices/{id}/telemetry?interval=1h&agg=avg\` ($QUERY_CONCURRENCY at a time), timed until every answer is parsed.$UNMEASURED

| figure | InfluxDB | Fabrica | Fabrica / InfluxDB |
|---|---:|---:|---:|
| ingest, InfluxDB line protocol over HTTP ($WRITERS writers × $BATCH points, fsync) vs Fabrica MQTT QoS 1, $DEVICES connections × $MQTT_BATCH samples/message, acked after fsync (samples/s) | $(fmt_int "$i_rate") | $(fmt_int "$f_mqtt") | $(ratio "$f_mqtt" "$i_rate") |
| ingest, Fabrica HTTP POST ($WRITERS writers × $BATCH samples, 2xx after fsync; at most ${HTTP_LOAD_MAX_S} s) (samples/s) | $(fmt_int "$i_rate") | $(fmt_int "$f_http") | $(ratio "$f_http" "$i_rate") |
| ingest, \`fabrica bench ingest\` (100 connections × $MQTT_BATCH samples/message, inflight $MQTT_INFLIGHT, ${BENCH_INGEST_S} s; its own data) (samples/s) | $(fmt_int "$i_rate") | $(fmt_int "$f_bench") | $(ratio "$f_bench" "$i_rate") |
| ingest into the storage engine alone, in-process ($WRITERS writers × $BATCH samples, durable) (samples/s) | $(fmt_int "$i_rate") | $(fmt_int "$f_store") | $(ratio "$f_store" "$i_rate") |
| bytes per point on disk (allocated): InfluxDB data dir after full compaction (WAL empty) vs the Fabrica node's \`tsdb/\` after the MQTT load, flush and compaction | $i_bpp | $f_node_bpp | $(ratio "$f_node_bpp" "$i_bpp") |
| the same, Fabrica engine loaded in-process, after \`FlushAsync\` + \`CompactAsync\` | $i_bpp | $f_bpp | $(ratio "$f_bpp" "$i_bpp") |
| bytes per point, data files only: InfluxDB TSM files vs Fabrica block files (raw chunks + 1 min / 1 h roll-ups), in-process load | $i_tsm_bpp | $f_blocks_bpp | $(ratio "$f_blocks_bpp" "$i_tsm_bpp") |
| 1 h mean of each of the series, median of $REPEAT (s) | $ih | $fh | $(ratio "$fh" "$ih" 3) |
| all series × $DATA_SECONDS s into 1-hour means, median of $REPEAT (s) | $id | $fd | $(ratio "$fd" "$id" 3) |
| same two queries, first run after start (s) | $(s3 "$(field "$I_HOUR" first_s)") / $(s3 "$(field "$I_DAY" first_s)") | $(s3 "$(field "$F_HOUR" first_s)") / $(s3 "$(field "$F_DAY" first_s)") | |

Checks: points stored — InfluxDB $(fmt_int "$(field "$I_COUNT" checksum)") (\`count(value)\`), Fabrica $(fmt_int "$(field "$F_COUNT" checksum)") (sum of per-tag \`agg=count\`); checksum of the 1 h means — InfluxDB $(na "$(field "$I_HOUR" checksum)") over $(na "$(field "$I_HOUR" points)") values, Fabrica $(na "$(field "$F_HOUR" checksum)") over $(na "$(field "$F_HOUR" points)") values; day query — InfluxDB $(na "$(field "$I_DAY" checksum)") over $(na "$(field "$I_DAY" points)") buckets, Fabrica $(na "$(field "$F_DAY" checksum)") over $(na "$(field "$F_DAY" points)") buckets. InfluxDB compaction finished: $INFLUX_COMPACTED. Sizes: InfluxDB data $(fmt_int "$I_DATA_BYTES") B (TSM $(fmt_int "$I_TSM_BYTES") B), WAL $(fmt_int "$I_WAL_BYTES") B; Fabrica engine after flush + compaction $(fmt_int "${F_ENGINE:-n/a}") B (block files $(fmt_int "${F_ENGINE_BLOCKS:-n/a}") B); Fabrica node tsdb after flush + compaction $(fmt_int "${F_TSDB:-n/a}") B (blocks $(fmt_int "${F_BLOCKS:-n/a}") B, wal $(fmt_int "${F_WAL:-n/a}") B, the fresh preallocated segment). Fabrica node: ${F_FLUSHED:-n/a}.

CPU seconds used during each load (server / load generator; 2 cores): InfluxDB load $(na "$IL_SRV") / $(na "$IL_GEN") over $(s3 "$(field "$I_LOAD" seconds)") s; Fabrica MQTT load $(na "$FM_SRV") / $(na "$FM_GEN") over $(s3 "$(field "$F_MQTT" seconds)") s; Fabrica HTTP load $(na "$FH_SRV") / $(na "$FH_GEN") over $(s3 "$(field "$F_HTTP" seconds)") s; \`fabrica bench ingest\` $(na "$FB_SRV") / $(na "$FB_GEN") over $(s3 "$(field "$F_BENCH" duration_s)") s. Ack latency of the Fabrica MQTT load p50 / p99: $(na "$(field "$F_MQTT" ack_p50_ms)") / $(na "$(field "$F_MQTT" ack_p99_ms)") ms per 1,000-sample message.

| issue-2 target | measured | |
|---|---:|---|
| ≥ 2,000,000 samples/s into the storage engine alone | $(fmt_int "$f_store") | $(verdict "$f_store" 2000000 ">=") |
| ≥ 1,750,000 samples/s acknowledged over MQTT, batched payloads (data set / \`fabrica bench ingest\`) | $(fmt_int "$f_mqtt") / $(fmt_int "$f_bench") | $(verdict "$f_mqtt" 1750000 ">=") / $(verdict "$f_bench" 1750000 ">=") |
| ≤ 0.5 × InfluxDB's bytes on the same data set (node / engine) | $(ratio "$f_node_bpp" "$i_bpp") × ($f_node_bpp B/point) / $(ratio "$f_bpp" "$i_bpp") × ($f_bpp B/point) | $(verdict "$(ratio "$f_node_bpp" "$i_bpp" 4)" 0.5 "<=") / $(verdict "$(ratio "$f_bpp" "$i_bpp" 4)" 0.5 "<=") |
| 1 h mean of each of 1,000 series ≤ 0.15 s | $fh s | $(verdict "$fh" 0.15 "<=") |
| 1,000 series × 1 day at 1 Hz into 1-hour buckets < 0.5 s | $fd s | $(verdict "$fd" 0.5 "<") |
MD
