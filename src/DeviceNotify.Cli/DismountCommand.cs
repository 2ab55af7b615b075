using System.CommandLine;
using System.Runtime.Versioning;

namespace DeviceNotify.Cli;

/// <summary><c>devnotify dismount PATH [--timeout S] [--force] [--json]</c>: negotiated unmount.</summary>
[SupportedOSPlatform("linux")]
internal static class DismountCommand
{
    internal static Command Create(CliIo io) => RemovalVerb.Create(io, "dismount",
        "Unmount a volume after asking everyone who registered for it; fails naming every vetoer and holder.",
        static (c, path, options, ct) => c.DismountAsync(path, options, ct));
}
