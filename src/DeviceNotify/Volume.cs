namespace DeviceNotify;

/// <summary>
/// A volume: a block device of the <see cref="InterfaceClass.Volume"/> class, what libblkid finds on it, and
/// where it is mounted (the Linux view of a Windows volume).
/// </summary>
public sealed class Volume
{
    internal Volume(Device device, string? fileSystemType, string? label, string? uuid, string? probeError, IReadOnlyList<MountPoint> mountPoints)
    {
        Device = device;
        FileSystemType = fileSystemType;
        Label = label;
        Uuid = uuid;
        ProbeError = probeError;
        MountPoints = mountPoints;
    }

    /// <summary>The block device.</summary>
    public Device Device { get; }

    /// <summary>The device node (<c>/dev/sdb1</c>).</summary>
    public string DevNode => Device.DevNode ?? "/dev/" + Device.SysName;

    /// <summary>The filesystem type libblkid found (<c>ext4</c>, <c>vfat</c>, ...), or null when none was recognised.</summary>
    public string? FileSystemType { get; }

    /// <summary>The filesystem label, or null.</summary>
    public string? Label { get; }

    /// <summary>The filesystem UUID, or null.</summary>
    public string? Uuid { get; }

    /// <summary>Why probing failed (no permission to read the device, ambiguous signatures), or null.</summary>
    public string? ProbeError { get; }

    /// <summary>Where the volume is mounted now (a volume can be mounted more than once; bind mounts are listed too).</summary>
    public IReadOnlyList<MountPoint> MountPoints { get; }

    /// <summary>True when mounted at least once.</summary>
    public bool IsMounted => MountPoints.Count > 0;

    /// <summary>Device node, type, label and mount points.</summary>
    public override string ToString()
        => $"{DevNode} {FileSystemType ?? "-"} {Label ?? "-"} {(IsMounted ? string.Join(',', MountPoints.Select(m => m.Path)) : "(not mounted)")}";
}
