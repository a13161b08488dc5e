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
. bench/surveys/common.sh
build_api_and_loadtest
start_api 5090
per_run=$(( seconds * 20000 )) # links per run: more than the API answers in it
survey_target 5090
dotnet "$loadtest" prepare-survey http://127.0.0.1:5090 bench-key $(( per_run * 2 * (rounds + 1) )) "$work/tokens.txt" "${survey_on[@]}" >/dev/null
db="$work/api/journeyfeedback.db"
sqlite3 "$db" 'PRAGMA busy_timeout = 5000; UPDATE Invitations SET Token = substr(Token, 23) WHERE rowid % 2 = 0;' >/dev/null
sqlite3 "$db" 'SELECT Token FROM Invitations WHERE rowid % 2 = 0 ORDER BY rowid' | split -l "$per_run" -d - "$work/read-first-"
sqlite3 "$db" 'SELECT Token FROM Invitations WHERE rowid % 2 = 1 ORDER BY rowid' | split -l "$per_run" -d - "$work/names-survey-"

alternate_runs 5090 "$seconds" "$rounds" names-survey read-first
