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

    internal static async Task<ExitCode> RunAsync(EjectArgs args, Stream output, TextWriter error, CancellationToken cancellationToken)
    {
        if (RemovalCliOptions.Validate(args.TimeoutSeconds) is { } bad)
        {
            error.WriteLine($"devnotify eject: {bad}");
            return ExitCode.BadArguments;
        }
        using var watcher = new DeviceWatcher();
        var coordinator = new RemovalCoordinator(watcher);
        RemovalResult result;
        try
        {
            result = await coordinator.EjectAsync(args.Path, new RemovalOptions { Deadline = TimeSpan.FromSeconds(args.TimeoutSeconds), Force = args.Force }, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            error.WriteLine($"devnotify eject: {ErrorText.Of(ex)}");
            return ExitCode.BadArguments;
        }
        RemovalResultFormatter.Write(result, args.Json, output, error);
        return RemovalResultFormatter.ExitCodeOf(result);
    }
}
