using System.CommandLine;

namespace DeviceNotify.Cli;

/// <summary>Options shared by dismount, lock and eject.</summary>
internal static class RemovalCliOptions
{
    internal static Argument<string> Path() => new("PATH") { Description = "A device node (/dev/sdb1), a mount point, or a file on the volume." };

    internal static Option<double> Timeout() => new("--timeout", "-t")
    {
        Description = "Seconds each registered handler has to answer (default 30); no answer is a veto.",
        DefaultValueFactory = _ => RemovalOptions.DefaultDeadline.TotalSeconds,
    };

    internal static Option<bool> Force() => new("--force", "-f") { Description = "Act despite vetoes (a busy mount is detached lazily)." };

    internal static string? Validate(double timeoutSeconds) => timeoutSeconds is > 0 and <= 3600
        ? null
        : $"--timeout must be between 0 and 3600 seconds, not {timeoutSeconds}.";
}
