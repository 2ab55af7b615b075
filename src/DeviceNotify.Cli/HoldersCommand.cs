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
    internal static Command Create()
    {
        var path = RemovalCliOptions.Path();
        var json = FilterOptions.Json();
        var command = new Command("holders", "List the processes that hold a volume, its device node or a file on it open (fd, cwd, root, mapped files).") { path, json };
        command.SetAction(parse => (int)Run(new HoldersArgs(parse.GetValue(path)!, parse.GetValue(json)), Console.OpenStandardOutput(), Console.Error));
        return command;
    }

    internal static ExitCode Run(HoldersArgs args, Stream output, TextWriter error)
    {
        using var watcher = new DeviceWatcher();
        var coordinator = new RemovalCoordinator(watcher);
        Device device;
        try
        {
            device = coordinator.Resolve(args.Path);
        }
        catch (ArgumentException ex)
        {
            error.WriteLine($"devnotify holders: {ErrorText.Of(ex)}");
            return ExitCode.BadArguments;
        }
        var holders = coordinator.FindHolders(args.Path);
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
                text.WriteLine($"  pid {h.ProcessId,-7} {h.ProcessName,-16} {h.Reason}");
        }
        output.Flush();
        return ExitCode.Success;
    }
}
