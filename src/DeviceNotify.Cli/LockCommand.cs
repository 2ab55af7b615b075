using System.CommandLine;
using System.Runtime.Versioning;

namespace DeviceNotify.Cli;

/// <summary>The arguments of <c>devnotify lock</c>.</summary>
internal sealed record LockArgs(string Path, double TimeoutSeconds, double? ForSeconds, bool Json);

/// <summary><c>devnotify lock PATH</c>: negotiated exclusive lock, held until Ctrl-C or --for seconds.</summary>
[SupportedOSPlatform("linux")]
internal static class LockCommand
{
    internal static Command Create(CliIo io)
    {
        var path = RemovalCliOptions.Path();
        var timeout = RemovalCliOptions.Timeout();
        var hold = new Option<double?>("--for") { Description = "Release after this many seconds (default: hold until Ctrl-C)." };
        var json = FilterOptions.Json();
        var command = new Command("lock", "Lock a volume exclusively (nobody can mount or claim it) after asking everyone who registered for it.") { path, timeout, hold, json };
        command.SetAction(async (parse, ct) => (int)await RunAsync(new LockArgs(parse.GetValue(path)!, parse.GetValue(timeout), parse.GetValue(hold), parse.GetValue(json)),
            io, ct).ConfigureAwait(false));
        return command;
    }

    internal static async Task<ExitCode> RunAsync(LockArgs args, CliIo io, CancellationToken cancellationToken)
    {
        var error = io.Error;
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
        using var watcher = Failures.StartWatcher("lock", null, error, out var failed);
        if (watcher is null)
            return failed;
        VolumeLock held;
        try
        {
            var coordinator = new RemovalCoordinator(watcher);
            held = await coordinator.LockAsync(args.Path, new RemovalOptions { Deadline = TimeSpan.FromSeconds(args.TimeoutSeconds) }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("devnotify lock: cancelled; everyone asked was told it failed.");
            return ExitCode.Failure;
        }
        catch (Exception ex) when (ex is ArgumentException or DeviceNotifyException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            return Failures.Report("lock", ex, error);
        }
        using (held)
        {
            RemovalResultFormatter.Write(held.Result, args.Json, io.Output, error);
            if (!held.IsHeld)
                return Failures.ExitCodeOf(held.Result);
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
