#!/usr/bin/env bash
# The import with analysis and matching to a map, semantic tier off and on, in one run (order off, on, on, off, so a
# drift in machine load hits both alike). Realistic varied text (generate-support-log --text varied). For "on" runs it
# also waits for the semantic tier to finish the map (all items, or the per-map budget, embedded and placed) and
# reports its time and the encoder's texts/s, and how many items the inbox holds before and after.
# Usage: bench/imports/semantic.sh [rows=200000]
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-200000}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait; rm -rf "$work"' EXIT
for project in src/JourneyFeedback.Api bench/JourneyFeedback.LoadTest; do dotnet build -c Release "$project" -v quiet -nologo >/dev/null; done
api=src/JourneyFeedback.Api/bin/Release/net10.0/JourneyFeedback.Api.dll
loadtest=bench/JourneyFeedback.LoadTest/bin/Release/net10.0/JourneyFeedback.LoadTest.dll
url=http://127.0.0.1:5096
auth="Authorization: Bearer bench-key"
dotnet "$loadtest" generate-support-log "$rows" "$work/support.csv" --text varied >/dev/null
# Without the channel column the rows are matched by their text (the semantic tier's job), not by their contact channel.
python3 - "$work/support.csv" "$work/text-only.csv" <<'PY'
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f, open(sys.argv[2], 'w', newline='', encoding='utf-8') as out:
    r = csv.DictReader(f); keep = [c for c in r.fieldnames if c.lower() != 'channel']
    w = csv.DictWriter(out, keep, extrasaction='ignore'); w.writeheader()
    for row in r: w.writerow(row)
PY
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for semantic in false true true false; do
  rm -rf "$work/data"
  Semantic__Enabled=$semantic Storage__DataDirectory="$work/data" Auth__BootstrapKey=bench-key Demo__SeedSampleMaps=false \
    Limits__MaxUploadBytes=2147483648 Logging__LogLevel__Default=Warning Logging__LogLevel__JourneyFeedback=Information \
    dotnet "$api" --urls $url >"$work/api.log" 2>&1 &
  pid=$!
  until curl -sf $url/health >/dev/null; do sleep 0.3; done
  map=$(curl -sf -H "$auth" -H "Content-Type: application/json" --data @samples/maps/banking-app-journey.json $url/api/maps \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  start=$(date +%s.%N)
  curl -sf -o /dev/null -H "$auth" -F "file=@$work/text-only.csv" -F kind=support-log -F mapId=$map $url/api/imports
  until grep -q "succeeded in\|failed" "$work/api.log"; do sleep 0.5; done
  end=$(date +%s.%N)
  line="semantic=$semantic rows=$rows import_seconds=$(python3 -c "print(f'{$end-$start:.1f}')") rows_per_s=$(python3 -c "print(f'{$rows/($end-$start):.0f}')") load=$(cut -d' ' -f1 /proc/loadavg)"
  if [ "$semantic" = true ]; then
    until grep -q "embedded and placed by the semantic tier" "$work/api.log"; do sleep 1; done
    done_at=$(date +%s.%N)
    line="$line semantic_done_after_import_s=$(python3 -c "print(f'{$done_at-$end:.1f}')") $(grep -o 'encoder [0-9]* texts/s over [0-9]* texts' "$work/api.log" | head -1 | tr ' ' '_')"
  fi
  # The inbox once nothing waits to be matched (after the tier, the taught lexical matcher re-places the map's rows).
  until [ "$(curl -sf -H "$auth" "$url/api/maps/$map/unassigned?pageSize=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pendingMatching"])')" = 0 ]; do sleep 2; done
  inbox=$(curl -sf -H "$auth" "$url/api/maps/$map/unassigned?pageSize=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
  echo "$line inbox=$inbox peak_rss_mb=$(( $(awk '/VmHWM/ {print $2}' /proc/$pid/status) / 1024 ))"
  kill $pid; wait $pid 2>/dev/null || true
done
