using System.CommandLine;
using System.Runtime.Versioning;

namespace DeviceNotify.Cli;

/// <summary>
/// <c>devnotify daemon [ARGS...]</c>: the broker, which is its own program (<c>devnotify-daemon</c>, so ASP.NET Core
/// is no part of the CLI). Everything after <c>daemon</c>, <c>--help</c> included, is the broker's: the CLI execs it
/// before parsing (<see cref="CliApp"/>), so this entry has no action: it only gives the verb its line in
/// <c>devnotify --help</c>.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class DaemonCommand
{
    internal const string Name = "daemon";

    internal static Command Create()
        => new(Name, $"Run the broker ({DaemonLauncher.ExecutableName}): notifications and removal negotiation for every process, over a Unix socket. Options: --socket PATH, --queue N, --stall-timeout S, --verbose; see 'devnotify daemon --help'.");
}
