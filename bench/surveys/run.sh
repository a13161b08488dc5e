#!/usr/bin/env bash
# Survey answer throughput: wrk posts answers to single-use links over loopback (64 connections) against
#   1. the JourneyFeedback API (Release build, validation + group commit, 201 only after commit), and
#   2. sqlite: a bare Kestrel endpoint doing one raw SQLite insert per request (the baseline), in the same run;
#      postgres: two API instances on the same PostgreSQL database, each loaded by its own wrk with half the
#      connections and half of a fresh set of links (as behind a load balancer).
# With `postgres` the database is a throw-away PostgreSQL cluster with its default, durable settings (.ci/postgres).
#      With sqlite the bare endpoint runs three times: without fsync (synchronous=OFF: not durable; a pooled connection
#      per request, the baseline the survey-tail targets are measured against), the same on one connection whose
#      inserts take turns, and durable (every request's commit waits for the disk).
# While each endpoint is measured, a disk watch fsyncs a small file every 100 ms and reports how long that took (a stall of
# the shared disk holds up every durable answer, not the bare endpoint's).
# Usage: bench/surveys/run.sh [seconds=20] [connections=64] [sqlite|postgres]     (needs wrk: apt-get install -y wrk)
#   WRK_THREADS (default 2) wrk threads; MAP=1 ties the survey to a map touchpoint (every answer becomes evidence on it).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}
connections=${2:-64}
engine=${3:-sqlite}
threads=${WRK_THREADS:-2}
work=$(mktemp -d)
pgdir=""
trap 'kill $(jobs -p) 2>/dev/null || true; wait; [ -z "$pgdir" ] || .ci/postgres stop "$pgdir"; rm -rf "$work"' EXIT
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }

. bench/surveys/common.sh
build_api_and_loadtest

database=()
if [ "$engine" = postgres ]; then
  pgdir=$(mktemp -d)
  pg=$(.ci/postgres start "$pgdir" durable)
  pgport=${pg##*Port=}; pgport=${pgport%%;*}
  database=(Database__Provider=Postgres "ConnectionStrings__Default=$pg;Database=jf_bench")
  echo "PostgreSQL on $pg (fsync on, synchronous_commit on)"
fi
stored_answers() {
  if [ "$engine" = postgres ]; then psql -h 127.0.0.1 -p "$pgport" -U jf -d jf_bench -qAt -c 'SELECT COUNT(*) FROM "SurveyAnswers"'
  else sqlite3 "$work/api/journeyfeedback.db" 'SELECT COUNT(*) FROM SurveyAnswers;'; fi
}
start_api 5090 "${database[@]}"
# The warm-up answers links of its own, enough for 8 s at 12,000 answers/s: with 20,000 for 5 s it ran out of links after
# about 3 s, and the rest of it warmed the answer path's 404 instead (tiered JIT compilation then still ran in the measured run).
warmup_links=96000
answers=$(( seconds * 30000 + warmup_links ))
echo "Preparing $answers invitations..."
survey_target 5090
[ ${#survey_on[@]} -eq 0 ] || echo "Survey tied to the e-commerce sample map's first touchpoint"
dotnet "$loadtest" prepare-survey http://127.0.0.1:5090 bench-key "$answers" "$work/tokens.txt" "${survey_on[@]}" >/dev/null

echo "Warm-up (8 s) and measured run ($seconds s, $connections connections) against the API:"
head -n $warmup_links "$work/tokens.txt" > "$work/warmup.txt"; tail -n +$(( warmup_links + 1 )) "$work/tokens.txt" > "$work/measured.txt"
warmup=$(wrk -t"$threads" -c"$connections" -d8s -s bench/surveys/answers.lua http://127.0.0.1:5090 -- "$work/warmup.txt" "$threads" | grep RESULT)
echo "WARM-UP $(sed 's/ p50_ms.*created=/ created=/' <<<"$warmup")"
cpu_before=$(cpu_ticks $api_pid); thread_ticks $api_pid "$work/threads-before"
disk_probe_start
api_result=$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s bench/surveys/answers.lua http://127.0.0.1:5090 -- "$work/measured.txt" "$threads" | grep RESULT)
cpu_after=$(cpu_ticks $api_pid); thread_ticks $api_pid "$work/threads-after"
echo "API  $api_result"
disk_probe_stop >"$work/disk.txt"; echo "API  disk: $(cat "$work/disk.txt")"
# The API's CPU per answer over the measured run: less sensitive to the machine's other load than answers per second.
echo "API  CPU per answer: $(cpu_per_answer "$api_result" "$cpu_before" "$cpu_after") us; by thread (us):" \
  "$(cpu_by_thread "$work/threads-before" "$work/threads-after" "$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$api_result")")"
echo "API  answers stored in the database after the runs: $(stored_answers)"

if [ "$engine" = postgres ]; then
  start_api 5092 "${database[@]}"
  echo "Preparing $answers more invitations for two instances..."
  dotnet "$loadtest" prepare-survey http://127.0.0.1:5090 bench-key "$answers" "$work/tokens2.txt" >/dev/null
  before=$(stored_answers)
  # Half the links (and connections) per instance; the second instance warmed up by the first links.
  head -n $warmup_links "$work/tokens2.txt" > "$work/warmup2.txt"
  tail -n +$(( warmup_links + 1 )) "$work/tokens2.txt" | awk 'NR % 2 == 1' > "$work/measured-a.txt"
  tail -n +$(( warmup_links + 1 )) "$work/tokens2.txt" | awk 'NR % 2 == 0' > "$work/measured-b.txt"
  echo "WARM-UP-B $(wrk -t"$threads" -c"$connections" -d8s -s bench/surveys/answers.lua http://127.0.0.1:5092 -- "$work/warmup2.txt" "$threads" | grep RESULT)"
  half=$(( connections / 2 ))
  wrk -t"$threads" -c"$half" -d"${seconds}s" --latency -s bench/surveys/answers.lua http://127.0.0.1:5090 -- "$work/measured-a.txt" "$threads" | grep RESULT >"$work/a.txt" &
  wrk_a=$!
  wrk -t"$threads" -c"$half" -d"${seconds}s" --latency -s bench/surveys/answers.lua http://127.0.0.1:5092 -- "$work/measured-b.txt" "$threads" | grep RESULT >"$work/b.txt"
  wait $wrk_a
  echo "API-A $(cat "$work/a.txt")"
  echo "API-B $(cat "$work/b.txt")"
  python3 - "$work/a.txt" "$work/b.txt" <<'PY'
import re, sys
runs = [dict(re.findall(r"(\w+)=([\d.]+)", open(f).read())) for f in sys.argv[1:]]
print("TWO-INSTANCES rps=%.0f created=%d other=%d p99_ms(max of both)=%.2f" % (
    sum(float(r["rps"]) for r in runs), sum(int(r["created"]) for r in runs), sum(int(r["other"]) for r in runs),
    max(float(r["p99_ms"]) for r in runs)))
PY
  echo "TWO-INSTANCES answers stored by the two-instance run: $(( $(stored_answers) - before ))"
  exit 0
fi
kill %1; wait %1 2>/dev/null || true

# The bare endpoint three ways: the survey-tail targets are measured against the first (the issue's baseline).
for mode in "--no-fsync" "--no-fsync --one-connection" "fsync"; do
  rm -f "$work"/raw.db*
  dotnet "$loadtest" raw-server http://127.0.0.1:5091 "$work/raw.db" $mode >"$work/raw.log" 2>&1 &
  raw_pid=$!
  until curl -s -o /dev/null http://127.0.0.1:5091/; do sleep 0.5; done
  wrk -t"$threads" -c"$connections" -d8s -s bench/surveys/answers.lua http://127.0.0.1:5091 -- "$work/warmup.txt" "$threads" | grep RESULT >/dev/null
  disk_probe_start
  raw_result=$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s bench/surveys/answers.lua http://127.0.0.1:5091 -- "$work/measured.txt" "$threads" | grep RESULT)
  disk_probe_stop >"$work/disk.txt"; disk=$(cat "$work/disk.txt")
  case "$mode" in
    "--no-fsync") echo "BARE (no fsync, a pooled connection per request)  $raw_result"; echo "BARE disk: $disk"; bare_result=$raw_result ;;
    "--no-fsync --one-connection") echo "BARE (no fsync, one connection, inserts in turn)  $raw_result" ;;
    *) echo "RAW (fsync on every commit)  $raw_result"; echo "RAW  disk: $disk" ;;
  esac
  kill $raw_pid; wait $raw_pid 2>/dev/null || true
done
python3 - "$api_result" "$bare_result" <<'PY'
import re, sys
api, bare = (dict((k, float(v)) for k, v in re.findall(r"(\w+)=([\d.]+)", r)) for r in sys.argv[1:])
print("RATIO throughput API/bare = %.2f (target >= 0.6), p99 API/bare = %.2f (target <= 1.5)" % (api["rps"] / bare["rps"], api["p99_ms"] / bare["p99_ms"]))
PY
