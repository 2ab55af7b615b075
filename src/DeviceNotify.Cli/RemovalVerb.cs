using System.CommandLine;

namespace DeviceNotify.Cli;

/// <summary>The arguments dismount and eject share.</summary>
internal sealed record RemovalArgs(string Path, double TimeoutSeconds, bool Force, bool Json);

/// <summary>What dismount and eject share: the command's options, then validate, negotiate, print, exit code.</summary>
internal static class RemovalVerb
{
    internal delegate Task<RemovalResult> Negotiation(RemovalCoordinator coordinator, string path, RemovalOptions options, CancellationToken cancellationToken);

    internal static Command Create(string verb, string description, Negotiation negotiate)
    {
        var path = RemovalCliOptions.Path();
        var timeout = RemovalCliOptions.Timeout();
        var force = RemovalCliOptions.Force();
        var json = FilterOptions.Json();
        var command = new Command(verb, description) { path, timeout, force, json };
        command.SetAction(async (parse, ct) => (int)await RunAsync(verb,
            new RemovalArgs(parse.GetValue(path)!, parse.GetValue(timeout), parse.GetValue(force), parse.GetValue(json)),
            negotiate, Console.OpenStandardOutput(), Console.Error, ct).ConfigureAwait(false));
        return command;
    }

    internal static async Task<ExitCode> RunAsync(string verb, RemovalArgs args, Negotiation negotiate, Stream output, TextWriter error, CancellationToken cancellationToken)
    {
        if (RemovalCliOptions.Validate(args.TimeoutSeconds) is { } bad)
        {
            error.WriteLine($"devnotify {verb}: {bad}");
            return ExitCode.BadArguments;
        }
        using var watcher = new DeviceWatcher();
        var coordinator = new RemovalCoordinator(watcher);
        RemovalResult result;
        try
        {
            result = await negotiate(coordinator, args.Path, new RemovalOptions { Deadline = TimeSpan.FromSeconds(args.TimeoutSeconds), Force = args.Force }, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            error.WriteLine($"devnotify {verb}: {ErrorText.Of(ex)}");
            return ExitCode.BadArguments;
        }
        RemovalResultFormatter.Write(result, args.Json, output, error);
        return RemovalResultFormatter.ExitCodeOf(result);
    }
}
