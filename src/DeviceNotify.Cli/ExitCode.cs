namespace DeviceNotify.Cli;

/// <summary>Every exit code devnotify uses.</summary>
internal enum ExitCode
{
    Success = 0,
    Failure = 1,
    BadArguments = 2,
    NotPermitted = 3,
}
