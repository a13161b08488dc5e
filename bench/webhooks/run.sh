#!/usr/bin/env bash
# Webhooks under survey-answer load: <answers> NPS detractor answers (scores 0-6) paced evenly over <seconds>
# (default 10,000 in 60 s, ~167/s; answer-at-rate, one single-use link each), twice, each time on a fresh API
# (Release build, SQLite, its own data folder, default Webhooks settings):
#   1. baseline: no webhook subscription;
#   2. webhooks: one subscription to survey.detractor, delivered to bench/webhooks/receiver.py on loopback, which
#      answers 204 at once and records each arrival.
# Each run starts with a warm-up of 500 answers to another survey at the same rate (not measured).
# Reported per run: achieved answer rate and POST latency (ANSWERS lines), the API's CPU seconds over the measured
# phase; for the webhook run: deliveries received (distinct webhook-ids, duplicates, missing) and
#   END-TO-END latency = receiver arrival - the moment the client got the answer's 201 (matched by the invitation's
#   externalRef "chat-<link index>"); negative when the webhook arrives before the 201 (the dispatcher is woken at commit);
#   COMMIT-TO-ARRIVAL = receiver arrival - data.answeredAt (the server's time of the answer).
# Usage: bench/webhooks/run.sh [answers=10000] [seconds=60] [connections=32]
#   Full run (on a quiet machine):  bench/webhooks/run.sh
#   Quick check that it works:      bench/webhooks/run.sh 500 10
set -euo pipefail
cd "$(dirname "$0")/../.."
answers=${1:-10000}
seconds=${2:-60}
connections=${3:-32}
rate=$(python3 -c "print($answers / $seconds)")
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

for project in src/JourneyFeedback.Api bench/JourneyFeedback.LoadTest; do dotnet build -c Release "$project" -v quiet -nologo >/dev/null; done
api=src/JourneyFeedback.Api/bin/Release/net10.0/JourneyFeedback.Api.dll
loadtest=bench/JourneyFeedback.LoadTest/bin/Release/net10.0/JourneyFeedback.LoadTest.dll
dotnet "$loadtest" generate-support-log 20000 "$work/comments.csv" >/dev/null

receiver_port=5199
python3 bench/webhooks/receiver.py $receiver_port "$work/arrivals.jsonl" &
until curl -sf "http://127.0.0.1:$receiver_port/" >/dev/null; do sleep 0.2; done

cpu_seconds() { # pid: user + system CPU so far
  awk -v tck="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / tck }' "/proc/$1/stat"
}

run() { # name port subscribe(yes|no)
  local name=$1 port=$2 subscribe=$3 url="http://127.0.0.1:$2"
  Storage__DataDirectory="$work/$name" Auth__BootstrapKey=bench-key Demo__SeedSampleMaps=false \
  RateLimits__Public__PermitLimit=100000000 RateLimits__Api__PermitLimit=100000000 Logging__LogLevel__Default=Warning \
  Webhooks__AllowHttp=true Webhooks__AllowPrivateTargets=true \
    dotnet "$api" --urls "$url" >"$work/$name-api.log" 2>&1 &
  local pid=$!
  until curl -sf "$url/health" >/dev/null; do sleep 0.5; done

  dotnet "$loadtest" prepare-survey "$url" bench-key 500 "$work/$name-warmup.txt" >/dev/null
  local survey
  survey=$(dotnet "$loadtest" prepare-survey "$url" bench-key "$answers" "$work/$name-tokens.txt" | tail -n 1)
  if [ "$subscribe" = yes ]; then
    curl -sf -o /dev/null -H "Authorization: Bearer bench-key" -H "Content-Type: application/json" "$url/api/webhooks" \
      -d "{\"url\": \"http://127.0.0.1:$receiver_port/hooks\", \"eventTypes\": [\"survey.detractor\"]}"
  fi

  dotnet "$loadtest" answer-at-rate "$url" "$work/$name-warmup.txt" "$rate" "$connections" "$work/never" "$work/comments.csv" --scores 0-6 >/dev/null
  local cpu_before
  cpu_before=$(cpu_seconds $pid)
  dotnet "$loadtest" answer-at-rate "$url" "$work/$name-tokens.txt" "$rate" "$connections" "$work/never" "$work/comments.csv" \
    --scores 0-6 --record "$work/$name-acks.txt" | sed "s/^/$name /"
  if [ "$subscribe" = yes ]; then
    # Until every acknowledged answer's webhook has arrived, or nothing more arrives for 30 s.
    local created last=-1 still=0
    created=$(wc -l < "$work/$name-acks.txt")
    while :; do
      local arrived
      arrived=$(grep -c "\"$survey\"" "$work/arrivals.jsonl" || true)
      [ "$arrived" -ge "$created" ] && break
      if [ "$arrived" = "$last" ]; then still=$((still + 1)); [ $still -ge 150 ] && break; else still=0; last=$arrived; fi
      sleep 0.2
    done
  fi
  echo "$name api_cpu_seconds_measured_phase=$(python3 -c "print(round($(cpu_seconds $pid) - $cpu_before, 2))")"
  kill $pid; wait $pid 2>/dev/null || true

  if [ "$subscribe" = yes ]; then
    python3 - "$work/$name-acks.txt" "$work/arrivals.jsonl" "$survey" "$name" <<'PY'
import json, math, sys
from datetime import datetime
acks_file, arrivals_file, survey, name = sys.argv[1:]
acked = {}
for line in open(acks_file):
    index, ms = line.strip().split(",")
    acked[int(index)] = int(ms) / 1000
seen, duplicates, end_to_end, commit_to_arrival = set(), 0, [], []
for line in open(arrivals_file):
    arrived, webhook_id, kind, survey_id, external_ref, answered_at = json.loads(line)
    if survey_id != survey or kind != "survey.detractor":
        continue
    if webhook_id in seen:
        duplicates += 1
        continue
    seen.add(webhook_id)
    index = int(external_ref.removeprefix("chat-"))
    if index in acked:
        end_to_end.append((arrived - acked[index]) * 1000)
    commit_to_arrival.append((arrived - datetime.fromisoformat(answered_at).timestamp()) * 1000)

def stats(values):
    if not values:
        return "n=0"
    values.sort()
    q = lambda p: values[min(len(values) - 1, max(0, math.ceil(p * len(values)) - 1))]
    return f"n={len(values)} min={values[0]:.1f}ms p50={q(0.50):.1f}ms p95={q(0.95):.1f}ms p99={q(0.99):.1f}ms max={values[-1]:.1f}ms"

print(f"{name} WEBHOOKS created_answers={len(acked)} delivered_ids={len(seen)} duplicates={duplicates} "
      f"missing={len(acked) - len(end_to_end)}")
print(f"{name} END-TO-END (arrival - 201) {stats(end_to_end)}")
print(f"{name} COMMIT-TO-ARRIVAL (arrival - answeredAt) {stats(commit_to_arrival)}")
PY
  fi
}

echo "$answers detractor answers in $seconds s (${rate}/s), $connections connections"
run baseline 5190 no
run webhooks 5191 yes
