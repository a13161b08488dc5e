#!/usr/bin/env bash
# Import throughput: generates support logs of 100,000 and 1,000,000 rows (~160 MB), imports each through the API
# (multipart upload, then background import) into a fresh database with text analysis off (parse + store), and
# reports rows/s end to end and the API process's peak memory; measures the raw stages alone on the 1M-row file
# (CsvHelper parse, prepared SQLite insert of 12 columns, and the same insert into the API's own table and indexes);
# then imports the 1M rows again with analysis on.
# With `postgres`, the same runs go to a throw-away PostgreSQL cluster with its default, durable settings
# (.ci/postgres ... durable), a fresh database per import, and the raw insert stage is a binary COPY.
# The messages are the generator's eight templates by default; `varied` takes real sentences of the public labelled
# sets in src/JourneyFeedback.Analysis/TrainingData/, recombined (docs/benchmarks.md, "Varied text").
# Usage: bench/imports/run.sh [rows=1000000] [sqlite|postgres] [template|varied]
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-1000000}
engine=${2:-sqlite}
text=${3:-template}
work=$(mktemp -d)
pgdir=""
trap 'kill $(jobs -p) 2>/dev/null || true; wait; [ -z "$pgdir" ] || .ci/postgres stop "$pgdir"; rm -rf "$work"' EXIT
if [ "$engine" = postgres ]; then
  pgdir=$(mktemp -d)
  pg=$(.ci/postgres start "$pgdir" durable)
  pgport=${pg##*Port=}; pgport=${pgport%%;*}
  echo "PostgreSQL on $pg (fsync on, synchronous_commit on)"
fi
psql_admin() { psql -h 127.0.0.1 -p "$pgport" -U jf -d postgres -qAt -c "$1"; }

for project in src/JourneyFeedback.Api bench/JourneyFeedback.LoadTest; do dotnet build -c Release "$project" -v quiet -nologo >/dev/null; done
api=src/JourneyFeedback.Api/bin/Release/net10.0/JourneyFeedback.Api.dll
loadtest=bench/JourneyFeedback.LoadTest/bin/Release/net10.0/JourneyFeedback.LoadTest.dll

run_import() { # rows analyse(true|false)
  local n=$1 analyse=$2 data="$work/api-$1-$2" file="$work/support-$1.csv"
  local database=()
  if [ "$engine" = postgres ]; then database=(Database__Provider=Postgres "ConnectionStrings__Default=$pg;Database=bench_${n}_${analyse}"); fi
  env "${database[@]}" Analysis__AnalyzeDuringImport="$analyse" Storage__DataDirectory="$data" Auth__BootstrapKey=bench-key Demo__SeedSampleMaps=false Limits__MaxUploadBytes=2147483648 \
  Logging__LogLevel__Default=Warning Logging__LogLevel__JourneyFeedback=Information dotnet "$api" --urls http://127.0.0.1:5093 >"$work/api-$n-$analyse.log" 2>&1 &
  local pid=$!
  until curl -sf http://127.0.0.1:5093/health >/dev/null; do sleep 0.3; done
  local start=$(date +%s.%N)
  local id=$(curl -sf -H "Authorization: Bearer bench-key" -F "file=@$file" -F kind=support-log http://127.0.0.1:5093/api/imports | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  # Watch progress like a client would (once a second); the end time comes from the import's own log line.
  local polls=0
  until grep -q "succeeded in\|failed" "$work/api-$n-$analyse.log"; do
    sleep 0.2
    polls=$((polls + 1))
    if [ $((polls % 5)) -eq 0 ]; then curl -sf -o /dev/null -H "Authorization: Bearer bench-key" http://127.0.0.1:5093/api/imports/$id; fi
  done
  local status=$(curl -sf -H "Authorization: Bearer bench-key" http://127.0.0.1:5093/api/imports/$id | grep -o '"status":"[a-z]*"' | cut -d'"' -f4)
  local end=$(date +%s.%N)
  local peak=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
  local counts=$(curl -sf -H "Authorization: Bearer bench-key" http://127.0.0.1:5093/api/imports/$id | python3 -c 'import json,sys; d=json.load(sys.stdin); print("imported=%d rejected=%d" % (d["imported"], d["rejected"]))')
  local size=$(stat -c %s "$file")
  python3 -c "print(f'IMPORT rows=$n analysis=$analyse bytes=$size status=$status seconds={$end-$start:.2f} rows_per_s={$n/($end-$start):.0f} peak_rss_mb={$peak/1024:.0f} $counts')"
  grep -o "succeeded in.*" "$work/api-$n-$analyse.log" | sed 's/^/STAGES /' || true
  kill $pid; wait $pid 2>/dev/null || true
  # The first SQLite database is kept: the raw stage copies the API's table and indexes from it.
  if [ "$engine" = sqlite ] && [ ! -e "$work/product.db" ]; then cp "$data/journeyfeedback.db" "$work/product.db"; fi
  rm -rf "$data"
  if [ "$engine" = postgres ]; then psql_admin "DROP DATABASE bench_${n}_${analyse} WITH (FORCE)"; fi
}

# Generate first and flush to disk, so the write-back of a fresh 160 MB file does not compete with the import's fsyncs.
echo "TEXT $text"
dotnet "$loadtest" generate-support-log $(( rows / 10 )) "$work/support-$(( rows / 10 )).csv" --text "$text"
dotnet "$loadtest" generate-support-log "$rows" "$work/support-$rows.csv" --text "$text"
sync

# Parse + store (analysis off), 100k and 1M rows, then the raw stages on the 1M file; then 1M rows analysed.
run_import $(( rows / 10 )) false
run_import "$rows" false
if [ "$engine" = postgres ]; then
  psql_admin "CREATE DATABASE bench_raw"
  dotnet "$loadtest" import-stages "$work/support-$rows.csv" "$pg;Database=bench_raw"
else
  dotnet "$loadtest" import-stages "$work/support-$rows.csv" --product-schema "$work/product.db"
fi
run_import "$rows" true
