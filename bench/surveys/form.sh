#!/usr/bin/env bash
# Survey form page: wrk GETs the HTML answer form of 1,000 survey links over loopback, as a browser asks for it
# (Accept: text/html): invitation lookup, survey (cached 5 s), server-rendered page. SQLite, Release build.
# Usage: bench/surveys/form.sh [seconds=20] [connections=16]                  (needs wrk: apt-get install -y wrk)
# To compare builds, point JF_API_DLL at another Release build of src/JourneyFeedback.Api (e.g. of an older commit).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}
connections=${2:-16}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait; rm -rf "$work"' EXIT
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }

. bench/surveys/common.sh
build_api_and_loadtest
start_api 5093
dotnet "$loadtest" prepare-survey http://127.0.0.1:5093 bench-key 1000 "$work/tokens.txt" >/dev/null

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# 10 s of warm-up: the rendering code is JIT-compiled in tiers, which takes longer on a busy machine.
wrk -t1 -c"$connections" -d10s -s bench/surveys/form.lua http://127.0.0.1:5093 -- "$work/tokens.txt" | grep RESULT >/dev/null
# The API's own CPU time per request (user + system, from /proc) varies less with other load on the machine than rps.
before=$(cpu_ticks $api_pid)
result=$(wrk -t1 -c"$connections" -d"${seconds}s" --latency -s bench/surveys/form.lua http://127.0.0.1:5093 -- "$work/tokens.txt" | grep RESULT)
echo "FORM $result api_cpu_us_per_request=$(cpu_per_answer "$result" "$before" "$(cpu_ticks $api_pid)")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
