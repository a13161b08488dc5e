#!/usr/bin/env bash
# Customers import throughput: generates a customers export (bench/customers/gen_customers.py: id, plan, country,
# tenure, acquisition channel, persona, signup date), imports it through the API (multipart upload, background import,
# kind=customers) into a fresh database, then re-imports the same customers with every row changed (all updates), then
# the identical file again (merges that change nothing). Reports rows/s from the start of each upload until the import
# logs its end, with the load average before each run (the machine is shared).
# Usage: bench/customers/run.sh [customers=200000] [sqlite|postgres]
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-200000}
engine=${2:-sqlite}
work=$(mktemp -d)
pgdir=""
trap 'kill $(jobs -p) 2>/dev/null || true; wait; [ -z "$pgdir" ] || .ci/postgres stop "$pgdir"; rm -rf "$work"' EXIT
database=()
if [ "$engine" = postgres ]; then
  pgdir=$(mktemp -d)
  pg=$(.ci/postgres start "$pgdir" durable)
  database=(Database__Provider=Postgres "ConnectionStrings__Default=$pg;Database=bench_customers")
  echo "PostgreSQL on $pg (fsync on, synchronous_commit on)"
fi

dotnet build -c Release src/JourneyFeedback.Api -v quiet -nologo >/dev/null
api=${JF_API_DLL:-src/JourneyFeedback.Api/bin/Release/net10.0/JourneyFeedback.Api.dll}
python3 bench/customers/gen_customers.py "$rows" "$work/customers.csv"
python3 bench/customers/gen_customers.py "$rows" "$work/customers-updated.csv" --update
sync

env "${database[@]}" Storage__DataDirectory="$work/data" Auth__BootstrapKey=bench-key Demo__SeedSampleMaps=false Limits__MaxUploadBytes=2147483648 \
  Logging__LogLevel__Default=Warning Logging__LogLevel__JourneyFeedback=Information dotnet "$api" --urls http://127.0.0.1:5097 >"$work/api.log" 2>&1 &
pid=$!
until curl -sf http://127.0.0.1:5097/health >/dev/null; do sleep 0.3; done

run_import() { # label file
  local label=$1 file=$2 done_before
  done_before=$(grep -c "succeeded in\|failed" "$work/api.log" || true)
  echo "LOAD $(cut -d' ' -f1-3 /proc/loadavg) before $label"
  local start=$(date +%s.%N)
  local id=$(curl -sf -H "Authorization: Bearer bench-key" -F "file=@$file" -F kind=customers http://127.0.0.1:5097/api/imports \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  until [ "$(grep -c "succeeded in\|failed" "$work/api.log" || true)" -gt "$done_before" ]; do sleep 0.1; done
  local end=$(date +%s.%N)
  local counts=$(curl -sf -H "Authorization: Bearer bench-key" http://127.0.0.1:5097/api/imports/$id \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print("status=%s imported=%d rejected=%d" % (d["status"], d["imported"], d["rejected"]))')
  python3 -c "print(f'CUSTOMERS $label rows=$rows seconds={$end-$start:.2f} rows_per_s={$rows/($end-$start):.0f} $counts')"
  grep -o "succeeded in.*" "$work/api.log" | tail -1 | sed 's/^/STAGES /' || true
}

run_import "first-import" "$work/customers.csv"
run_import "reimport-all-changed" "$work/customers-updated.csv"
run_import "reimport-unchanged" "$work/customers-updated.csv"
curl -sf -H "Authorization: Bearer bench-key" "http://127.0.0.1:5097/api/customers?pageSize=1&attribute=plan%3Dpro" \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); print("CHECK customers with plan=pro:", d["total"], d["items"][0])'
awk '/VmHWM/ {print "PEAK_RSS_MB", int($2/1024)}' /proc/$pid/status
