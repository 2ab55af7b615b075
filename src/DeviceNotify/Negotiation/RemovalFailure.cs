namespace DeviceNotify;

/// <summary>Why a removal request failed (<see cref="RemovalResult.Failure"/>), as data a program can act on.</summary>
public enum RemovalFailure
{
    /// <summary>It did not fail.</summary>
    None = 0,
    /// <summary>A party vetoed or a holder was found (see <see cref="RemovalResult.Vetoes"/>).</summary>
    Vetoed,
    /// <summary>Dismount of a volume that is not mounted.</summary>
    NotMounted,
    /// <summary>
    /// Another filesystem is mounted on the volume's mount (over it, or below it): unmounting the volume would take
    /// that one too, so DeviceNotify refuses. Unmount the other first.
    /// </summary>
    MountCovered,
    /// <summary>The kernel refused for lack of privilege (EPERM, EACCES): the request needs root (CAP_SYS_ADMIN).</summary>
    NotPermitted,
    /// <summary>The kernel refused (EBUSY and the like); <see cref="PartyResponse.Errno"/> of the "kernel" party says why.</summary>
    KernelRefused,
    /// <summary>DeviceNotify does not know how to remove this kind of device.</summary>
    NotSupported,
}
