#!/usr/bin/env bash
# Minimal import harness: one API process, one upload of an existing CSV, completion taken from the import's log line.
# Usage: bench/imports/quick.sh <file.csv>   (generate one with: dotnet bench/JourneyFeedback.LoadTest/bin/Release/net10.0/
#        JourneyFeedback.LoadTest.dll generate-support-log 1000000 /tmp/support-1m.csv, after a Release build)
set -euo pipefail
cd "$(dirname "$0")/../.."
file=$(realpath "$1")
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
dotnet build -c Release src/JourneyFeedback.Api -v quiet -nologo >/dev/null
Storage__DataDirectory="$work" Auth__BootstrapKey=bench-key Demo__SeedSampleMaps=false Limits__MaxUploadBytes=2147483648 \
Logging__LogLevel__Default=Warning Logging__LogLevel__JourneyFeedback=Information \
  dotnet src/JourneyFeedback.Api/bin/Release/net10.0/JourneyFeedback.Api.dll --urls http://127.0.0.1:5095 >"$work/api.log" 2>&1 &
pid=$!
until curl -sf http://127.0.0.1:5095/health >/dev/null; do sleep 0.3; done
start=$(date +%s.%N)
curl -sf -o /dev/null -H "Authorization: Bearer bench-key" -F "file=@$file" -F kind=support-log http://127.0.0.1:5095/api/imports
until grep -q "succeeded in\|failed" "$work/api.log"; do sleep 0.2; done
end=$(date +%s.%N)
rows=$(( $(wc -l < "$file") - 1 ))
python3 -c "print(f'QUICK lines={$rows} seconds={$end-$start:.2f} rows_per_s_approx={$rows/($end-$start):.0f}')"
grep -o "succeeded in.*" "$work/api.log"
awk '/VmHWM/ {print "peak_rss_mb", int($2/1024)}' /proc/$pid/status
