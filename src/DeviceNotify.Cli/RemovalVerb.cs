using System.CommandLine;

namespace DeviceNotify.Cli;

/// <summary>The arguments dismount and eject share.</summary>
internal sealed record RemovalArgs(string Path, double TimeoutSeconds, bool Force, bool Json);

/// <summary>What dismount and eject share: the command's options, then validate, negotiate, print, exit code.</summary>
internal static class RemovalVerb
{
    internal delegate Task<RemovalResult> Negotiation(RemovalCoordinator coordinator, string path, RemovalOptions options, CancellationToken cancellationToken);

    internal static Command Create(CliIo io, string verb, string description, Negotiation negotiate)
    {
        var path = RemovalCliOptions.Path();
        var timeout = RemovalCliOptions.Timeout();
        var force = RemovalCliOptions.Force();
        var json = FilterOptions.Json();
        var command = new Command(verb, description) { path, timeout, force, json };
        command.SetAction(async (parse, ct) => (int)await RunAsync(verb,
            new RemovalArgs(parse.GetValue(path)!, parse.GetValue(timeout), parse.GetValue(force), parse.GetValue(json)),
            negotiate, io, ct).ConfigureAwait(false));
        return command;
    }

    internal static async Task<ExitCode> RunAsync(string verb, RemovalArgs args, Negotiation negotiate, CliIo io, CancellationToken cancellationToken)
    {
        if (RemovalCliOptions.Validate(args.TimeoutSeconds) is { } bad)
        {
            io.Error.WriteLine($"devnotify {verb}: {bad}");
            return ExitCode.BadArguments;
        }
        using var watcher = Failures.StartWatcher(verb, null, io.Error, out var failed);
        if (watcher is null)
            return failed;
        RemovalResult result;
        try
        {
            var coordinator = new RemovalCoordinator(watcher);
            result = await negotiate(coordinator, args.Path, new RemovalOptions { Deadline = TimeSpan.FromSeconds(args.TimeoutSeconds), Force = args.Force }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            io.Error.WriteLine($"devnotify {verb}: cancelled; everyone asked was told it failed.");
            return ExitCode.Failure;
        }
        catch (Exception ex) when (ex is ArgumentException or DeviceNotifyException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            return Failures.Report(verb, ex, io.Error);
        }
        RemovalResultFormatter.Write(result, args.Json, io.Output, io.Error);
        return Failures.ExitCodeOf(result);
    }
}
