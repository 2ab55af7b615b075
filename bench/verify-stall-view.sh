#!/usr/bin/env bash
# Checks the claim behind --stall that the harness cannot see: after the monitor was frozen through a tap
# storm and its buffer overflowed, the view it reports (kernel events plus synthesized resync events) ends
# equal to the system's. Runs `devnotify monitor --json` as root and as uid nobody (buffer capped at
# rmem_max), replays its output into a set of net interfaces and compares it with /sys/class/net.
# Needs root. Usage: bench/verify-stall-view.sh [N=3000]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED_BENCH:-$repo/../shared/bench}
N=${1:-3000}
work=$(mktemp -d /tmp/devnotify-verify.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r "$shared"/. "$work"/ && chmod -R u+w "$work" && (cd "$work" && ./build.sh >/dev/null)
dotnet publish "$repo/src/DeviceNotify.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/devnotify" --verbosity quiet >/dev/null
chmod -R a+rX "$work"
dll="$work/devnotify/devnotify.dll"
for who in root nobody; do
  if [ $who = root ]; then cmd="dotnet $dll monitor --json"; else cmd="env HOME=/tmp setpriv --reuid=65534 --regid=65534 --clear-groups dotnet $dll monitor --json"; fi
  "$work/harness/storm_bench.py" --custom "cs=$cmd" --count-regex 'cs="origin":"Kernel"' --monitor cs --stall --n "$N" --reps 1 \
    --keep-output --workdir "$work/run-$who" --out "$work/run-$who.jsonl" --quiet >/dev/null
  out=$(ls "$work/run-$who"/*cs*.out 2>/dev/null | head -1)
  /usr/bin/python3 - "$out" "$who" "$work/run-$who.jsonl" <<'PY'
import json, os, sys
out, who, rec = sys.argv[1], sys.argv[2], sys.argv[3]
view, kernel, synth, overflow = set(), 0, 0, 0
for line in open(out):
    e = json.loads(line)
    if e["action"] == "Overflow":
        overflow += 1
        continue
    if e["origin"] == "Kernel": kernel += 1
    else: synth += 1
    if e["subsystem"] != "net": continue
    name = e["path"]
    if e["action"] == "InstanceRemoved": view.discard(name)
    elif e["action"] == "InstanceEnumerated": view.add(name)
truth = set(os.listdir("/sys/class/net"))
seen_before = {n for n in view if not n.startswith("bst")}
r = [json.loads(l) for l in open(rec) if '"monitor"' in l][0]
stray = sorted(n for n in view if n.startswith("bst"))
print(json.dumps({"who": who, "n": r["generator"]["n"], "expected": r["expected"], "kernel_lines": kernel, "kernel_missing": r["missing"],
                  "overflow_notices": overflow, "synthesized_lines": synth, "stray_bst_in_view": len(stray),
                  "view_bst_equals_system": not stray and not any(n.startswith("bst") for n in truth)}))
PY
done
