#!/usr/bin/env bash
# Segments and comparisons on a big map: imports a generated support log of N rows (default 1,000,000, varied text,
# customers C-1 … C-200000) into the e-commerce sample map with analysis on, then a customers file with the attributes
# of C customers (default 200,000: plan, country, tenure, acquisition, persona, signup date) as kind=customers, and
# measures segmented insights, period comparisons and segment comparisons: p50/p95/p99 of R sequential requests each.
# Usage: bench/segments/run.sh [rows=1000000] [customers=200000] [requests=300] [sqlite|postgres]
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-1000000}
customers=${2:-200000}
requests=${3:-300}
engine=${4:-sqlite}
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
url=http://127.0.0.1:5095
auth="Authorization: Bearer bench-key"

dotnet "$loadtest" generate-support-log "$rows" "$work/support.csv" --text varied
dotnet "$loadtest" generate-customers "$customers" "$work/customers.csv"
env "${database[@]}" Storage__DataDirectory="$work/data" Auth__BootstrapKey=bench-key Demo__SeedSampleMaps=false Limits__MaxUploadBytes=2147483648 \
  Logging__LogLevel__Default=Warning Logging__LogLevel__JourneyFeedback=Information dotnet "$api" --urls $url >"$work/api.log" 2>&1 &
pid=$!
until curl -sf $url/health >/dev/null; do sleep 0.3; done

map=$(curl -sf -H "$auth" -H "Content-Type: application/json" --data @samples/maps/ecommerce-journey.json $url/api/maps \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
dotnet "$loadtest" import $url bench-key "$map" "$work/support.csv" support-log
sleep 3 # let the background workers settle

# The customers file: rows/s from the import's own timestamps (upload excluded).
upload() {
  local id
  id=$(curl -sf -H "$auth" -F "file=@$work/customers.csv" -F kind=customers $url/api/imports | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  while :; do
    status=$(curl -sf -H "$auth" $url/api/imports/$id)
    if echo "$status" | grep -q '"status":"\(succeeded\|failed\)"'; then break; fi
    sleep 0.5
  done
  echo "$status" | python3 -c "
import json,sys,datetime
s=json.load(sys.stdin)
t=lambda v: datetime.datetime.fromisoformat(v.replace('Z','+00:00'))
secs=(t(s['finishedAt'])-t(s['startedAt'])).total_seconds()
print(f\"CUSTOMERS $1 status={s['status']} rows={s['imported']} seconds={secs:.1f} rows_per_s={s['imported']/secs:.0f}\")"
}
upload first-import
upload re-import

dotnet "$loadtest" segments $url bench-key "$map" "$requests"
python3 -c "print(f'API peak_rss_mb={$(awk '/VmHWM/ {print $2}' /proc/$pid/status)/1024:.0f} rss_now_mb={$(awk '/VmRSS/ {print $2}' /proc/$pid/status)/1024:.0f}')"
kill $pid; wait $pid 2>/dev/null || true
