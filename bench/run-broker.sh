#!/usr/bin/env bash
# The broker's figures (docs/broker.md): 200 subscribers in a 1000-tap storm (broker CPU, peak RSS, time to the last
# event as a ratio to the storm), per-event latency through the broker next to the direct kernel path, and a dismount
# negotiated across processes with 1 and 10 parties next to the same in process. Every figure has its baseline in the
# same run. Needs root; holds the shared kernel-test lock while it creates taps and loop devices.
#   sudo bench/run-broker.sh [REPETITIONS]      -> bench/results/broker.md
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/DeviceNotify.Cli -c Release --verbosity quiet
dotnet build bench/DeviceNotify.Benchmarks -c Release --verbosity quiet
out=bench/results/broker.md
flock /tmp/devnotify-kerneltests.lock \
  dotnet bench/DeviceNotify.Benchmarks/bin/Release/net10.0/DeviceNotify.Benchmarks.dll broker \
  src/DeviceNotify.Cli/bin/Release/net10.0/devnotify.dll "${1:-3}" | tee "$out.tmp"
mv "$out.tmp" "$out"
