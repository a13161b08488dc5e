#!/usr/bin/env bash
# Observed journeys at scale: an analytics export of `events` events (bench/journeys/gen_events.py: customers =
# events / 10, six months, GA4-style) and a support log of events / 20 tickets for the same customers, on the e-commerce
# sample map with its event rules (samples/maps/ecommerce-event-rules.json), then the latency of the journeys and funnel
# endpoints.
#   1. generate both files (time)
#   2. fresh data directory, Release API; create the map, PUT the rules, import the events (rows/s from the import's
#      status: rows / (finishedAt - startedAt); and end to end from the upload), PUT the rules again (every stored event
#      re-placed: the time of the rebuild), import the support log with mapId and wait for the matcher, the semantic
#      tier and the theme refresh (they write to the tickets, which rebuilds the journey log)
#   3. restart the API (a cold process) and time the first journeys and the first funnel request (the log is built)
#   4. 60 distinct journeys and 60 distinct funnel queries (bench/journeys/latency.py: month windows, segment,
#      collapseLoops, modes, windows, default and 3-touchpoint steps), then the same queries again (kept answers)
# Result lines start with GEN, IMPORT, RULES, FIRST, LATENCY or LOAD; a summary table at the end.
# With `postgres` the database is a throw-away PostgreSQL cluster with its default, durable settings (.ci/postgres).
# Usage: bench/journeys/run.sh [events=1000000] [sqlite|postgres]
#        env: CUSTOMERS=events/10 REQUESTS=60 PORT=5099 SETTLE_SECONDS=900
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-1000000}
engine=${2:-sqlite}
customers=${CUSTOMERS:-$(( events / 10 ))}
requests=${REQUESTS:-60}
url=http://127.0.0.1:${PORT:-5099}
work=$(mktemp -d)
pgdir=""
log="${TMPDIR:-/tmp}/journeys-$engine-api.log"
trap 'kill $(jobs -p) 2>/dev/null || true; wait; cp "$work/api.log" "$log" 2>/dev/null && echo "API log: $log"; [ -z "$pgdir" ] || .ci/postgres stop "$pgdir"; rm -rf "$work"' EXIT
database=()
if [ "$engine" = postgres ]; then
  pgdir=$(mktemp -d)
  pg=$(.ci/postgres start "$pgdir" durable)
  database=(Database__Provider=Postgres "ConnectionStrings__Default=$pg;Database=jf_journeys")
  echo "PostgreSQL on $pg (fsync on, synchronous_commit on)"
fi

dotnet build -c Release src/JourneyFeedback.Api -v quiet -nologo >/dev/null
api=src/JourneyFeedback.Api/bin/Release/net10.0/JourneyFeedback.Api.dll
auth="Authorization: Bearer bench-key"
load() { echo "LOAD $1 loadavg=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
pid=""
start_api() {
  env "${database[@]}" Storage__DataDirectory="$work/data" Auth__BootstrapKey=bench-key Demo__SeedSampleMaps=false \
    Limits__MaxUploadBytes=4294967296 RateLimits__Public__PermitLimit=100000000 RateLimits__Api__PermitLimit=100000000 \
    Logging__LogLevel__Default=Warning Logging__LogLevel__JourneyFeedback=Information dotnet "$api" --urls "$url" >>"$work/api.log" 2>&1 &
  pid=$!
  until curl -sf "$url/health" >/dev/null; do sleep 0.2; done
}
stop_api() { kill "$pid"; wait "$pid" 2>/dev/null || true; }
# Uploads a file and waits for its import; prints IMPORT with rows/s from the import's own start and finish times.
import_file() { # label file kind [mapId]
  local label=$1 file=$2 kind=$3 map_field=() t0 id status
  [ -z "${4:-}" ] || map_field=(-F "mapId=$4")
  t0=$(date +%s.%N)
  id=$(curl -sf -H "$auth" -F "file=@$file" -F "kind=$kind" "${map_field[@]}" "$url/api/imports" | json 'd["id"]')
  until status=$(curl -sf -H "$auth" "$url/api/imports/$id" | json 'd["status"]') && [[ $status =~ ^(succeeded|failed|cancelled)$ ]]; do
    sleep 0.5
  done
  curl -sf -H "$auth" "$url/api/imports/$id" | python3 -c "
import json, sys
from datetime import datetime
d = json.load(sys.stdin)
when = lambda s: datetime.fromisoformat(s.replace('Z', '+00:00'))
seconds = (when(d['finishedAt']) - when(d['startedAt'])).total_seconds() if d['startedAt'] and d['finishedAt'] else float('nan')
print(f\"IMPORT $label status={d['status']} rows={d['rowsRead']} imported={d['imported']} duplicates={d['skippedDuplicates']} \"
      f\"rejected={d['rejected']} seconds={seconds:.2f} rows_per_s={d['rowsRead'] / seconds:.0f} \"
      f\"end_to_end_s={$(date +%s.%N) - $t0:.2f} bytes={d['fileSize']}\")"
}

echo "== 1. generate: $events events for $customers customers, $(( events / 20 )) tickets"
load start
python3 bench/journeys/gen_events.py "$work/events.csv" --events "$events" --customers "$customers" \
  --support-log "$work/tickets.csv" | sed 's/^/GEN /'
sync # the fresh files' write-back does not compete with the import's fsyncs

echo "== 2. import ($engine)"
start_api
curl -sf -H "$auth" -H "Content-Type: application/json" --data @samples/maps/ecommerce-journey.json "$url/api/maps" >"$work/map.json"
map=$(json 'd["id"]' <"$work/map.json")
put_rules() {
  curl -sf -X PUT -H "$auth" -H "Content-Type: application/json" --data @samples/maps/ecommerce-event-rules.json \
    -o "$work/rules.json" -w '%{time_total}' "$url/api/maps/$map/event-rules"
}
put_rules >/dev/null
load import-start
import_file events "$work/events.csv" events
load import-end
# Editing the rules re-places every stored event: the PUT answers after the log was rebuilt.
rules_s=$(put_rules)
json "f'RULES put_s=$rules_s total={d[\"totalEvents\"]} placed={d[\"placedEvents\"]} unmapped={d[\"unmappedEvents\"]} top_unmapped=' + ';'.join(f'{u[\"event\"]} {u[\"path\"]} {u[\"count\"]}' for u in d['topUnmapped'][:4])" <"$work/rules.json"
import_file support-log "$work/tickets.csv" support-log "$map"
settle_start=$(date +%s)
deadline=$(( settle_start + ${SETTLE_SECONDS:-900} ))
pending() { curl -sf -H "$auth" "$url/api/maps/$map/unassigned?pageSize=1" | json 'd["pendingMatching"]'; }
until [ "$(pending)" = 0 ] || [ "$(date +%s)" -ge $deadline ]; do sleep 2; done
echo "IMPORT support-log matcher pending_matching=$(pending) after $(( $(date +%s) - settle_start )) s"
# The semantic tier then embeds the tickets and the theme refresh regroups them; both write to items (a new evidence
# version, so a rebuilt journey log), so the latency phases wait for them (or give up at the deadline).
themes_after_tier() { awk '/embedded and placed by the semantic tier/ { tier = NR } /pain-point themes over/ && tier { found = 1 } END { exit !found }' "$work/api.log"; }
until themes_after_tier || [ "$(date +%s)" -ge $deadline ]; do sleep 2; done
themes_after_tier && echo "IMPORT semantic tier and theme refresh done after $(( $(date +%s) - settle_start )) s" \
  || echo "IMPORT semantic tier / theme refresh still running after ${SETTLE_SECONDS:-900} s (the latency phases may see rebuilds)"
stop_api

echo "== 3. first requests of a cold process"
start_api
sleep 3 # start-up work out of the way
load cold-start
python3 bench/journeys/latency.py "$url" bench-key "$work/map.json" first | sed 's/^/FIRST /' | tee "$work/first.txt"
echo "FIRST api_rss_mb=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$pid/status)"

echo "== 4. $requests distinct journeys and funnel queries, then the same again"
python3 bench/journeys/latency.py "$url" bench-key "$work/map.json" mix "$requests" | sed 's/^/LATENCY /' | tee "$work/latency.txt"
echo "LATENCY api_rss_mb=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$pid/status) peak_rss_mb=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$pid/status)"
load end
stop_api

echo "== summary ($events events, $customers customers, $engine)"
printf '%-22s %10s %10s %10s\n' request median_ms p95_ms max_ms
awk '/^FIRST first_/ { split($3, ms, "="); printf "%-22s %10s %10s %10s\n", $2 " (cold)", ms[2], "-", "-" }' "$work/first.txt"
awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } printf "%-22s %10s %10s %10s\n", $2, v["median_ms"], v["p95_ms"], v["max_ms"] }' "$work/latency.txt"
uptime
