namespace DeviceNotify.Cli;

/// <summary>What dismount and eject share: validate, resolve, negotiate, print, pick the exit code.</summary>
internal static class RemovalVerb
{
    internal delegate Task<RemovalResult> Negotiation(RemovalCoordinator coordinator, string path, RemovalOptions options, CancellationToken cancellationToken);

    internal static async Task<ExitCode> RunAsync(string verb, string path, double timeoutSeconds, bool force, bool json,
        Negotiation negotiate, Stream output, TextWriter error, CancellationToken cancellationToken)
    {
        if (RemovalCliOptions.Validate(timeoutSeconds) is { } bad)
        {
            error.WriteLine($"devnotify {verb}: {bad}");
            return ExitCode.BadArguments;
        }
        using var watcher = new DeviceWatcher();
        var coordinator = new RemovalCoordinator(watcher);
        RemovalResult result;
        try
        {
            result = await negotiate(coordinator, path, new RemovalOptions { Deadline = TimeSpan.FromSeconds(timeoutSeconds), Force = force }, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            error.WriteLine($"devnotify {verb}: {ErrorText.Of(ex)}");
            return ExitCode.BadArguments;
        }
        RemovalResultFormatter.Write(result, json, output, error);
        return RemovalResultFormatter.ExitCodeOf(result);
    }
}
