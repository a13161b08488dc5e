# Sourced by the survey benchmarks (run.sh, link-read.sh, form.sh): the builds, the API's start, the map-tied survey
# option and the API's CPU time. Expects to run from the repository's root with $work set to a scratch directory.

# Release builds of the API (or JF_API_DLL, another build of it, e.g. of an older commit) and of the load-test tool.
build_api_and_loadtest() {
  api=${JF_API_DLL:-src/JourneyFeedback.Api/bin/Release/net10.0/JourneyFeedback.Api.dll}
  [ -n "${JF_API_DLL:-}" ] || dotnet build -c Release src/JourneyFeedback.Api -v quiet -nologo >/dev/null
  dotnet build -c Release bench/JourneyFeedback.LoadTest -v quiet -nologo >/dev/null
  loadtest=bench/JourneyFeedback.LoadTest/bin/Release/net10.0/JourneyFeedback.LoadTest.dll
}

# start_api PORT [NAME=VALUE...]: starts the API in the background (its data in $work/api, log in $work/api-PORT.log),
# sets api_pid and waits until it answers. Rate limits are raised by configuration (the limiter itself still runs).
start_api() {
  local port=$1; shift
  env "$@" Storage__DataDirectory="$work/api" Auth__BootstrapKey=bench-key Demo__SeedSampleMaps=false \
    RateLimits__Public__PermitLimit=100000000 RateLimits__Api__PermitLimit=100000000 Logging__LogLevel__Default=Warning \
    dotnet "$api" --urls "http://127.0.0.1:$port" >"$work/api-$port.log" 2>&1 &
  api_pid=$!
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.5; done
}

# survey_target PORT: with MAP=1, creates the e-commerce sample map and sets survey_on to prepare-survey's options that
# tie the survey to its first touchpoint (every answer becomes evidence on it); otherwise survey_on is empty.
survey_target() {
  survey_on=()
  [ "${MAP:-0}" = 1 ] || return 0
  local map
  map=$(curl -sf -H "Authorization: Bearer bench-key" -H "Content-Type: application/json" \
    --data @samples/maps/ecommerce-journey.json "http://127.0.0.1:$1/api/maps")
  survey_on=($(python3 -c 'import json, sys; d = json.load(sys.stdin)
print("--map", d["id"], "--touchpoint", d["stages"][0]["touchpoints"][0]["id"])' <<<"$map"))
}

# cpu_ticks PID: user + system time of a process so far, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# thread_ticks PID FILE: each thread's name and CPU ticks so far, one line each (for cpu_by_thread).
thread_ticks() {
  python3 - "$1" >"$2" <<'PY'
import os, sys
pid = sys.argv[1]
for tid in os.listdir(f"/proc/{pid}/task"):
    try: stat = open(f"/proc/{pid}/task/{tid}/stat").read()
    except OSError: continue  # the thread ended meanwhile
    name, rest = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
    print(f"{tid}\t{name}\t{int(rest[11]) + int(rest[12])}")
PY
}

# cpu_per_answer RESULT BEFORE_TICKS AFTER_TICKS: the API's CPU time per request of a wrk RESULT line, in µs.
cpu_per_answer() {
  python3 -c 'import re, sys, os
n = int(re.search(r"requests=(\d+)", sys.argv[1]).group(1))
print("%.0f" % ((int(sys.argv[3]) - int(sys.argv[2])) / os.sysconf("SC_CLK_TCK") / n * 1e6))' "$1" "$2" "$3"
}

# cpu_by_thread BEFORE_FILE AFTER_FILE REQUESTS: where the API's CPU went between two thread_ticks, per thread name
# (.NET names its thread-pool threads ".NET TP Worker", Kestrel's socket threads ".NET SocketEng"), in µs per request.
cpu_by_thread() {
  python3 - "$@" <<'PY'
import collections, os, sys
def read(path): return {tid: (name, int(ticks)) for tid, name, ticks in (l.rstrip("\n").split("\t") for l in open(path))}
before, after, requests = read(sys.argv[1]), read(sys.argv[2]), int(sys.argv[3])
spent = collections.Counter()
for tid, (name, ticks) in after.items():
    spent[name] += ticks - before.get(tid, (name, 0))[1]
tick_us = 1e6 / os.sysconf("SC_CLK_TCK")
print("  ".join("%s %.0f" % (name, ticks * tick_us / requests) for name, ticks in spent.most_common() if ticks > 0))
PY
}

# alternate_runs PORT SECONDS ROUNDS KIND...: answers the links in $work/KIND-00 (a warm-up), then in each round
# $work/KIND-01, -02 … one wrk run per kind in turn against the same API process, printing each run's answers/s, p99
# and the API's CPU per answer: two kinds of request compared in the same process and minute.
alternate_runs() {
  local port=$1 seconds=$2 rounds=$3; shift 3
  local kind round before after result
  for kind in "$@"; do wrk -t2 -c64 -d4s -s bench/surveys/answers.lua "http://127.0.0.1:$port" -- "$work/$kind-00" 2 >/dev/null; done
  for round in $(seq -f %02g 1 "$rounds"); do
    for kind in "$@"; do
      before=$(cpu_ticks $api_pid)
      result=$(wrk -t2 -c64 -d"${seconds}s" --latency -s bench/surveys/answers.lua "http://127.0.0.1:$port" -- "$work/$kind-$round" 2 | grep RESULT)
      after=$(cpu_ticks $api_pid)
      printf '%-13s round %s  %s  API CPU per answer=%s us\n' "$kind" "$round" \
        "$(sed 's/ p50_ms=[^ ]* p90_ms=[^ ]*//; s/ conflicts.*//' <<<"$result")" "$(cpu_per_answer "$result" "$before" "$after")"
    done
  done
}

# disk_probe_start / disk_probe_stop: while a run goes on, a background writer rewrites 8 KiB of a file in $work and
# fsyncs it every 100 ms (the API's commits wait for an fsync on the same disk); stop prints how long those fsyncs
# took. A stall of the shared disk shows here as a long fsync at the time the API's answers stall.
disk_probe_start() {
  python3 - "$work/disk-probe" >"$work/disk-probe.txt" <<'PY' &
import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o600)
block = os.urandom(8192)
while True:
    os.pwrite(fd, block, 0)
    started = time.perf_counter()
    os.fsync(fd)
    print("%.3f" % ((time.perf_counter() - started) * 1000), flush=True)
    time.sleep(0.1)
PY
  disk_probe_pid=$!
}

disk_probe_stop() {
  kill "$disk_probe_pid" 2>/dev/null; wait "$disk_probe_pid" 2>/dev/null || true
  python3 - "$work/disk-probe.txt" <<'PY'
import sys
ms = sorted(float(l) for l in open(sys.argv[1]) if l.strip())
if ms:
    print("fsync of 8 KiB every 100 ms meanwhile: %d, p50 %.1f ms, p99 %.1f ms, max %.1f ms, over 100 ms: %d"
          % (len(ms), ms[len(ms) // 2], ms[min(len(ms) - 1, int(len(ms) * 0.99))], ms[-1], sum(m > 100 for m in ms)))
PY
}
