namespace DeviceNotify;

/// <summary>How a holder of a volume or device was found (<see cref="PartyResponse.FoundBy"/>).</summary>
public enum HolderKind
{
    /// <summary>Not a holder: a party that was asked, or the kernel's refusal of the operation.</summary>
    None = 0,
    /// <summary>An open file descriptor: the device node, or a file on the volume (<c>/proc/PID/fd</c>).</summary>
    FileDescriptor,
    /// <summary>The process's working directory is on the volume.</summary>
    WorkingDirectory,
    /// <summary>The process's root directory is on the volume (a chroot).</summary>
    RootDirectory,
    /// <summary>The process's executable is on the volume.</summary>
    Executable,
    /// <summary>A file on the volume is mapped into the process's memory (<c>/proc/PID/maps</c>).</summary>
    MemoryMap,
    /// <summary>The kernel swaps to the device, or to a file on the volume (<c>/proc/swaps</c>).</summary>
    Swap,
    /// <summary>A loop device is backed by a file on the volume.</summary>
    LoopDevice,
    /// <summary>A device stacked on this one (device-mapper, md, bcache: sysfs <c>holders/</c>).</summary>
    StackedDevice,
    /// <summary>The volume is mounted (in this or another mount namespace).</summary>
    Mount,
}
