#!/usr/bin/env bash
# Survey answer throughput while the semantic tier works in the background, against the same API while it is idle,
# in one run (busy, idle, idle, busy). "Busy": just after a 6,000-row import onto a map, while the tier embeds and
# places the map's items (about a minute of encoder work); the import itself has finished before wrk starts.
# Usage: bench/surveys/semantic.sh [seconds=15] [connections=64]     (needs wrk: apt-get install -y wrk)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-15}
connections=${2:-64}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait; rm -rf "$work"' EXIT
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }
for project in src/JourneyFeedback.Api bench/JourneyFeedback.LoadTest; do dotnet build -c Release "$project" -v quiet -nologo >/dev/null; done
api=src/JourneyFeedback.Api/bin/Release/net10.0/JourneyFeedback.Api.dll
loadtest=bench/JourneyFeedback.LoadTest/bin/Release/net10.0/JourneyFeedback.LoadTest.dll
url=http://127.0.0.1:5097
auth="Authorization: Bearer bench-key"

Storage__DataDirectory="$work/api" Auth__BootstrapKey=bench-key Demo__SeedSampleMaps=false Semantic__Enabled=true \
  RateLimits__Public__PermitLimit=100000000 RateLimits__Api__PermitLimit=100000000 Logging__LogLevel__Default=Warning \
  Logging__LogLevel__JourneyFeedback=Information dotnet "$api" --urls $url >"$work/api.log" 2>&1 &
until curl -sf $url/health >/dev/null; do sleep 0.5; done
dotnet "$loadtest" generate-support-log 12000 "$work/log.csv" --text varied >/dev/null
head -n 1 "$work/log.csv" > "$work/a.csv"; sed -n '2,6001p' "$work/log.csv" >> "$work/a.csv"
head -n 1 "$work/log.csv" > "$work/b.csv"; sed -n '6002,12001p' "$work/log.csv" >> "$work/b.csv"
answers=$(( seconds * 4 * 15000 ))
dotnet "$loadtest" prepare-survey $url bench-key "$answers" "$work/tokens.txt" >/dev/null
split -n l/5 -d "$work/tokens.txt" "$work/tokens-"
wrk -t1 -c"$connections" -d5s -s bench/surveys/answers.lua $url -- "$work/tokens-00" 1 | grep RESULT >/dev/null

busy() { # csv tokens
  local map
  map=$(curl -sf -H "$auth" -H "Content-Type: application/json" --data @samples/maps/banking-app-journey.json $url/api/maps \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  local before; before=$(grep -c "succeeded in" "$work/api.log" || true)
  curl -sf -o /dev/null -H "$auth" -F "file=@$1" -F kind=support-log -F mapId=$map $url/api/imports
  until [ "$(grep -c "succeeded in" "$work/api.log" || true)" -gt "$before" ]; do sleep 0.3; done
  echo "BUSY $(wrk -t1 -c"$connections" -d"${seconds}s" --latency -s bench/surveys/answers.lua $url -- "$2" 1 | grep RESULT) load=$(cut -d' ' -f1 /proc/loadavg)"
}
idle() { # tokens
  local done_maps; done_maps=$(grep -c "embedded and placed by the semantic tier" "$work/api.log" || true)
  until [ "$(grep -c "embedded and placed by the semantic tier" "$work/api.log" || true)" -ge "$1" ]; do sleep 1; done
  sleep 10 # the re-placement and theme refresh that follow
  echo "IDLE $(wrk -t1 -c"$connections" -d"${seconds}s" --latency -s bench/surveys/answers.lua $url -- "$2" 1 | grep RESULT) load=$(cut -d' ' -f1 /proc/loadavg)"
}
busy "$work/a.csv" "$work/tokens-01"
idle 1 "$work/tokens-02"
idle 1 "$work/tokens-03"
busy "$work/b.csv" "$work/tokens-04"
grep -o "encoder [0-9]* texts/s over [0-9]* texts" "$work/api.log" | tail -1
