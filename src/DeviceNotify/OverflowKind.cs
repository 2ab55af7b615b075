namespace DeviceNotify;

/// <summary>Which buffer overflowed.</summary>
public enum OverflowKind
{
    /// <summary>Not set.</summary>
    None = 0,
    /// <summary>The kernel dropped uevents because the netlink receive buffer was full (<c>ENOBUFS</c>).</summary>
    KernelBuffer,
    /// <summary>This registration's queue was full because its consumer was slower than the events.</summary>
    SubscriberQueue,
}
