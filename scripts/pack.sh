#!/usr/bin/env bash
# Packs DeviceNotify, DeviceNotify.Hosting and the devnotify tool (with symbol packages) into artifacts/.
#   scripts/pack.sh                       # version from Directory.Build.props (VersionPrefix)
#   scripts/pack.sh --version-suffix ci.1 # a prerelease, as CI makes so a local cache never serves an older build
# Options after the ones above go to `dotnet pack` (e.g. -p:RepositoryUrl=https://...).
set -euo pipefail
cd "$(dirname "$0")/.."
suffix=()
if [ "${1:-}" = "--version-suffix" ]; then
  suffix=(--version-suffix "$2")
  shift 2
fi
mkdir -p artifacts
rm -f artifacts/*.nupkg artifacts/*.snupkg
dotnet pack DeviceNotify.slnx -c Release -o artifacts --verbosity quiet -warnaserror ${suffix[@]+"${suffix[@]}"} "$@"
ls -1 artifacts/*.nupkg artifacts/*.snupkg
