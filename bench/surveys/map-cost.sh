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

alternate_runs 5090 "$seconds" "$rounds" on-map no-map
