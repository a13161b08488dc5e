#!/usr/bin/env bash
# Survey answer throughput: wrk posts answers to single-use links over loopback (64 connections) against
#   1. the JourneyFeedback API (Release build, SQLite, validation + group commit, 201 only after commit), and
#   2. a bare Kestrel endpoint doing one raw SQLite insert per request (the baseline), in the same run.
# Usage: bench/surveys/run.sh [seconds=20] [connections=64]     (needs wrk: apt-get install -y wrk)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}
connections=${2:-64}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }

for project in src/JourneyFeedback.Api bench/JourneyFeedback.LoadTest; do dotnet build -c Release "$project" -v quiet -nologo >/dev/null; done
api=src/JourneyFeedback.Api/bin/Release/net10.0/JourneyFeedback.Api.dll
loadtest=bench/JourneyFeedback.LoadTest/bin/Release/net10.0/JourneyFeedback.LoadTest.dll

# Rate limits are raised by configuration for the benchmark (the limiter itself still runs).
Storage__DataDirectory="$work/api" Auth__BootstrapKey=bench-key Demo__SeedSampleMaps=false \
RateLimits__Public__PermitLimit=100000000 RateLimits__Api__PermitLimit=100000000 Logging__LogLevel__Default=Warning \
  dotnet "$api" --urls http://127.0.0.1:5090 >"$work/api.log" 2>&1 &
until curl -sf http://127.0.0.1:5090/health >/dev/null; do sleep 0.5; done

answers=$(( seconds * 15000 ))
echo "Preparing $answers invitations..."
dotnet "$loadtest" prepare-survey http://127.0.0.1:5090 bench-key "$answers" "$work/tokens.txt" >/dev/null

echo "Warm-up (5 s) and measured run ($seconds s, $connections connections) against the API:"
head -n 20000 "$work/tokens.txt" > "$work/warmup.txt"; tail -n +20001 "$work/tokens.txt" > "$work/measured.txt"
wrk -t1 -c"$connections" -d5s -s bench/surveys/answers.lua http://127.0.0.1:5090 -- "$work/warmup.txt" 1 | grep RESULT >/dev/null
api_result=$(wrk -t1 -c"$connections" -d"${seconds}s" --latency -s bench/surveys/answers.lua http://127.0.0.1:5090 -- "$work/measured.txt" 1 | grep RESULT)
echo "API  $api_result"
stored=$(sqlite3 "$work/api/journeyfeedback.db" 'SELECT COUNT(*) FROM SurveyAnswers;')
echo "API  answers stored in the database after the runs: $stored"
kill %1; wait %1 2>/dev/null || true

dotnet "$loadtest" raw-server http://127.0.0.1:5091 "$work/raw.db" >"$work/raw.log" 2>&1 &
until curl -s -o /dev/null http://127.0.0.1:5091/; do sleep 0.5; done
wrk -t1 -c"$connections" -d5s -s bench/surveys/answers.lua http://127.0.0.1:5091 -- "$work/warmup.txt" 1 | grep RESULT >/dev/null
raw_result=$(wrk -t1 -c"$connections" -d"${seconds}s" --latency -s bench/surveys/answers.lua http://127.0.0.1:5091 -- "$work/measured.txt" 1 | grep RESULT)
echo "RAW  $raw_result"
