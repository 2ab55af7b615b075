namespace DeviceNotify;

/// <summary>Counters of a <see cref="DeviceWatcher"/> since it started.</summary>
public sealed record DeviceWatcherStatistics
{
    /// <summary>Kernel events accepted and dispatched.</summary>
    public long EventsReceived { get; init; }

    /// <summary>Datagrams dropped because the sender was not the kernel (netlink port id ≠ 0).</summary>
    public long RejectedSender { get; init; }

    /// <summary>Datagrams dropped because their credentials were missing or not uid 0.</summary>
    public long RejectedCredentials { get; init; }

    /// <summary>Datagrams dropped because they did not fit the receive slot (MSG_TRUNC).</summary>
    public long Truncated { get; init; }

    /// <summary>Datagrams dropped because they were not a well-formed uevent.</summary>
    public long Malformed { get; init; }

    /// <summary>Kernel receive-buffer overflows (ENOBUFS).</summary>
    public long KernelOverflows { get; init; }

    /// <summary>Registration queue overflows.</summary>
    public long QueueOverflows { get; init; }

    /// <summary>Resynchronisations against sysfs after kernel overflows.</summary>
    public long Resynchronizations { get; init; }

    /// <summary>Buffered events found to duplicate the enumeration and dropped (guarantee 1).</summary>
    public long ReconciledDuplicates { get; init; }

    /// <summary>Callbacks that threw.</summary>
    public long CallbackErrors { get; init; }

    /// <summary>Live registrations.</summary>
    public int Registrations { get; init; }
}
