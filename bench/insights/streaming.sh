#!/usr/bin/env bash
# Insights while evidence streams in: is a big map's snapshot fast on the first request of a cold process, and does it
# stay fast (and cheap for the writers) while a large import and survey answers keep adding to the same map?
#   1. set-up: import `rows` varied-text rows into the e-commerce sample map (analysis on, matched), wait for the
#      import, the semantic tier and the matcher to finish; create an NPS survey tied to that map and one of its
#      touchpoints, with rate x ANSWER_SECONDS invitations
#   2. first request: restart the API on the same data (a cold process) and time the first insights request; RSS
#      before and after it, and (RSS delta / items) as an approximate size of the snapshot per item
#   3. quiet: insights and evidence-page p50/p95/p99 (LoadTest `insights`, 300 sequential requests each)
#   4. streaming: a second `rows`-row import into the same map and survey answers paced at RATE/s (with comments, so
#      each becomes an item of the map) while one client alternates insights and evidence pages until the import ends;
#      the import's rows/s, the achieved answer rate, latencies, and the largest pendingItems / asOf staleness if the
#      insights response carries them
#   5. import rate with and without a reader: four imports of rows/5 rows into the same map (same text, new ticket
#      ids), in the order reader, none, none, reader; the reader polls insights once a second; each rate and the
#      ratio of the means (reader / none). The phase starts, and each run after the first, once the API is idle
#      (its background theme refresh and semantic work done; at most 900 s of waiting each time)
# Every result line starts with one of FIRST, QUIET, STREAM, READER, LOAD (grep '^STREAM' etc.).
# With `postgres` the database is a throw-away PostgreSQL cluster with its default, durable settings (.ci/postgres).
# Usage: bench/insights/streaming.sh [rows=1000000] [sqlite|postgres]
#        env: RATE=2000 CONNECTIONS=128 ANSWER_SECONDS=600 (invitations = RATE x ANSWER_SECONDS) SETTLE_SECONDS=900
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-1000000}
engine=${2:-sqlite}
rate=${RATE:-2000}
connections=${CONNECTIONS:-128} # 2,000/s at up to ~60 ms a POST needs ~120 in flight
answer_seconds=${ANSWER_SECONDS:-600}
small=$(( rows / 5 ))
work=$(mktemp -d)
pgdir=""
# The API log is kept (a failed phase is explained there); the rest of the work directory goes.
log="${TMPDIR:-/tmp}/streaming-$engine-api.log"
trap 'kill $(jobs -p) 2>/dev/null || true; wait; cp "$work/api.log" "$log" 2>/dev/null && echo "API log: $log"; [ -z "$pgdir" ] || .ci/postgres stop "$pgdir"; rm -rf "$work"' EXIT
database=()
if [ "$engine" = postgres ]; then
  pgdir=$(mktemp -d)
  pg=$(.ci/postgres start "$pgdir" durable)
  database=(Database__Provider=Postgres "ConnectionStrings__Default=$pg;Database=jf_bench")
  echo "PostgreSQL on $pg (fsync on, synchronous_commit on)"
fi

for project in src/JourneyFeedback.Api bench/JourneyFeedback.LoadTest; do dotnet build -c Release "$project" -v quiet -nologo >/dev/null; done
api=src/JourneyFeedback.Api/bin/Release/net10.0/JourneyFeedback.Api.dll
loadtest() { dotnet bench/JourneyFeedback.LoadTest/bin/Release/net10.0/JourneyFeedback.LoadTest.dll "$@"; }
url=http://127.0.0.1:5097
auth="Authorization: Bearer bench-key"
load() { echo "LOAD $1 loadavg=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$pid/status; }
pid=""
start_api() {
  # Rate limits are raised by configuration for the benchmark (the limiter itself still runs).
  env "${database[@]}" Storage__DataDirectory="$work/data" Auth__BootstrapKey=bench-key Demo__SeedSampleMaps=false \
    Limits__MaxUploadBytes=4294967296 RateLimits__Public__PermitLimit=100000000 RateLimits__Api__PermitLimit=100000000 \
    Logging__LogLevel__Default=Warning Logging__LogLevel__JourneyFeedback=Information dotnet "$api" --urls $url >>"$work/api.log" 2>&1 &
  pid=$!
  until curl -sf $url/health >/dev/null; do sleep 0.2; done
}
stop_api() { kill "$pid"; wait "$pid" 2>/dev/null || true; }
idle_api() { # the API's background work (theme refresh, semantic tier) is done: under 10% of a core over 5 s, at most $1 s
  local deadline=$(( $(date +%s) + ${1:-600} )) before after
  while [ "$(date +%s)" -lt $deadline ]; do
    before=$(awk '{print $14+$15}' /proc/$pid/stat); sleep 5; after=$(awk '{print $14+$15}' /proc/$pid/stat)
    [ $(( after - before )) -lt 50 ] && return 0 # clock ticks (100 a second): 50 in 5 s is 10% of a core
  done
  echo "READER note: the API was still busy after ${1:-600} s of waiting"
}
settle() { # the matcher has nothing left for the map
  local deadline=$(( $(date +%s) + ${1:-300} ))
  until [ "$(curl -sf -H "$auth" "$url/api/maps/$map/unassigned?pageSize=1" | json 'd["pendingMatching"]')" = 0 ] \
    || [ "$(date +%s)" -ge $deadline ]; do sleep 2; done
}

# Generated text: the first import, the streaming import (other text and ticket ids, which are the dedup keys) and one
# small file copied under four ticket-id prefixes for phase 5, so those four imports do identical work.
loadtest generate-support-log "$rows" "$work/first.csv" --text varied --seed 42 --id-prefix ZA >/dev/null
loadtest generate-support-log "$rows" "$work/stream.csv" --text varied --seed 43 --id-prefix ZB >/dev/null
loadtest generate-support-log "$small" "$work/small-0.csv" --text varied --seed 44 --id-prefix ZC >/dev/null
for i in 1 2 3 4; do sed "s/^ZC-/Z$i-/" "$work/small-0.csv" >"$work/small-$i.csv"; done

echo "== 1. set-up: $rows rows into a map ($engine)"
load setup-start
start_api
curl -sf -H "$auth" -H "Content-Type: application/json" --data @samples/maps/ecommerce-journey.json $url/api/maps >"$work/map.json"
map=$(json 'd["id"]' <"$work/map.json")
loadtest import $url bench-key "$map" "$work/first.csv" setup | sed 's/^/SETUP /'
# The semantic tier embeds up to its per-map budget after the import, then the theme refresh regroups the map's
# negative items; both write to items (bumping the map's evidence version), so phase 2 waits for them (or gives up).
deadline=$(( $(date +%s) + ${SETTLE_SECONDS:-900} ))
until grep -q "embedded and placed by the semantic tier" "$work/api.log" || [ "$(date +%s)" -ge $deadline ]; do sleep 2; done
settle
themes_after_tier() { awk '/embedded and placed by the semantic tier/ { tier = NR } /pain-point themes over/ && tier { found = 1 } END { exit !found }' "$work/api.log"; }
until themes_after_tier || [ "$(date +%s)" -ge $deadline ]; do sleep 2; done
themes_after_tier && echo "SETUP semantic tier and theme refresh done" \
  || echo "SETUP semantic tier / theme refresh still running after ${SETTLE_SECONDS:-900} s (phase 2 and 3 may see its writes)"
touchpoint=$(json '[t["id"] for s in d["stages"] for t in s["touchpoints"]][0]' <"$work/map.json")
answers=$(( rate * answer_seconds ))
loadtest prepare-survey $url bench-key "$answers" "$work/tokens.txt" --map "$map" --touchpoint "$touchpoint" >/dev/null
echo "SETUP survey tied to map $map touchpoint $touchpoint, $answers invitations"
stop_api

echo "== 2. first request of a cold process"
start_api
sleep 3 # start-up work (migrations check, workers polling) out of the way
before=$(rss_mb)
first=$(curl -sf -H "$auth" -o "$work/first.json" -w '%{time_total}' "$url/api/maps/$map/insights")
after=$(rss_mb)
items=$(json 'd["items"]' <"$work/first.json")
python3 -c "print(f'FIRST insights_request_s=$first items=$items rss_before_mb=$before rss_after_mb=$after approx_bytes_per_item={($after-$before)*1048576/max($items,1):.0f} (RSS delta / items; GC timing makes it approximate)')"
load after-first-request

echo "== 3. quiet"
loadtest insights $url bench-key "$map" 300 | sed 's/^/QUIET /'
load after-quiet

echo "== 4. streaming: $rows-row import + $rate answers/s into the same map"
load stream-start
rm -f "$work/stop"
loadtest insights-watch $url bench-key "$map" "$work/stop" --label streaming >"$work/watch.txt" &
watcher=$!
loadtest answer-at-rate $url "$work/tokens.txt" "$rate" "$connections" "$work/stop" "$work/stream.csv" >"$work/answers.txt" &
answerer=$!
loadtest import $url bench-key "$map" "$work/stream.csv" streaming | sed 's/^/STREAM /'
touch "$work/stop"
wait $watcher $answerer
sed 's/^/STREAM /' "$work/answers.txt" "$work/watch.txt"
load stream-end
echo "STREAM api_rss_mb=$(rss_mb) peak_rss_mb=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$pid/status)"
settle 300
# Each run of phase 5 starts with the API idle: the streaming phase (and each import below) leaves a theme refresh of
# the grown map running for minutes, which would otherwise be measured as the reader's cost.
idle_api 900

echo "== 5. import rate with and without a reader polling insights every second ($small rows each, same map)"
load reader-start
rates=()
for i in 1 2 3 4; do
  case $i in 1|4) reader=reader ;; *) reader=none ;; esac
  rm -f "$work/stop"
  if [ $reader = reader ]; then
    loadtest insights-watch $url bench-key "$map" "$work/stop" --every 1000 --label "reader-$i" >"$work/poll.txt" &
    poller=$!
  fi
  line=$(loadtest import $url bench-key "$map" "$work/small-$i.csv" "$reader-$i" 2>&1) || true
  touch "$work/stop"
  echo "READER $line loadavg=$(cut -d' ' -f1 /proc/loadavg)"
  if [ $reader = reader ]; then wait $poller; sed 's/^/READER /' "$work/poll.txt"; fi
  if [[ $line =~ status=succeeded.*rows_per_s=([0-9]+) ]]; then rates+=("$reader:${BASH_REMATCH[1]}"); fi
  settle 300
  idle_api 900
done
python3 - "${rates[@]}" <<'PY'
import sys
runs = [a.split(':') for a in sys.argv[1:]]
mean = lambda k: sum(float(r) for n, r in runs if n == k) / max(1, sum(1 for n, _ in runs if n == k))
if mean('none') == 0 or mean('reader') == 0: sys.exit(print("READER summary incomplete: an import failed (see the API log)"))
print(f"READER summary reader_mean_rows_per_s={mean('reader'):.0f} none_mean_rows_per_s={mean('none'):.0f} "
      f"ratio={mean('reader') / mean('none'):.3f} (≥ 0.95 is the target)")
PY
load end
stop_api
