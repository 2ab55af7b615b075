using Microsoft.Win32.SafeHandles;

namespace DeviceNotify.Negotiation;

/// <summary>
/// What the platform does once a removal was agreed (Linux: umount2, an O_EXCL open, loop/SCSI removal), and the
/// platform's view of paths and mounts. Refusals are data, never exceptions.
/// </summary>
internal interface IRemovalActuator
{
    /// <summary>The block device number behind a device node, mount point or file. Throws ArgumentException naming what was wrong.</summary>
    (int Major, int Minor) ResolveBlockNumber(string path);

    /// <summary>The mount table now (read fresh).</summary>
    IReadOnlyList<MountPoint> ReadMounts();

    /// <summary>Unmounts every mount of <paramref name="volume"/>, by mount identity, re-reading the table before each step; null when done.</summary>
    Refusal? Unmount(Device volume, bool force);

    /// <summary>Takes an exclusive hold of the volume (nobody can mount or claim it while the handle lives).</summary>
    Refusal? Lock(Device volume, out SafeFileHandle? handle);

    /// <summary>Removes a whole device (a loop device, a SCSI disk).</summary>
    Refusal? Remove(Device disk);

    /// <summary>
    /// The kernel's own answer to "is anything still using this device?" (an exclusive claim attempt, released at
    /// once): null when unused, otherwise what holds it, in one sentence.
    /// </summary>
    string? InUse(Device device);

    /// <summary>True when the kernel itself defers removing this device until its last user leaves (a loop device).</summary>
    bool DefersRemovalWhileInUse(Device disk);

    /// <summary>
    /// True when an unmount of a filesystem something still uses fails as a whole and changes nothing (Linux umount2
    /// without MNT_DETACH: EBUSY), with <see cref="Refusal.Busy"/> set: the kernel's check is then exact and cheaper
    /// than a holder scan, which is needed only to name the holders.
    /// </summary>
    bool RefusesBusyUnmount { get; }
}

/// <summary>
/// Why the platform refused: the failure kind and the "kernel" party that names the error; <paramref name="Busy"/>
/// when something still uses the target and nothing was changed.
/// </summary>
internal readonly record struct Refusal(RemovalFailure Failure, PartyResponse Party, bool Busy = false);
