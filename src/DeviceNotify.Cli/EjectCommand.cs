using System.CommandLine;
using System.Runtime.Versioning;

namespace DeviceNotify.Cli;

/// <summary><c>devnotify eject PATH [--timeout S] [--force] [--json]</c>: negotiated removal of a device (loop: detach and delete; SCSI: delete).</summary>
[SupportedOSPlatform("linux")]
internal static class EjectCommand
{
    internal static Command Create(CliIo io) => RemovalVerb.Create(io, "eject",
        "Unmount a device's volumes and remove the device, after asking everyone who registered for it.",
        static (c, path, options, ct) => c.EjectAsync(path, options, ct));
}
