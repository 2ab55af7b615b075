namespace DeviceNotify.Cli;

/// <summary>Every exit code devnotify uses (README: "Exit codes").</summary>
internal enum ExitCode
{
    /// <summary>Done (or stopped by Ctrl-C, SIGTERM, or the output pipe closing).</summary>
    Success = 0,
    /// <summary>The request failed or was vetoed; the watcher could not start; the source failed.</summary>
    Failure = 1,
    /// <summary>Bad arguments: the message names what was wrong and what is accepted.</summary>
    BadArguments = 2,
    /// <summary>Not permitted: the operation needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN) or ownership of the device.</summary>
    NotPermitted = 3,
}
