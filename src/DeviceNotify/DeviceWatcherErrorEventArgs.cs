namespace DeviceNotify;

/// <summary>A failure after start-up, reported in-band: a callback threw, or the kernel source hit an error.</summary>
public sealed class DeviceWatcherErrorEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public DeviceWatcherErrorEventArgs(Exception exception, DeviceRegistration? registration)
    {
        Exception = exception;
        Registration = registration;
    }

    /// <summary>What went wrong.</summary>
    public Exception Exception { get; }

    /// <summary>The registration whose callback threw; null for a source error.</summary>
    public DeviceRegistration? Registration { get; }
}
