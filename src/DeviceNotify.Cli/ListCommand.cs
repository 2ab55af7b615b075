using System.CommandLine;
using System.Runtime.Versioning;

namespace DeviceNotify.Cli;

/// <summary>The arguments of <c>devnotify list</c>.</summary>
internal sealed record ListArgs(string? Class, string? Subsystem, bool Json, string SysfsRoot = "/sys");

/// <summary><c>devnotify list</c>: the interfaces present now (<c>CM_Get_Device_Interface_List</c>).</summary>
[SupportedOSPlatform("linux")]
internal static class ListCommand
{
    internal static Command Create()
    {
        var cls = FilterOptions.Class();
        var subsystem = FilterOptions.Subsystem();
        var json = FilterOptions.Json();
        var command = new Command("list", "List the device interfaces present now (all built-in classes unless filtered).") { cls, subsystem, json };
        command.SetAction(parse => (int)Run(
            new ListArgs(parse.GetValue(cls), parse.GetValue(subsystem), parse.GetValue(json)),
            Console.OpenStandardOutput(), Console.Error));
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
        if (classes.Count == 0)
            classes = InterfaceClass.BuiltIn;

        var devices = DeviceEnumerator.GetDevices(args.SysfsRoot);
        using var buffered = new BufferedStream(output, 1 << 16);
        var formatter = new NotificationFormatter(buffered, args.Json);
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
