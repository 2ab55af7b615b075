namespace DeviceNotify.Cli;

/// <summary>Maps library failures to exit codes and one-line messages, from data (errno, failure kind), never from message text.</summary>
internal static class Failures
{
    internal static ExitCode ExitCodeOf(RemovalResult r) => r.Succeeded ? ExitCode.Success
        : r.Failure == RemovalFailure.NotPermitted ? ExitCode.NotPermitted
        : ExitCode.Failure;

    /// <summary>A watcher that could not start (or a source that failed): not permitted for EPERM/EACCES, a failure otherwise.</summary>
    internal static ExitCode Report(string verb, Exception ex, TextWriter error)
    {
        switch (ex)
        {
            case DeviceNotifyException dn:
                error.WriteLine($"devnotify {verb}: {dn.Message}");
                return dn.IsPermissionDenied ? ExitCode.NotPermitted : ExitCode.Failure;
            case UnauthorizedAccessException:
                error.WriteLine($"devnotify {verb}: {ex.Message} (run as root)");
                return ExitCode.NotPermitted;
            case PlatformNotSupportedException:
                error.WriteLine($"devnotify {verb}: {ex.Message}");
                return ExitCode.Failure;
            case ArgumentException arg:
                error.WriteLine($"devnotify {verb}: {ErrorText.Of(arg)}");
                return ExitCode.BadArguments;
            default:
                error.WriteLine($"devnotify {verb}: {ex.GetType().Name}: {ex.Message}");
                return ExitCode.Failure;
        }
    }

    /// <summary>Starts a watcher of the kernel (or of <paramref name="source"/>), or says why it cannot.</summary>
    internal static DeviceWatcher? StartWatcher(string verb, DeviceSource? source, TextWriter error, out ExitCode failed)
    {
        failed = ExitCode.Success;
        try
        {
            return DeviceWatcher.StartNew(new DeviceWatcherOptions { Source = source });
        }
        catch (Exception ex) when (ex is DeviceNotifyException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            failed = Report(verb, ex, error);
            return null;
        }
    }
}
