using System.CommandLine;
using System.Runtime.Versioning;

namespace DeviceNotify.Cli;

/// <summary>The arguments of <c>devnotify lock</c>.</summary>
internal sealed record LockArgs(string Path, double TimeoutSeconds, double? ForSeconds, bool Json);

/// <summary><c>devnotify lock PATH</c>: negotiated exclusive lock, held until Ctrl-C or --for seconds.</summary>
[SupportedOSPlatform("linux")]
internal static class LockCommand
{
    internal static Command Create()
    {
        var path = RemovalCliOptions.Path();
        var timeout = RemovalCliOptions.Timeout();
        var hold = new Option<double?>("--for") { Description = "Release after this many seconds (default: hold until Ctrl-C)." };
        var json = FilterOptions.Json();
        var command = new Command("lock", "Lock a volume exclusively (nobody can mount or claim it) after asking everyone who registered for it.") { path, timeout, hold, json };
        command.SetAction(async (parse, ct) => (int)await RunAsync(new LockArgs(parse.GetValue(path)!, parse.GetValue(timeout), parse.GetValue(hold), parse.GetValue(json)),
            Console.OpenStandardOutput(), Console.Error, ct).ConfigureAwait(false));
        return command;
    }

    internal static async Task<ExitCode> RunAsync(LockArgs args, Stream output, TextWriter error, CancellationToken cancellationToken)
    {
        if (RemovalCliOptions.Validate(args.TimeoutSeconds) is { } bad)
        {
            error.WriteLine($"devnotify lock: {bad}");
            return ExitCode.BadArguments;
        }
        if (args.ForSeconds is <= 0)
        {
            error.WriteLine($"devnotify lock: --for must be a positive number of seconds, not {args.ForSeconds}.");
            return ExitCode.BadArguments;
        }
        using var watcher = new DeviceWatcher();
        var coordinator = new RemovalCoordinator(watcher);
        VolumeLock held;
        try
        {
            held = await coordinator.LockAsync(args.Path, new RemovalOptions { Deadline = TimeSpan.FromSeconds(args.TimeoutSeconds) }, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            error.WriteLine($"devnotify lock: {ErrorText.Of(ex)}");
            return ExitCode.BadArguments;
        }
        using (held)
        {
            RemovalResultFormatter.Write(held.Result, args.Json, output, error);
            if (!held.IsHeld)
                return RemovalResultFormatter.ExitCodeOf(held.Result);
            error.WriteLine(args.ForSeconds is { } s ? $"devnotify lock: holding for {s} s" : "devnotify lock: holding; Ctrl-C to release");
            try
            {
                await Task.Delay(args.ForSeconds is { } f ? TimeSpan.FromSeconds(f) : Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        error.WriteLine("devnotify lock: released");
        return ExitCode.Success;
    }
}
