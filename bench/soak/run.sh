#!/usr/bin/env bash
# Soak and faults: for <minutes>, everything at once against the Release build, with the API SIGKILLed on a schedule,
# then the invariants (docs/benchmarks.md, "Soak and faults"). The LoadTest `soak` command drives the load, decides
# when to kill (in the middle of an import batch, in the middle of answer batches) and checks; this script only starts
# the processes and starts an instance again on the same data folder whenever it dies.
#   sqlite:   one instance on a SQLite file.
#   postgres: two instances (two ports, one data folder) on one durable PostgreSQL cluster (.ci/postgres), which the
#             soak also stops and starts once (5 s down) while the load runs.
# Usage: bench/soak/run.sh <minutes> [sqlite|postgres]
#        env: RATE=100 (answers/s) CONNECTIONS=16 IMPORT_ROWS=20000 KILLS=<1 under 4 minutes, else minutes/5 and at least 2> MAX_WAL_MB=256
#             KEEP=1 keeps the work folder (data, logs, generated files) also when every invariant holds
# Exit code 0 when every invariant holds. Result lines start with "SOAK"; a broken invariant with "SOAK BROKEN".
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=${1:?usage: bench/soak/run.sh <minutes> [sqlite|postgres]}
engine=${2:-sqlite}
case $engine in sqlite) instances=1 ;; postgres) instances=2 ;; *) echo "engine: sqlite or postgres" >&2; exit 2 ;; esac
work=$(mktemp -d "${TMPDIR:-/tmp}/soak-$engine.XXXXXX")
mkdir -p "$work/data" "$work/files"
pgdir=""
status=1

cleanup() {
  touch "$work/stopping"
  for f in "$work"/api-*.pid; do [ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -z "$pgdir" ] || { cp "$pgdir/server.log" "$work/postgres.log" 2>/dev/null || true; .ci/postgres stop "$pgdir"; }
  if [ "$status" = 0 ] && [ -z "${KEEP:-}" ]; then rm -rf "$work"; else echo "work folder kept: $work (api-*.log, data/, files/)"; fi
}
trap cleanup EXIT

for project in src/JourneyFeedback.Api bench/JourneyFeedback.LoadTest; do dotnet build -c Release "$project" -v quiet -nologo >/dev/null; done
api=src/JourneyFeedback.Api/bin/Release/net10.0/JourneyFeedback.Api.dll
loadtest=bench/JourneyFeedback.LoadTest/bin/Release/net10.0/JourneyFeedback.LoadTest.dll

database=()
soak_database=()
if [ "$engine" = postgres ]; then
  pgdir=$(mktemp -d "${TMPDIR:-/tmp}/soak-pg.XXXXXX") # its own folder: the server's user owns it, not the work folder
  # PG_SETTINGS: more server settings, e.g. "-c log_lock_waits=on" (the server log is kept as postgres.log).
  pg=$(.ci/postgres start "$pgdir" durable ${PG_SETTINGS:-})
  database=(Database__Provider=Postgres "ConnectionStrings__Default=$pg;Database=jf_soak")
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  owner=""; [ "$(id -u)" = 0 ] && owner="runuser -u postgres --"
  # `restart` on a stopped cluster starts it with the options it last ran with (postmaster.opts): same port and settings.
  restart="$owner $bin/pg_ctl -D $pgdir/data -m fast -w stop >/dev/null && sleep 5 && $owner $bin/pg_ctl -D $pgdir/data -l $pgdir/server.log -w restart >/dev/null 2>&1"
  soak_database=(--postgres "$pg;Database=jf_soak" --restart-db "$restart")
  echo "PostgreSQL on $pg (durable)"
fi

free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

# One instance, started again (same port, same data folder) every time it exits until the soak is over.
supervise() { # index port
  while [ ! -e "$work/stopping" ]; do
    # Rate limits are raised by configuration (the limiter still runs); a killed import is taken over after 10 s without
    # a heartbeat; the retrain samples 300 rows per built-in source so it finishes within the run.
    env "${database[@]}" Storage__DataDirectory="$work/data" Auth__BootstrapKey=bench-key Demo__SeedSampleMaps=false \
      RateLimits__Public__PermitLimit=100000000 RateLimits__Api__PermitLimit=100000000 Imports__StaleAfterSeconds=10 \
      Analysis__RetrainMaxRowsPerSource=300 Logging__LogLevel__Default=Warning \
      Logging__Console__TimestampFormat="HH:mm:ss.fff " Logging__Console__UseUtcTimestamp=true Logging__Console__IncludeScopes=true \
      dotnet "$api" --urls "http://127.0.0.1:$2" >>"$work/api-$1.log" 2>&1 &
    local pid=$!
    echo "$pid" >"$work/api-$1.pid"
    wait "$pid" || echo "$(date -u +%T) instance $1 pid $pid exited ($?)" >>"$work/api-$1.log"
  done
}

urls=(); pidfiles=()
for i in $(seq 0 $((instances - 1))); do
  port=$(free_port)
  supervise "$i" "$port" &
  urls+=("http://127.0.0.1:$port"); pidfiles+=("$work/api-$i.pid")
  # The first instance migrates the database before the second starts.
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.5; done
done

echo "Soak: $minutes min, $engine, ${instances} instance(s) at ${urls[*]}; loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
tuning=()
[ -z "${RATE:-}" ] || tuning+=(--rate "$RATE")
[ -z "${CONNECTIONS:-}" ] || tuning+=(--connections "$CONNECTIONS")
[ -z "${IMPORT_ROWS:-}" ] || tuning+=(--import-rows "$IMPORT_ROWS")
[ -z "${KILLS:-}" ] || tuning+=(--kills "$KILLS")
[ -z "${MAX_WAL_MB:-}" ] || tuning+=(--max-wal-mb "$MAX_WAL_MB")
set +e
dotnet "$loadtest" soak "$minutes" --api "$(IFS=,; echo "${urls[*]}")" --key bench-key --data "$work/data" \
  --pid-files "$(IFS=,; echo "${pidfiles[*]}")" --work "$work/files" "${soak_database[@]}" "${tuning[@]}"
status=$?
set -e
for i in $(seq 0 $((instances - 1))); do
  echo "SOAK api-$i.log: $(grep -c 'exited' "$work/api-$i.log" || true) exit(s), $(grep -cE '^(\S+ )?fail:' "$work/api-$i.log" || true) error(s) logged, $(grep -cE '^(\S+ )?crit:' "$work/api-$i.log" || true) critical"
  # The first lines of each (the work folder is deleted when every invariant holds, so CI keeps only what is printed).
  grep -A3 -E '^(\S+ )?(fail|crit):' "$work/api-$i.log" | head -n 40 | sed 's/^/SOAK   | /' || true
done
exit $status
