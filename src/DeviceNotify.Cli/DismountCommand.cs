using System.CommandLine;
using System.Runtime.Versioning;

namespace DeviceNotify.Cli;

/// <summary>The arguments of <c>devnotify dismount</c>.</summary>
internal sealed record DismountArgs(string Path, double TimeoutSeconds, bool Force, bool Json);

/// <summary><c>devnotify dismount PATH</c>: negotiated unmount.</summary>
[SupportedOSPlatform("linux")]
internal static class DismountCommand
{
    internal static Command Create()
    {
        var path = RemovalCliOptions.Path();
        var timeout = RemovalCliOptions.Timeout();
        var force = RemovalCliOptions.Force();
        var json = FilterOptions.Json();
        var command = new Command("dismount", "Unmount a volume after asking everyone who registered for it; fails naming every vetoer and holder.") { path, timeout, force, json };
        command.SetAction(async (parse, ct) => (int)await RunAsync(new DismountArgs(parse.GetValue(path)!, parse.GetValue(timeout), parse.GetValue(force), parse.GetValue(json)),
            Console.OpenStandardOutput(), Console.Error, ct).ConfigureAwait(false));
        return command;
    }

    internal static async Task<ExitCode> RunAsync(DismountArgs args, Stream output, TextWriter error, CancellationToken cancellationToken)
    {
        if (RemovalCliOptions.Validate(args.TimeoutSeconds) is { } bad)
        {
            error.WriteLine($"devnotify dismount: {bad}");
            return ExitCode.BadArguments;
        }
        using var watcher = new DeviceWatcher();
        var coordinator = new RemovalCoordinator(watcher);
        RemovalResult result;
        try
        {
            result = await coordinator.DismountAsync(args.Path, new RemovalOptions { Deadline = TimeSpan.FromSeconds(args.TimeoutSeconds), Force = args.Force }, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            error.WriteLine($"devnotify dismount: {ErrorText.Of(ex)}");
            return ExitCode.BadArguments;
        }
        RemovalResultFormatter.Write(result, args.Json, output, error);
        return RemovalResultFormatter.ExitCodeOf(result);
    }
}
