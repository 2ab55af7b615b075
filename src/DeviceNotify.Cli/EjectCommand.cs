using System.CommandLine;
using System.Runtime.Versioning;

namespace DeviceNotify.Cli;

/// <summary>The arguments of <c>devnotify eject</c>.</summary>
internal sealed record EjectArgs(string Path, double TimeoutSeconds, bool Force, bool Json);

/// <summary><c>devnotify eject PATH</c>: negotiated removal of a device (loop: detach and delete; SCSI: delete).</summary>
[SupportedOSPlatform("linux")]
internal static class EjectCommand
{
    internal static Command Create()
    {
        var path = RemovalCliOptions.Path();
        var timeout = RemovalCliOptions.Timeout();
        var force = RemovalCliOptions.Force();
        var json = FilterOptions.Json();
        var command = new Command("eject", "Unmount a device's volumes and remove the device, after asking everyone who registered for it.") { path, timeout, force, json };
        command.SetAction(async (parse, ct) => (int)await RunAsync(new EjectArgs(parse.GetValue(path)!, parse.GetValue(timeout), parse.GetValue(force), parse.GetValue(json)),
            Console.OpenStandardOutput(), Console.Error, ct).ConfigureAwait(false));
        return command;
    }

    internal static Task<ExitCode> RunAsync(EjectArgs args, Stream output, TextWriter error, CancellationToken cancellationToken)
        => RemovalVerb.RunAsync("eject", args.Path, args.TimeoutSeconds, args.Force, args.Json,
            static (c, path, options, ct) => c.EjectAsync(path, options, ct), output, error, cancellationToken);
}
