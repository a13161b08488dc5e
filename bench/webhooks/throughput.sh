#!/usr/bin/env bash
# Survey-answer throughput with and without webhooks: wrk posts NPS detractor answers (score 3) to single-use links
# over loopback as fast as the API takes them (bench/surveys/answers.lua), on two fresh APIs (Release build, SQLite):
#   1. baseline: no webhook subscription;
#   2. webhooks: a survey.detractor subscription to bench/webhooks/receiver.py on loopback, so every answer writes an
#      outbox message and a delivery in its transaction and the dispatcher delivers them meanwhile.
# Reported: answers/s and latency of each, the ratio, and how many deliveries had arrived when the run ended and
# how long the backlog took to drain.
# Usage: bench/webhooks/throughput.sh [seconds=20] [connections=64]          (needs wrk: apt-get install -y wrk)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}
connections=${2:-64}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }
for project in src/JourneyFeedback.Api bench/JourneyFeedback.LoadTest; do dotnet build -c Release "$project" -v quiet -nologo >/dev/null; done
api=src/JourneyFeedback.Api/bin/Release/net10.0/JourneyFeedback.Api.dll
loadtest=bench/JourneyFeedback.LoadTest/bin/Release/net10.0/JourneyFeedback.LoadTest.dll

python3 bench/webhooks/receiver.py 5189 "$work/arrivals.jsonl" &
until curl -sf http://127.0.0.1:5189/ >/dev/null; do sleep 0.2; done

run() { # name port subscribe(yes|no)
  local name=$1 url="http://127.0.0.1:$2"
  Storage__DataDirectory="$work/$name" Auth__BootstrapKey=bench-key Demo__SeedSampleMaps=false \
  RateLimits__Public__PermitLimit=100000000 RateLimits__Api__PermitLimit=100000000 Logging__LogLevel__Default=Warning \
  Webhooks__AllowHttp=true Webhooks__AllowPrivateTargets=true \
    dotnet "$api" --urls "$url" >"$work/$name-api.log" 2>&1 &
  local pid=$!
  until curl -sf "$url/health" >/dev/null; do sleep 0.5; done
  local links=$(( seconds * 15000 ))
  dotnet "$loadtest" prepare-survey "$url" bench-key "$links" "$work/$name-tokens.txt" >/dev/null
  if [ "$3" = yes ]; then
    curl -sf -o /dev/null -H "Authorization: Bearer bench-key" -H "Content-Type: application/json" "$url/api/webhooks" \
      -d '{"url": "http://127.0.0.1:5189/hooks", "eventTypes": ["survey.detractor"]}'
  fi
  head -n 20000 "$work/$name-tokens.txt" > "$work/$name-warmup.txt"; tail -n +20001 "$work/$name-tokens.txt" > "$work/$name-measured.txt"
  wrk -t1 -c"$connections" -d5s -s bench/surveys/answers.lua "$url" -- "$work/$name-warmup.txt" 1 3 | grep RESULT >/dev/null
  local before; before=$(wc -l < "$work/arrivals.jsonl")
  echo "$name $(wrk -t1 -c"$connections" -d"${seconds}s" --latency -s bench/surveys/answers.lua "$url" -- "$work/$name-measured.txt" 1 3 | grep RESULT)"
  if [ "$3" = yes ]; then
    local stored; stored=$(sqlite3 "$work/$name/journeyfeedback.db" 'SELECT COUNT(*) FROM WebhookDeliveries;')
    echo "$name deliveries written=$stored arrived by the end of the run=$(( $(wc -l < "$work/arrivals.jsonl") - before ))"
    local start=$SECONDS
    until [ "$(sqlite3 "$work/$name/journeyfeedback.db" "SELECT COUNT(*) FROM WebhookDeliveries WHERE Status = 'pending';")" = 0 ] || [ $((SECONDS - start)) -gt 300 ]; do sleep 1; done
    echo "$name backlog drained $(( SECONDS - start )) s after the run; pending now: $(sqlite3 "$work/$name/journeyfeedback.db" "SELECT COUNT(*) FROM WebhookDeliveries WHERE Status = 'pending';")"
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
run baseline 5187 no
run webhooks 5188 yes
