#!/usr/bin/env bash
# The data folder's disk fills up in the middle of an import (issue 19), on a real filesystem: a tmpfs of SIZE MB is
# mounted (needs root), the API (Release build, SQLite) keeps its data folder there, a filler file leaves ROOM MB free,
# and a generated support log of ROWS rows (varied text) is imported into a map until the disk is full. Checked then:
# the import failed with the reason, its committed batches stayed whole (API counts = sqlite3 counts, a multiple of the
# batch size, no duplicate dedup keys), reads answer 200 (import, map, evidence, insights equal to the stored rows),
# an upload answers 507 with Retry-After and leaves no partial file, and no request got another 5xx. Then the filler is
# deleted and the same file imported again: it succeeds, storing the rest and skipping the committed rows, each row once.
# Prints the figures; exits non-zero when an invariant is broken. The mount is removed on exit.
# Usage: sudo bench/soak/diskfull.sh [size_mb=64] [rows=20000] [room_mb=8] [batch=2000]
set -euo pipefail
cd "$(dirname "$0")/../.."
size_mb=${1:-64}
rows=${2:-20000}
room_mb=${3:-8}
batch=${4:-2000}
work=$(mktemp -d)
volume="$work/volume"
data="$volume/data"
url=http://127.0.0.1:5097
key=diskfull-key
auth="Authorization: Bearer $key"
pid=""
cleanup() {
  [ -z "$pid" ] || { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  if mountpoint -q "$volume"; then umount "$volume"; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 130" INT TERM

broken=0
check() { # check <description> <python condition over the figures>
  if python3 -c "import sys; sys.exit(0 if ($2) else 1)"; then echo "  ok    $1"; else echo "  FAIL  $1"; broken=1; fi
}
field() { python3 -c "import json,sys; v=json.load(sys.stdin); print(v$1)"; }
other_5xx=0
status_of() { # status_of <curl args...>: prints the HTTP status, counts 5xx other than 507
  local code
  code=$(curl -s -o "$work/body" -w '%{http_code}' "$@")
  if [ "${code:0:1}" = 5 ] && [ "$code" != 507 ]; then other_5xx=$((other_5xx + 1)); echo "unexpected $code: $(cat "$work/body")" >&2; fi
  echo "$code"
}
free_kb() { df -k --output=avail "$volume" | tail -n 1 | tr -d ' '; }
sql() { sqlite3 "$data/journeyfeedback.db" "$1"; }

mkdir -p "$volume"
mount -t tmpfs -o "size=${size_mb}m" tmpfs "$volume"
mkdir -p "$data"
echo "tmpfs of $size_mb MB at $volume"

for project in src/JourneyFeedback.Api bench/JourneyFeedback.LoadTest; do dotnet build -c Release "$project" -v quiet -nologo >/dev/null; done
api=src/JourneyFeedback.Api/bin/Release/net10.0/JourneyFeedback.Api.dll
loadtest=bench/JourneyFeedback.LoadTest/bin/Release/net10.0/JourneyFeedback.LoadTest.dll
dotnet "$loadtest" generate-support-log "$rows" "$work/support.csv" --text varied >/dev/null
file_kb=$(( $(stat -c %s "$work/support.csv") / 1024 ))

# The semantic tier is off by default here (it costs a core and ~300 MB on a small machine); SEMANTIC=true turns it on.
Storage__DataDirectory="$data" Auth__BootstrapKey=$key Demo__SeedSampleMaps=false Imports__BatchSize="$batch" Imports__PollSeconds=1 \
  Semantic__Enabled="${SEMANTIC:-false}" Logging__LogLevel__Default=Warning Logging__LogLevel__JourneyFeedback=Information \
  dotnet "$api" --urls $url >"$work/api.log" 2>&1 &
pid=$!
until curl -sf $url/health >/dev/null; do sleep 0.3; done
map=$(curl -sf -H "$auth" -H "Content-Type: application/json" --data @samples/maps/ecommerce-journey.json $url/api/maps | field '["id"]')

# Leave room for the upload and ROOM MB more: the import fills that and fails part of the way through.
filler_kb=$(( $(free_kb) - file_kb - room_mb * 1024 ))
[ "$filler_kb" -gt 0 ] || { echo "the volume is too small for a file of $file_kb KB: raise size_mb"; exit 2; }
fallocate -l "${filler_kb}k" "$volume/filler" 2>/dev/null || dd if=/dev/zero of="$volume/filler" bs=1k count="$filler_kb" status=none
echo "support log: $rows rows, $file_kb KB; filler $filler_kb KB; free before the import $(free_kb) KB; batches of $batch rows"

wait_for() { # wait_for <importId>: the finished import's JSON (or its state after 10 minutes, still running)
  local status
  for _ in $(seq 1 1200); do
    status=$(curl -sf -H "$auth" $url/api/imports/"$1")
    if echo "$status" | grep -q '"status":"\(succeeded\|failed\|cancelled\)"'; then break; fi
    sleep 0.5
  done
  echo "$status"
}
insight_items() { # the map's item count once the insights are current
  local insights
  for _ in $(seq 1 100); do
    insights=$(curl -sf -H "$auth" $url/api/maps/"$map"/insights)
    [ "$(echo "$insights" | field '["pendingItems"]')" = 0 ] && break
    sleep 0.2
  done
  echo "$insights" | field '["items"]'
}

echo "== import until the disk is full"
first=$(curl -sf -H "$auth" -F "file=@$work/support.csv" -F kind=support-log -F mapId="$map" $url/api/imports | field '["id"]')
started=$(date +%s.%N)
final=$(wait_for "$first")
echo "$final" > "$work/first.json"
first_status=$(echo "$final" | field '["status"]')
reason=$(echo "$final" | field '["failureReason"]')
committed=$(echo "$final" | field '["imported"]')
rows_read=$(echo "$final" | field '["rowsRead"]')
stored=$(sql 'SELECT count(*) FROM "FeedbackItems"')
distinct=$(sql 'SELECT count(DISTINCT "DedupKey") FROM "FeedbackItems"')
rejections=$(sql 'SELECT count(*) FROM "ImportRejections"')
printf 'FIRST status=%s imported=%s rowsRead=%s seconds=%.1f free_kb=%s\n' "$first_status" "$committed" "$rows_read" \
  "$(python3 -c "import time; print(time.time() - $started)")" "$(free_kb)"
echo "FIRST reason: $reason"
echo "SQLITE items=$stored distinct_dedup_keys=$distinct rejections=$rejections db_kb=$(( $(stat -c %s "$data/journeyfeedback.db") / 1024 )) wal_kb=$(( $(stat -c %s "$data/journeyfeedback.db-wal" 2>/dev/null || echo 0) / 1024 ))"
check "the import failed" "'$first_status' == 'failed'"
check "its reason says the data folder's disk is full" "'The disk holding the data folder is full' in '''$reason'''"
check "it stopped part of the way: 0 < imported ($committed) < rows ($rows)" "0 < $committed < $rows"
check "whole batches only: imported is a multiple of $batch" "$committed % $batch == 0"
check "rowsRead = imported (no rejected rows in the file)" "$rows_read == $committed"
check "sqlite3 stores exactly the imported rows ($stored)" "$stored == $committed"
check "no duplicate dedup keys ($distinct distinct)" "$distinct == $stored"

echo "== while the disk is full"
for path in "/api/imports/$first" "/api/maps/$map" "/api/maps/$map/insights" "/api/evidence?importId=$first&pageSize=5" "/api/imports"; do
  code=$(status_of -H "$auth" "$url$path")
  echo "READ $path -> $code"
  check "GET $path answers 200" "$code == 200"
done
evidence_total=$(curl -sf -H "$auth" "$url/api/evidence?importId=$first&pageSize=1" | field '["total"]')
items=$(insight_items)
echo "READ evidence total=$evidence_total insights items=$items"
check "evidence total = stored rows" "$evidence_total == $stored"
check "insights count the stored rows" "$items == $stored"
check "the failed import's file was deleted to give space back" "not __import__('os').path.exists('$data/imports/$first.csv')"
# The import gave its file's space back: an upload bigger than what is free now cannot fit whatever the WAL took since.
python3 - "$work/support.csv" "$work/big.csv" $(( ($(free_kb) + 2048) * 1024 )) <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines(keepends=True)
with open(sys.argv[2], "w", encoding="utf-8") as big:
    big.write(lines[0]); size = 0
    while size < int(sys.argv[3]):
        for line in lines[1:]: size += big.write(line)
PY
files_before=$(ls "$data/imports" | wc -l)
code=$(status_of -D "$work/headers" -H "$auth" -F "file=@$work/big.csv" -F kind=support-log -F mapId="$map" $url/api/imports)
retry_after=$(grep -i '^retry-after:' "$work/headers" | tr -d '\r' | awk '{print $2}')
detail=$(field '["detail"]' <"$work/body" 2>/dev/null || echo "")
echo "UPLOAD while full -> $code retry-after=${retry_after:-none} detail: $detail"
check "an upload answers 507" "$code == 507"
check "with Retry-After" "'${retry_after:-}' != ''"
check "and leaves no partial file in imports/ ($(ls "$data/imports" | wc -l) files, $files_before before)" "$(ls "$data/imports" | wc -l) == $files_before"

echo "== space freed: the same file again"
rm "$volume/filler"
echo "free after deleting the filler: $(free_kb) KB"
second=$(curl -sf -H "$auth" -F "file=@$work/support.csv" -F kind=support-log -F mapId="$map" $url/api/imports | field '["id"]')
started=$(date +%s.%N)
final=$(wait_for "$second")
second_status=$(echo "$final" | field '["status"]')
imported=$(echo "$final" | field '["imported"]')
skipped=$(echo "$final" | field '["skippedDuplicates"]')
stored=$(sql 'SELECT count(*) FROM "FeedbackItems"')
distinct=$(sql 'SELECT count(DISTINCT "DedupKey") FROM "FeedbackItems"')
items=$(insight_items)
printf 'SECOND status=%s imported=%s skippedDuplicates=%s seconds=%.1f free_kb=%s\n' "$second_status" "$imported" "$skipped" \
  "$(python3 -c "import time; print(time.time() - $started)")" "$(free_kb)"
echo "SQLITE items=$stored distinct_dedup_keys=$distinct insights_items=$items"
check "the re-run succeeded" "'$second_status' == 'succeeded'"
check "it stored the rest: imported = rows - committed" "$imported == $rows - $committed"
check "and skipped the committed rows as duplicates" "$skipped == $committed"
check "every row stored once: $stored items, $distinct dedup keys, $rows rows" "$stored == $distinct == $rows"
check "insights count every row" "$items == $rows"
check "the first import still says failed" "'$(curl -sf -H "$auth" $url/api/imports/"$first" | field '["status"]')' == 'failed'"
echo "API 5xx other than 507: $other_5xx; errors logged: $(grep -c '^fail:' "$work/api.log" || true)"
check "no request answered a 5xx other than 507" "$other_5xx == 0"

[ "$broken" = 0 ] && echo "ALL INVARIANTS HOLD" || { echo "BROKEN INVARIANTS (API log: last lines below)"; tail -n 30 "$work/api.log"; }
exit "$broken"
