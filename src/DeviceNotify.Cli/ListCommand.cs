using System.CommandLine;
using System.Runtime.Versioning;

namespace DeviceNotify.Cli;

/// <summary>The arguments of <c>devnotify list</c>.</summary>
internal sealed record ListArgs(string? Class, string? Subsystem, bool Json, bool Devices = false, string SysfsRoot = "/sys");

/// <summary><c>devnotify list</c>: the interfaces present now (<c>CM_Get_Device_Interface_List</c>).</summary>
[SupportedOSPlatform("linux")]
internal static class ListCommand
{
    internal static Command Create(CliIo io)
    {
        var cls = FilterOptions.Class();
        var subsystem = FilterOptions.Subsystem();
        var json = FilterOptions.Json();
        var devices = new Option<bool>("--devices", "-d") { Description = "List device instances (every device sysfs knows, with all properties) instead of interfaces." };
        var command = new Command("list", "List the device interfaces present now (all built-in classes unless filtered).") { cls, subsystem, json, devices };
        command.SetAction(parse => (int)Run(
            new ListArgs(parse.GetValue(cls), parse.GetValue(subsystem), parse.GetValue(json), parse.GetValue(devices)),
            io.Output, io.Error));
        return command;
    }

    internal static ExitCode Run(ListArgs args, Stream output, TextWriter error)
    {
        var classes = FilterOptions.ResolveClasses(args.Class, args.Subsystem, out var message);
        if (classes is null)
        {
            error.WriteLine($"devnotify list: {message}");
            return ExitCode.BadArguments;
        }
        var devices = DeviceEnumerator.GetDevices(args.SysfsRoot);
        var formatter = new NotificationFormatter(output, args.Json);
        if (args.Devices)
        {
            if (args.Class is not null)
            {
                error.WriteLine("devnotify list: --devices lists device instances; filter them with --subsystem, not --class.");
                return ExitCode.BadArguments;
            }
            foreach (var d in devices)
            {
                if (args.Subsystem is null || string.Equals(d.Subsystem, args.Subsystem, StringComparison.Ordinal))
                    formatter.WriteDeviceRecord(d);
            }
            formatter.Flush();
            return ExitCode.Success;
        }
        if (classes.Count == 0)
            classes = InterfaceClass.BuiltIn;

        foreach (var cls in classes)
        {
            foreach (var d in devices)
            {
                if (cls.Matches(d))
                    formatter.WriteInterface(new DeviceInterface(cls, d));
            }
        }
        formatter.Flush();
        return ExitCode.Success;
    }
}
