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

    internal static Task<ExitCode> RunAsync(DismountArgs args, Stream output, TextWriter error, CancellationToken cancellationToken)
        => RemovalVerb.RunAsync("dismount", args.Path, args.TimeoutSeconds, args.Force, args.Json,
            static (c, path, options, ct) => c.DismountAsync(path, options, ct), output, error, cancellationToken);
}
