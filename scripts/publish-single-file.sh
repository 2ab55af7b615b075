#!/usr/bin/env bash
# Makes a self-contained, single-file, trimmed, ReadyToRun `devnotify` for machines without the .NET SDK or runtime
# (the library and the CLI are trim- and AOT-compatible: the trimmed publish gives no warning; about 21 MB):
#   scripts/publish-single-file.sh [RID]      # default linux-x64; output artifacts/devnotify-RID/devnotify
# The one system library it loads at run time is libblkid.so.1 (util-linux), for volume labels.
set -euo pipefail
cd "$(dirname "$0")/.."
rid="${1:-linux-x64}"
out="artifacts/devnotify-$rid"
rm -rf "$out"
dotnet publish src/DeviceNotify.Cli -c Release -r "$rid" --self-contained true \
  -p:PublishSingleFile=true -p:PublishReadyToRun=true -p:PublishTrimmed=true -p:IncludeNativeLibrariesForSelfExtract=true \
  -p:DebugType=none -p:PublishReferencesDocumentationFiles=false -o "$out" --verbosity quiet
ls -l "$out"
"$out/devnotify" --version
