#!/usr/bin/env bash
# What tying a survey to a map touchpoint costs an answer (the item becomes evidence on the map: its indexes, the
# evidence-version trigger), isolated in one API process: two NPS surveys, one on the e-commerce sample map's first
# touchpoint and one on no map; wrk runs alternate between their links against the same process, so the difference is
# the map's and not the process's (separate runs of one build differ by up to ±25 % in CPU per answer on this machine).
# Prints answers/s, p99 and the API's CPU per answer (user + system, from /proc) for each run.
# Usage: bench/surveys/map-cost.sh [seconds=6] [rounds=3]     (needs wrk; JF_API_DLL=<other build> measures that build)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-6}
rounds=${2:-3}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait; rm -rf "$work"' EXIT
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }
. bench/surveys/common.sh
build_api_and_loadtest
start_api 5090
per_run=$(( seconds * 15000 )) # links per run: more than the API answers in it
for target in on-map no-map; do
  if [ $target = on-map ]; then MAP=1 survey_target 5090; else MAP=0 survey_target 5090; fi
  dotnet "$loadtest" prepare-survey http://127.0.0.1:5090 bench-key $(( per_run * (rounds + 1) )) "$work/$target.txt" "${survey_on[@]}" >/dev/null
  split -l "$per_run" -d "$work/$target.txt" "$work/$target-"
done

for target in on-map no-map; do # warm-up
  wrk -t2 -c64 -d4s -s bench/surveys/answers.lua http://127.0.0.1:5090 -- "$work/$target-00" 2 >/dev/null
done
for round in $(seq -f %02g 1 "$rounds"); do
  for target in on-map no-map; do
    before=$(cpu_ticks $api_pid)
    result=$(wrk -t2 -c64 -d"${seconds}s" --latency -s bench/surveys/answers.lua http://127.0.0.1:5090 -- "$work/$target-$round" 2 | grep RESULT)
    after=$(cpu_ticks $api_pid)
    printf '%-6s round %s  %s  API CPU per answer=%s us\n' "$target" "$round" "$(sed 's/ p50_ms=[^ ]* p90_ms=[^ ]*//; s/ conflicts.*//' <<<"$result")" \
      "$(cpu_per_answer "$result" "$before" "$after")"
  done
done
