using System.Runtime.Versioning;
using DeviceNotify.Negotiation;
using Microsoft.Win32.SafeHandles;

namespace DeviceNotify.Linux;

// Implementation notes:
// - Act only on the target. umount2 by path acts on the topmost mount at that path, so a path alone may name
//   another filesystem (one mounted over the target later). Before each umount2 the mount table is read again and:
//   (1) the target mount must have no mount on it — a child mount, whether over it at the same path or below it,
//   would be detached with it (MNT_DETACH) or make it busy; Linux cannot unmount only the lower of two stacked
//   mounts, and moving the upper one aside fails under shared propagation, so DeviceNotify refuses, naming it;
//   (2) statx(path, STATX_MNT_ID) must still give the target's mount id and device. Then umount2 with
//   UMOUNT_NOFOLLOW. What remains is a window of microseconds in which someone mounts on exactly that path;
//   there is no unmount-by-id system call.
// - Several mounts of one volume (bind mounts) go deepest first, each re-checked.
// - Force: a mount the kernel refuses as busy is detached lazily (MNT_DETACH), only when nothing is mounted on it;
//   the filesystem then lives until its last holder closes.
// - Lock: O_EXCL on a block device is an exclusive claim; it fails with EBUSY while mounted (in any mount
//   namespace), used for swap or held by a stacked device. InUse makes the same claim and releases it at once: the
//   kernel's own answer, checked before a device is deleted and after a dismount.
// - Remove: a loop device is cleared (LOOP_CLR_FD) and deleted (LOOP_CTL_REMOVE), because a detach alone emits no
//   "remove" uevent; a SCSI disk is deleted through sysfs (device/delete).
/// <summary>Linux: umount2 by mount identity, O_EXCL locks, loop and SCSI removal.</summary>
[SupportedOSPlatform("linux")]
internal sealed unsafe class RemovalActuator(string mountInfoPath = "/proc/self/mountinfo") : IRemovalActuator
{
    public (int Major, int Minor) ResolveBlockNumber(string path)
    {
        Interop.Statx st;
        if (Interop.StatXPath(Interop.AT_FDCWD, path, Interop.AT_STATX_DONT_SYNC, Interop.STATX_TYPE, &st) != 0)
            throw new ArgumentException($"'{path}': {Interop.StrError(Interop.LastErrno)}. Give a device node (/dev/sdb1), a mount point, or a file on the volume.", nameof(path));
        bool node = (st.Mode & Interop.S_IFMT) == Interop.S_IFBLK;
        return ((int)(node ? st.RDevMajor : st.DevMajor), (int)(node ? st.RDevMinor : st.DevMinor));
    }

    public IReadOnlyList<MountPoint> ReadMounts() => MountTable.Read(mountInfoPath);

    public Refusal? Unmount(Device volume, bool force)
    {
        if (volume.Major is not int major || volume.Minor is not int minor)
            return null;
        // Each pass unmounts one mount, then reads the table again; a bound guards against a table that never settles.
        for (int pass = 0; pass < 256; pass++)
        {
            var table = ReadMounts();
            var mine = table.Where(m => m.Major == major && m.Minor == minor).ToList();
            if (mine.Count == 0)
                return null;
            var depth = Depths(table);
            var target = mine.OrderByDescending(m => depth[m.MountId]).ThenByDescending(m => m.MountId).First();
            if (table.FirstOrDefault(c => c.ParentId == target.MountId && c.MountId != target.MountId) is { } child)
                return Covered(volume, target, child);
            if (CheckIdentity(volume, target) is { } moved)
                return moved;
            if (Interop.Umount2(target.Path, Interop.UMOUNT_NOFOLLOW) == 0)
                continue;
            int errno = Interop.LastErrno;
            if (errno == Interop.EBUSY && force && Interop.Umount2(target.Path, Interop.MNT_DETACH | Interop.UMOUNT_NOFOLLOW) == 0)
                continue;
            return KernelRefusal(errno, $"umount {target.Path}") with { Busy = errno == Interop.EBUSY };
        }
        return KernelRefusal(0, $"the mounts of {volume.DevNode} kept changing; gave up");
    }

    public Refusal? Lock(Device volume, out SafeFileHandle? handle)
    {
        handle = null;
        int fd = Interop.Open(volume.DevNode!, Interop.O_RDONLY | Interop.O_EXCL | Interop.O_CLOEXEC);
        if (fd < 0)
        {
            int errno = Interop.LastErrno;
            return KernelRefusal(errno, errno == Interop.EBUSY ? "the volume is mounted or claimed exclusively" : "exclusive open failed");
        }
        handle = new SafeFileHandle(fd, ownsHandle: true);
        return null;
    }

    public string? InUse(Device device)
    {
        if (device.DevNode is not { } node)
            return null;
        int fd = Interop.Open(node, Interop.O_RDONLY | Interop.O_EXCL | Interop.O_NONBLOCK | Interop.O_CLOEXEC);
        if (fd >= 0)
        {
            Interop.Close(fd);
            return null;
        }
        int errno = Interop.LastErrno;
        return errno == Interop.EBUSY
            ? $"{node} is still in use (mounted in another mount namespace, a swap area, a stacked device, or a lazily detached filesystem)"
            : null;   // cannot tell (no permission, gone): the holder scan and the kernel's refusal still apply
    }

    public bool DefersRemovalWhileInUse(Device disk) => disk.SysName.StartsWith("loop", StringComparison.Ordinal);

    /// <summary>umount2 without MNT_DETACH refuses a busy filesystem (an open file, a working directory, a mapping, a swap file, a loop backing file) with EBUSY and changes nothing.</summary>
    public bool RefusesBusyUnmount => true;

    public Refusal? Remove(Device disk)
    {
        if (disk.SysName.StartsWith("loop", StringComparison.Ordinal) && int.TryParse(disk.SysName.AsSpan(4), out int index))
            return RemoveLoop(disk, index);
        string delete = Path.Combine(disk.SysPath, "device", "delete");
        if (!File.Exists(delete))
            return new Refusal(RemovalFailure.NotSupported, Kernel(0, $"DeviceNotify does not know how to remove {disk.SysName} (loop and SCSI devices are supported)"));
        try
        {
            File.WriteAllText(delete, "1");
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return KernelRefusal(Interop.EACCES, delete);
        }
        catch (IOException ex)
        {
            return KernelRefusal(0, $"{delete}: {ex.Message}");
        }
    }

    private static Refusal? RemoveLoop(Device disk, int index)
    {
        int fd = Interop.Open(disk.DevNode!, Interop.O_RDONLY | Interop.O_CLOEXEC);
        if (fd < 0)
            return KernelRefusal(Interop.LastErrno, $"open {disk.DevNode}");
        using (var loop = new SafeFdHandle(fd))
        {
            // LOOP_CLR_FD marks the device for clearing; the kernel clears it when this last opener closes.
            if (Interop.Ioctl(loop, Interop.LOOP_CLR_FD, 0) != 0)
                return KernelRefusal(Interop.LastErrno, "LOOP_CLR_FD");
        }
        int ctl = Interop.Open("/dev/loop-control", 2 | Interop.O_CLOEXEC);
        if (ctl < 0)
            return KernelRefusal(Interop.LastErrno, "open /dev/loop-control");
        using var control = new SafeFdHandle(ctl);
        // The clear completes asynchronously after the close: retry while the device is still busy.
        for (int attempt = 0; ; attempt++)
        {
            if (Interop.Ioctl(control, Interop.LOOP_CTL_REMOVE, index) >= 0)
                return null;
            int errno = Interop.LastErrno;
            if (errno != Interop.EBUSY || attempt >= 100)
                return KernelRefusal(errno, "LOOP_CTL_REMOVE");
            Thread.Sleep(20);
        }
    }

    /// <summary>The path must still lead to the target mount (same id and device); otherwise something was mounted over it since.</summary>
    private static Refusal? CheckIdentity(Device volume, MountPoint target)
    {
        Interop.Statx st;
        int flags = Interop.AT_SYMLINK_NOFOLLOW | Interop.AT_NO_AUTOMOUNT | Interop.AT_STATX_DONT_SYNC;
        if (Interop.StatXPath(Interop.AT_FDCWD, target.Path, flags, Interop.STATX_TYPE | Interop.STATX_MNT_ID, &st) != 0)
            return KernelRefusal(Interop.LastErrno, $"cannot look at {target.Path}");
        if ((st.Mask & Interop.STATX_MNT_ID) == 0)
            return null;   // kernels before 5.8 do not say; the child-mount check above is all there is
        if (st.MountId == (ulong)target.MountId && st.DevMajor == target.Major && st.DevMinor == target.Minor)
            return null;
        return new Refusal(RemovalFailure.MountCovered, KernelParty.Holder($"mount {st.MountId}", HolderKind.Mount,
            $"{target.Path} now leads to mount {st.MountId} (device {st.DevMajor}:{st.DevMinor}), not to {volume.DevNode}'s mount " +
            $"{target.MountId}: something was mounted over it or over a directory above it; unmount that first"));
    }

    /// <summary>Another filesystem is mounted on the target's mount: it is in the way, like a holder; DeviceNotify refuses.</summary>
    private static Refusal Covered(Device volume, MountPoint target, MountPoint child)
    {
        string where = child.Path == target.Path ? $"over {volume.DevNode} at {child.Path}" : $"inside {volume.DevNode} at {child.Path}";
        return new Refusal(RemovalFailure.MountCovered, KernelParty.Holder(child.Source, HolderKind.Mount,
            $"{child.Source} ({child.FileSystemType}, mount {child.MountId}) is mounted {where}; unmounting {volume.DevNode} " +
            "would take it too, so DeviceNotify refuses: unmount that first"));
    }

    /// <summary>Each mount's depth in the mount tree (the root mount is 0).</summary>
    private static Dictionary<int, int> Depths(IReadOnlyList<MountPoint> table)
    {
        var byId = new Dictionary<int, MountPoint>(table.Count);
        foreach (var m in table)
            byId[m.MountId] = m;
        var depths = new Dictionary<int, int>(table.Count);
        foreach (var m in table)
        {
            int depth = 0;
            for (var p = m; byId.TryGetValue(p.ParentId, out var parent) && parent.MountId != p.MountId && depth < 1024; p = parent)
                depth++;
            depths[m.MountId] = depth;
        }
        return depths;
    }

    private static Refusal KernelRefusal(int errno, string what)
        => new(errno is Interop.EPERM or Interop.EACCES ? RemovalFailure.NotPermitted : RemovalFailure.KernelRefused, Kernel(errno, what));

    private static PartyResponse Kernel(int errno, string what)
        => KernelParty.Refused(errno, errno == 0 ? what : $"{what}: {Interop.StrError(errno)}" + (errno is Interop.EPERM or Interop.EACCES ? " (needs root: CAP_SYS_ADMIN)" : ""));
}
