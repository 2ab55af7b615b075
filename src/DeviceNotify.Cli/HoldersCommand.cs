using System.CommandLine;
using System.Runtime.Versioning;
using System.Text.Json;

namespace DeviceNotify.Cli;

/// <summary>The arguments of <c>devnotify holders</c>.</summary>
internal sealed record HoldersArgs(string Path, bool Json);

/// <summary><c>devnotify holders PATH</c>: which processes hold the volume (or a file on it) open.</summary>
[SupportedOSPlatform("linux")]
internal static class HoldersCommand
{
    internal static Command Create(CliIo io)
    {
        var path = RemovalCliOptions.Path();
        var json = FilterOptions.Json();
        var command = new Command("holders", "List the processes that hold a volume, its device node or a file on it open (fd, cwd, root, mapped files).") { path, json };
        command.SetAction(parse => (int)Run(new HoldersArgs(parse.GetValue(path)!, parse.GetValue(json)), io));
        return command;
    }

    internal static ExitCode Run(HoldersArgs args, CliIo io)
    {
        var (output, error) = (io.Output, io.Error);
        using var watcher = Failures.StartWatcher("holders", null, error, out var failed);
        if (watcher is null)
            return failed;
        Device device;
        IReadOnlyList<PartyResponse> holders;
        try
        {
            var coordinator = new RemovalCoordinator(watcher);
            device = coordinator.Resolve(args.Path);
            holders = coordinator.FindHolders(args.Path);
        }
        catch (Exception ex) when (ex is ArgumentException or DeviceNotifyException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            // UnauthorizedAccessException: the broker's removal rule refused (it names the rule).
            return Failures.Report("holders", ex, error);
        }
        if (args.Json)
        {
            using var w = new Utf8JsonWriter(output);
            w.WriteStartObject();
            w.WriteString("device", device.DevNode);
            w.WriteString("devpath", device.DevPath);
            RemovalResultFormatter.WriteParties(w, holders);
            w.WriteEndObject();
            w.Flush();
            output.WriteByte((byte)'\n');
        }
        else
        {
            using var text = new StreamWriter(output, leaveOpen: true);
            text.WriteLine($"{device.DevNode} ({device.DevPath}): {holders.Count} holder(s)");
            foreach (var h in holders)
                text.WriteLine($"  {(h.ProcessId == 0 ? "kernel" : "pid " + h.ProcessId),-11} {h.ProcessName,-16} {h.FoundBy,-16} {h.Reason}");
        }
        output.Flush();
        return ExitCode.Success;
    }
}
