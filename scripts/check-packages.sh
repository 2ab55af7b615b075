#!/usr/bin/env bash
# What CI checks of the packages (run after a Release build):
#  1. pack DeviceNotify, DeviceNotify.Hosting and the devnotify tool into artifacts/ (a unique prerelease version, so
#     no cache can serve an older build);
#  2. install the tool from that local feed into a temporary tool path and run `devnotify list --json`;
#  3. build a consumer project that references the packed packages, with the README's "Packages" example as its
#     Program.cs, and run it.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
suffix="ci.$(date +%s)"
version="$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props)-$suffix"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

scripts/pack.sh --version-suffix "$suffix" --no-build >/dev/null
for id in DeviceNotify DeviceNotify.Hosting devnotify; do
  [ -f "artifacts/$id.$version.nupkg" ] && [ -f "artifacts/$id.$version.snupkg" ] || { echo "check-packages: $id $version was not packed" >&2; exit 1; }
done

# NuGet.config: the local feed first, then the configured registry for dependencies.
cat > "$work/NuGet.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local" value="$repo/artifacts" />
  </packageSources>
</configuration>
XML

dotnet tool install devnotify --version "$version" --add-source "$repo/artifacts" --tool-path "$work/tools" >/dev/null
"$work/tools/devnotify" list --json > "$work/list.json"
grep -q '"class":"Net"' "$work/list.json" || { echo "check-packages: the installed tool listed no network interface" >&2; head -3 "$work/list.json" >&2; exit 1; }
echo "check-packages: tool devnotify $version installed from artifacts/; list --json printed $(wc -l < "$work/list.json") interfaces"
# The broker ships in the tool too: `devnotify daemon` execs devnotify-daemon from the tool's folder.
"$work/tools/devnotify" daemon --help > "$work/daemon-help.txt"
grep -q "devnotify-daemon \[options\]" "$work/daemon-help.txt" || { echo "check-packages: the installed tool's 'daemon --help' is not the broker's:" >&2; head -5 "$work/daemon-help.txt" >&2; exit 1; }
echo "check-packages: the installed tool runs the broker (devnotify daemon --help answered as devnotify-daemon)"

mkdir "$work/consumer"
cp tests/PackageConsumer/PackageConsumer.csproj "$work/consumer/"
cp "$work/NuGet.config" "$work/consumer/"
# The README's example between its markers, verbatim.
awk '/<!-- package-example:begin -->/{on=1; next} /<!-- package-example:end -->/{on=0} on' README.md | sed '/^```/d' > "$work/consumer/Program.cs"
[ -s "$work/consumer/Program.cs" ] || { echo "check-packages: README.md has no package-example block" >&2; exit 1; }
(cd "$work/consumer" && dotnet build -c Release -p:DeviceNotifyVersion="$version" --verbosity quiet -warnaserror >/dev/null)
out=$(cd "$work/consumer" && dotnet bin/Release/net10.0/PackageConsumer.dll)
echo "$out" | grep -q "^present: lo$" || { echo "check-packages: the README example did not list lo:" >&2; echo "$out" >&2; exit 1; }
echo "check-packages: the README example built against the packed DeviceNotify $version and ran ($(echo "$out" | wc -l) lines)"
