#!/usr/bin/env bash
# What reading a survey link on the request path costs an answer, isolated in one API process: every second link is
# rewritten to the older 32-character form (no survey id in the token, so the request reads the link before the
# writer claims it); wrk runs then alternate between the two kinds of link against the same process.
# Prints answers/s, p99 and the API's CPU per answer (user + system, from /proc) for each run.
# Usage: bench/surveys/link-read.sh [seconds=6] [rounds=3]     (needs wrk and sqlite3; MAP=1 as in run.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-6}
rounds=${2:-3}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait; rm -rf "$work"' EXIT
for project in src/JourneyFeedback.Api bench/JourneyFeedback.LoadTest; do dotnet build -c Release "$project" -v quiet -nologo >/dev/null; done
api=src/JourneyFeedback.Api/bin/Release/net10.0/JourneyFeedback.Api.dll
loadtest=bench/JourneyFeedback.LoadTest/bin/Release/net10.0/JourneyFeedback.LoadTest.dll

env Storage__DataDirectory="$work/api" Auth__BootstrapKey=bench-key Demo__SeedSampleMaps=false RateLimits__Public__PermitLimit=100000000 \
  RateLimits__Api__PermitLimit=100000000 Logging__LogLevel__Default=Warning dotnet "$api" --urls http://127.0.0.1:5090 >"$work/api.log" 2>&1 &
pid=$!
until curl -sf http://127.0.0.1:5090/health >/dev/null; do sleep 0.5; done
per_run=$(( seconds * 20000 )) # links per run: more than the API answers in it
survey_on=()
if [ "${MAP:-0}" = 1 ]; then # as in run.sh: the survey measures the e-commerce sample map's first touchpoint
  map=$(curl -sf -H "Authorization: Bearer bench-key" -H "Content-Type: application/json" --data @samples/maps/ecommerce-journey.json \
    http://127.0.0.1:5090/api/maps)
  survey_on=(--map "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <<<"$map")"
    --touchpoint "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["stages"][0]["touchpoints"][0]["id"])' <<<"$map")")
fi
dotnet "$loadtest" prepare-survey http://127.0.0.1:5090 bench-key $(( per_run * 2 * (rounds + 1) )) "$work/tokens.txt" "${survey_on[@]}" >/dev/null
db="$work/api/journeyfeedback.db"
sqlite3 "$db" 'PRAGMA busy_timeout = 5000; UPDATE Invitations SET Token = substr(Token, 23) WHERE rowid % 2 = 0;' >/dev/null
sqlite3 "$db" 'SELECT Token FROM Invitations WHERE rowid % 2 = 0 ORDER BY rowid' | split -l "$per_run" -d - "$work/read-first-"
sqlite3 "$db" 'SELECT Token FROM Invitations WHERE rowid % 2 = 1 ORDER BY rowid' | split -l "$per_run" -d - "$work/names-survey-"

ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
for kind in read-first names-survey; do # warm-up
  wrk -t2 -c64 -d3s -s bench/surveys/answers.lua http://127.0.0.1:5090 -- "$work/$kind-00" 2 >/dev/null
done
for round in $(seq -f %02g 1 "$rounds"); do
  for kind in names-survey read-first; do
    before=$(ticks)
    result=$(wrk -t2 -c64 -d"${seconds}s" --latency -s bench/surveys/answers.lua http://127.0.0.1:5090 -- "$work/$kind-$round" 2 | grep RESULT)
    after=$(ticks)
    python3 -c 'import re, sys, os
r = dict(re.findall(r"(\w+)=([\d.]+)", sys.argv[2]))
cpu = (int(sys.argv[4]) - int(sys.argv[3])) / os.sysconf("SC_CLK_TCK") / int(r["requests"]) * 1e6
print("%-13s round %s  answers/s=%s  p99_ms=%s  API CPU per answer=%.0f us  created=%s other=%s" % (sys.argv[1], sys.argv[5], r["rps"], r["p99_ms"], cpu, r["created"], r["other"]))' \
      "$kind" "$result" "$before" "$after" "$round"
  done
done
