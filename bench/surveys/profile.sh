#!/usr/bin/env bash
# Where the API's time goes in the middle of a stream of survey answers: dotnet-trace samples every managed thread's
# stack (~100 Hz) for 10 s of one 22 s wrk run (no pause before it, so the background workers, which wait for a quiet
# second, stay asleep as in a real stream), and prints the inclusive share of the API's own methods and, for the answer
# writer (the one serial step), of what it calls. Native time (SQLite, the kernel) shows as "native" under the managed
# frame that called it; it also includes waits, so compare it between runs rather than read it as CPU.
# Usage: bench/surveys/profile.sh [out.speedscope.json]     (MAP=1 as in run.sh; needs wrk; installs dotnet-trace locally)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait; rm -rf "$work"' EXIT
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }
. bench/surveys/common.sh
build_api_and_loadtest
dotnet tool install --tool-path "$work/tools" dotnet-trace >/dev/null
start_api 5090
survey_target 5090
dotnet "$loadtest" prepare-survey http://127.0.0.1:5090 bench-key 300000 "$work/tokens.txt" "${survey_on[@]}" >/dev/null

(sleep 8; "$work/tools/dotnet-trace" collect -p "$api_pid" --profile dotnet-sampled-thread-time --duration 00:00:00:10 \
  --format speedscope -o "$work/trace.nettrace" >"$work/trace.log" 2>&1) &
tracer=$!
before=$(cpu_ticks "$api_pid")
result=$(wrk -t2 -c64 -d22s --latency -s bench/surveys/answers.lua http://127.0.0.1:5090 -- "$work/tokens.txt" 2 | grep RESULT)
echo "API  $result"
echo "API  CPU per answer over the whole run (the tracer's own cost included): $(cpu_per_answer "$result" "$before" "$(cpu_ticks "$api_pid")") us"
wait $tracer
[ -z "$out" ] || cp "$work/trace.speedscope.json" "$out"

python3 - "$work/trace.speedscope.json" <<'PY'
import collections, json, sys
trace = json.load(open(sys.argv[1]))
frames = [f["name"] for f in trace["shared"]["frames"]]
samples = []  # (kind, stack of frame names), weighted by duration in ms
for profile in trace["profiles"]:
    stack = []
    for event in profile["events"]:
        if event["type"] == "O":
            stack.append((event["frame"], event["at"]))
            continue
        frame, at = stack.pop()
        if frames[frame] in ("CPU_TIME", "UNMANAGED_CODE_TIME"):
            samples.append((frames[frame], [frames[f] for f, _ in stack], event["at"] - at))
short = lambda name: name.split("!")[-1].split("(")[0][:110]
skip = lambda name: "!" not in name or "MoveNext" in name or "AsyncStateMachineBox" in name or "AsyncMethodBuilderCore" in name
managed = sum(ms for kind, _, ms in samples if kind == "CPU_TIME")
inclusive = collections.Counter()
for kind, stack, ms in samples:
    if kind == "CPU_TIME":
        for name in set(stack):
            if "JourneyFeedback." in name and not name.startswith("Process") and not skip(name): inclusive[short(name)] += ms
print(f"\nManaged CPU sampled: {managed / 1000:.1f} s. The API's own methods, inclusive share of it:")
for name, ms in inclusive.most_common(20): print(f"  {100 * ms / managed:5.1f} %  {name}")
writer = "SqliteSession+<WriteAsync>"
under = collections.Counter()
total = collections.Counter()
for kind, stack, ms in samples:
    at = [i for i, name in enumerate(stack) if writer in name]
    if not at: continue
    label = "native" if kind == "UNMANAGED_CODE_TIME" else "managed"
    total[label] += ms
    for name in set(stack[at[-1] + 1:]):
        if not skip(name): under[(short(name), label)] += ms
print(f"\nThe answer writer (SQLite session): managed {total['managed'] / 1000:.1f} s, native {total['native'] / 1000:.1f} s of the 10 s traced. What it calls:")
for (name, label), ms in under.most_common(16): print(f"  {ms / 1000:5.2f} s {label:7}  {name}")
PY
