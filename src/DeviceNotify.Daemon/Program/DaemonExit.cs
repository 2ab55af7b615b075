namespace DeviceNotify.Daemon;

/// <summary>The exit codes of <c>devnotify-daemon</c>, the same meanings as the CLI's.</summary>
internal enum DaemonExit
{
    /// <summary>Stopped by SIGTERM or Ctrl-C after serving.</summary>
    Success = 0,

    /// <summary>Could not start (the socket is in use by a live broker, the kernel source failed...).</summary>
    Failure = 1,

    /// <summary>A wrong argument; the message names it and what is accepted.</summary>
    BadArguments = 2,

    /// <summary>Not permitted (the socket's folder, or the kernel's events, need root).</summary>
    NotPermitted = 3,
}
