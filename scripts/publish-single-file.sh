#!/usr/bin/env bash
# Makes self-contained, single-file, trimmed, ReadyToRun programs for machines without the .NET SDK or runtime (the
# library and the CLI are trim- and AOT-compatible: the trimmed publish gives no warning):
#   scripts/publish-single-file.sh [RID]      # default linux-x64; output in artifacts/devnotify-RID/
#     devnotify          the CLI (about 21 MB)
#     devnotify-daemon   the broker (about 44 MB: it carries ASP.NET Core); `devnotify daemon` execs it from beside devnotify
# The one system library they load at run time is libblkid.so.1 (util-linux), for volume labels.
set -euo pipefail
cd "$(dirname "$0")/.."
rid="${1:-linux-x64}"
out="artifacts/devnotify-$rid"
rm -rf "$out"
for project in src/DeviceNotify.Cli src/DeviceNotify.Daemon; do
  dotnet publish "$project" -c Release -r "$rid" --self-contained true \
    -p:PublishSingleFile=true -p:PublishReadyToRun=true -p:PublishTrimmed=true -p:IncludeNativeLibrariesForSelfExtract=true \
    -p:DebugType=none -p:GenerateDocumentationFile=false -p:PublishReferencesDocumentationFiles=false -o "$out" --verbosity quiet
done
ls -l "$out"
"$out/devnotify" --version
"$out/devnotify" daemon --version
