namespace DeviceNotify.Negotiation;

/// <summary>Finds who holds a set of block devices without having registered: processes and the kernel's own holders.</summary>
internal interface IHolderFinder
{
    /// <summary>
    /// One pass over the system for all <paramref name="targets"/> (a disk and its partitions for an eject). Never
    /// hangs on a dead filesystem; a process that does not answer in time becomes a warning.
    /// </summary>
    HolderScan Find(IReadOnlyCollection<Device> targets, IReadOnlyList<MountPoint> mounts, CancellationToken cancellationToken);

    /// <summary>The same pass limited to <paramref name="scope"/>.</summary>
    HolderScan Find(IReadOnlyCollection<Device> targets, IReadOnlyList<MountPoint> mounts, HolderScope scope, CancellationToken cancellationToken);
}

/// <summary>How much of the system a holder scan looks at.</summary>
internal enum HolderScope
{
    /// <summary>Processes (descriptors, directories, maps), the kernel's holders, and mounts in other namespaces.</summary>
    Everything,

    /// <summary>Only mounts of the targets in other mount namespaces (which keep a filesystem alive after our unmount succeeds).</summary>
    MountsElsewhere,
}

/// <summary>The holders found, and what could not be looked at; <paramref name="Unavailable"/> says why there is no scan on this platform at all.</summary>
internal sealed record HolderScan(List<PartyResponse> Holders, List<string> Warnings, string? Unavailable = null);
