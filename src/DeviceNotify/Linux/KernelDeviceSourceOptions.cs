namespace DeviceNotify.Linux;

/// <summary>Settings of the kernel source.</summary>
public sealed class KernelDeviceSourceOptions
{
    /// <summary>Default receive buffer request: 128 MiB (the kernel doubles it), as libudev asks.</summary>
    public const int DefaultReceiveBufferSize = 128 * 1024 * 1024;

    /// <summary>
    /// The netlink receive buffer to ask for. As root (CAP_NET_ADMIN) it is granted through SO_RCVBUFFORCE;
    /// otherwise SO_RCVBUF caps it at <c>net.core.rmem_max</c>. Overflow is recovered either way.
    /// </summary>
    public int ReceiveBufferSize { get; init; } = DefaultReceiveBufferSize;

    /// <summary>Where sysfs is mounted; a parameter so tests can point enumeration at a prepared tree.</summary>
    public string SysfsRoot { get; init; } = "/sys";

    /// <summary>The mount table to watch for volume mount and dismount events.</summary>
    public string MountInfoPath { get; init; } = "/proc/self/mountinfo";
}
