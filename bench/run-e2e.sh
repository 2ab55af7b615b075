#!/usr/bin/env bash
# End-to-end measurements of `devnotify monitor` with the shared harness (../shared/bench), next to the peers
# measured in the same run. Needs root. Writes bench/results/*.jsonl and bench/results/tables.md.
#   REPS (default 3), NS (default 1000,3000), TRIALS (default 200), ENUM_RUNS (default 20), PARTS (default all:
#   any of alone,together,stall,stall-nonroot,loop,latency,enum,memory)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED_BENCH:-$repo/../shared/bench}
REPS=${REPS:-3}
NS=${NS:-1000,3000}
TRIALS=${TRIALS:-200}
ENUM_RUNS=${ENUM_RUNS:-20}
PARTS=${PARTS:-alone,together,stall,stall-nonroot,loop,latency,enum}
out=${OUT:-$repo/bench/results}
mkdir -p "$out"
has() { [[ ",$PARTS," == *",$1,"* ]]; }

need=()
for p in udev python3-pyudev libudev-dev hyperfine iproute2 e2fsprogs util-linux; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; fi

# The shared folder is read-only: work on a copy.
work=$(mktemp -d /tmp/devnotify-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r "$shared"/. "$work"/
chmod -R u+w "$work"
(cd "$work" && ./build.sh >/dev/null)
# ReadyToRun: the hot path is precompiled, so no JIT runs inside the measured window.
dotnet publish "$repo/src/DeviceNotify.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/devnotify" --verbosity quiet >/dev/null
# What is measured as "cs": the self-contained, trimmed, single-file, ReadyToRun devnotify (scripts/publish-single-file.sh
# makes the same): ~10 MiB fewer code pages than the framework-dependent build ("cs-fdd"), and a faster start.
dotnet publish "$repo/src/DeviceNotify.Cli" -c Release -r linux-x64 --self-contained true -p:PublishTrimmed=true -p:PublishSingleFile=true \
  -p:PublishReadyToRun=true -o "$work/devnotify-sf" --verbosity quiet >/dev/null
chmod -R a+rX "$work"

dll="$work/devnotify/devnotify.dll"
sf="$work/devnotify-sf/devnotify"
CS="cs=$sf monitor --json"
# Unprivileged: uid nobody, so SO_RCVBUFFORCE is refused and the buffer is capped at rmem_max.
CSNR="cs-nonroot=env HOME=/tmp DOTNET_CLI_HOME=/tmp setpriv --reuid=65534 --regid=65534 --clear-groups $sf monitor --json"
# Count only kernel events (synthesized resync lines and overflow notices are extra information).
RX='cs=\"origin\":\"Kernel\"'
RXNR='cs-nonroot=\"origin\":\"Kernel\"'
H=$work/harness
peers=(--monitor raw-default --monitor libudev-default --monitor pyudev-default --monitor udevadm)

if has alone; then
  echo "== storms, devnotify alone"
  $H/storm_bench.py --custom "$CS" --count-regex "$RX" --monitor cs --n "$NS" --reps "$REPS" --out "$out/storm-alone.jsonl" --quiet
  echo "== storms, peers alone (same run, same machine)"
  $H/storm_bench.py "${peers[@]}" --n "$NS" --reps "$REPS" --out "$out/storm-alone.jsonl" --quiet
fi
if has together; then
  echo "== storms, all together"
  $H/storm_bench.py --custom "$CS" --count-regex "$RX" --monitor cs "${peers[@]}" --together --n "$NS" --reps "$REPS" --out "$out/storm-together.jsonl" --quiet
fi
if has stall; then
  echo "== stall (SIGSTOP during the storm)"
  $H/storm_bench.py --custom "$CS" --count-regex "$RX" --monitor cs --monitor raw-default --monitor libudev-default --monitor pyudev-default \
    --stall --n "$NS" --reps "$REPS" --keep-output --workdir "$work/stall" --out "$out/storm-stall.jsonl" --quiet
fi
if has stall-nonroot; then
  echo "== stall, devnotify unprivileged (buffer capped at rmem_max)"
  $H/storm_bench.py --custom "$CSNR" --count-regex "$RXNR" --monitor cs-nonroot --monitor pyudev-setbuf208k --monitor libudev-setbuf208k \
    --stall --n "$NS" --reps "$REPS" --keep-output --workdir "$work/stall-nr" --out "$out/storm-stall-nonroot.jsonl" --quiet
fi
if has loop; then
  echo "== loop + ext4 mount scenario"
  $H/storm_bench.py --custom "$CS" --count-regex "$RX" --monitor cs --monitor raw-default --monitor libudev-default \
    --scenario loop --loop-iters 20 --reps "$REPS" --out "$out/storm-loop.jsonl" --quiet
fi
if has latency; then
  echo "== latency"
  $H/latency_bench.py --custom "$CS" --count-regex "$RX" --monitor cs --monitor raw-default --monitor libudev-default --monitor pyudev-default \
    --trigger tap --trials "$TRIALS" --out "$out/latency.jsonl"
  $H/latency_bench.py --custom "$CS" --count-regex "$RX" --monitor cs --monitor raw-default --monitor libudev-default --monitor pyudev-default \
    --trigger change --trials "$TRIALS" --out "$out/latency.jsonl"
fi
if has memory; then
  # The same build under different runtime settings, all attached to the same storms (peak RSS is the process's
  # own VmHWM; CPU per event is comparable within the run). Each variant is one knob away from the shipped one.
  echo "== memory: runtime settings, all together"
  mem=(--custom "cs=$sf monitor --json"
       --custom "cs-nocap=env DEVNOTIFY_GEN0_CAP=0 $sf monitor --json"
       --custom "cs-fdd=dotnet $dll monitor --json"
       --custom "cs-fdd-nocap=env DEVNOTIFY_GEN0_CAP=0 dotnet $dll monitor --json"
       --custom "cs-fdd-tiered=env DEVNOTIFY_GEN0_CAP=0 DOTNET_TieredCompilation=1 dotnet $dll monitor --json")
  for v in cs cs-nocap cs-fdd cs-fdd-nocap cs-fdd-tiered; do mem+=(--count-regex "$v=\"origin\":\"Kernel\"" --monitor "$v"); done
  $H/storm_bench.py "${mem[@]}" --together --n "$NS" --reps "$REPS" --out "$out/storm-memory.jsonl" --quiet
fi
if has enum; then
  echo "== enumeration (whole process, including .NET start-up)"
  (cd "$work" && EXTRA_NAME=devnotify-list-json EXTRA_CMD="$sf list --devices --json" harness/enum_bench.sh "$ENUM_RUNS" >/dev/null 2>&1 || true)
  cp "$work"/results/enum-* "$out"/ 2>/dev/null || true
  echo "== start-up: the single-file build and the framework-dependent one next to udevadm (same run)"
  hyperfine --warmup 3 --runs "$ENUM_RUNS" --export-markdown "$out/startup-hyperfine.md" --export-json "$out/startup-hyperfine.json" \
    -n udevadm-export-db "udevadm info --export-db" \
    -n devnotify-single-file "$sf list --devices --json" \
    -n devnotify-framework-dependent "dotnet $dll list --devices --json" \
    -n devnotify-single-file-help "$sf --help" >/dev/null 2>&1 || true
  echo "== start-up, interleaved (the same commands round-robin, so the VM's drift lands on all alike)"
  "$repo/bench/startup-interleaved.py" --runs "$ENUM_RUNS" --out "$out/startup-interleaved.md" \
    "udevadm-export-db=udevadm info --export-db" "devnotify-single-file=$sf list --devices --json" \
    "devnotify-framework-dependent=dotnet $dll list --devices --json" "devnotify-single-file-help=$sf --help" >/dev/null || true
fi
$H/summarize.py --results "$out" --ref raw-default > "$out/tables.md"
echo "tables: $out/tables.md"
