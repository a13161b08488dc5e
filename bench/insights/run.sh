#!/usr/bin/env bash
# Insights latency on a big map: imports a generated support log of N rows (default 1,000,000) with analysis on into
# the e-commerce sample map (every row analysed and matched to a touchpoint in the import pipeline), then measures
# the map's insights (varying date windows and segments) and touchpoint evidence pages (varying filters and pages):
# one cold request that builds the map's evidence index, then p50/p95/p99 of N sequential requests each.
# With `postgres` the database is a throw-away PostgreSQL cluster with its default, durable settings (.ci/postgres).
# Usage: bench/insights/run.sh [rows=1000000] [requests=300] [sqlite|postgres]
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-1000000}
requests=${2:-300}
engine=${3:-sqlite}
work=$(mktemp -d)
pgdir=""
trap 'kill $(jobs -p) 2>/dev/null || true; wait; [ -z "$pgdir" ] || .ci/postgres stop "$pgdir"; rm -rf "$work"' EXIT
database=()
if [ "$engine" = postgres ]; then
  pgdir=$(mktemp -d)
  pg=$(.ci/postgres start "$pgdir" durable)
  database=(Database__Provider=Postgres "ConnectionStrings__Default=$pg;Database=jf_bench")
  echo "PostgreSQL on $pg (fsync on, synchronous_commit on)"
fi

for project in src/JourneyFeedback.Api bench/JourneyFeedback.LoadTest; do dotnet build -c Release "$project" -v quiet -nologo >/dev/null; done
api=src/JourneyFeedback.Api/bin/Release/net10.0/JourneyFeedback.Api.dll
loadtest=bench/JourneyFeedback.LoadTest/bin/Release/net10.0/JourneyFeedback.LoadTest.dll
url=http://127.0.0.1:5094
auth="Authorization: Bearer bench-key"

dotnet "$loadtest" generate-support-log "$rows" "$work/support.csv"
env "${database[@]}" Storage__DataDirectory="$work/data" Auth__BootstrapKey=bench-key Demo__SeedSampleMaps=false Limits__MaxUploadBytes=2147483648 \
  Logging__LogLevel__Default=Warning Logging__LogLevel__JourneyFeedback=Information dotnet "$api" --urls $url >"$work/api.log" 2>&1 &
pid=$!
until curl -sf $url/health >/dev/null; do sleep 0.3; done

map=$(curl -sf -H "$auth" -H "Content-Type: application/json" --data @samples/maps/ecommerce-journey.json $url/api/maps \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
start=$(date +%s.%N)
id=$(curl -sf -H "$auth" -F "file=@$work/support.csv" -F kind=support-log -F mapId=$map $url/api/imports | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
until grep -q "succeeded in\|failed" "$work/api.log"; do sleep 1; done
end=$(date +%s.%N)
python3 -c "print(f'IMPORT rows=$rows analysed+matched seconds={$end-$start:.1f} rows_per_s={$rows/($end-$start):.0f}')"
# Let the background workers settle (nothing should be left to analyse or match).
sleep 3

dotnet "$loadtest" insights $url bench-key "$map" "$requests"
python3 -c "print(f'API peak_rss_mb={$(awk '/VmHWM/ {print $2}' /proc/$pid/status)/1024:.0f} rss_now_mb={$(awk '/VmRSS/ {print $2}' /proc/$pid/status)/1024:.0f}')"
kill $pid; wait $pid 2>/dev/null || true
