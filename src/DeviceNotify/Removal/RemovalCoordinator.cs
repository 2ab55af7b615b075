using System.Diagnostics;
using System.Runtime.Versioning;
using DeviceNotify.Dispatch;
using DeviceNotify.Linux;
using Microsoft.Win32.SafeHandles;

namespace DeviceNotify;

// Implementation notes (DESIGN.md §3, the negotiation Linux lacks):
// 1. Ask: every handle registration bound to the target (for Eject: the disk and its partitions) gets the
//    question (VolumeDismount / VolumeLock / QueryRemove) with a RemovalQuery. All deadlines run at once.
// 2. Scan: processes that never registered but hold the device or a file on it (fd, cwd, root, maps) are
//    vetoes too ("outstanding open"). The scan runs after the answers, so handlers that accepted have closed.
// 3. Any veto (and no Force): the matching "failed" notice goes to everyone asked; the result names each vetoer.
// 4. Act: umount2; an O_EXCL open for a lock; for Eject, unmount every volume, RemovePending, then detach and
//    remove the loop device (or delete the SCSI device). RemoveComplete comes from the kernel's remove uevent.
// 5. If the kernel refuses (EBUSY, EPERM), the failed notice goes out and the result says why.
/// <summary>
/// Negotiated removal in one process: dismount, lock and eject, asking every handle registration first and
/// naming every vetoer (registrations and processes holding the volume).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class RemovalCoordinator
{
    private readonly Dispatcher _dispatcher;
    private readonly string _processName = Process.GetCurrentProcess().ProcessName;

    /// <summary>Creates a coordinator that works through <paramref name="watcher"/>'s registrations and device table.</summary>
    public RemovalCoordinator(DeviceWatcher watcher)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        _dispatcher = watcher.Dispatcher;
    }

    /// <summary>The block device behind <paramref name="path"/>: a device node, a mount point, or a file on a volume.</summary>
    /// <exception cref="ArgumentException">The path does not exist or is not on a block device.</exception>
    public unsafe Device Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Interop.Statx st;
        if (Interop.StatXPath(Interop.AT_FDCWD, path, 0, Interop.STATX_TYPE, &st) != 0)
            throw new ArgumentException($"'{path}': {Interop.StrError(Interop.LastErrno)}. Give a device node (/dev/sdb1), a mount point, or a file on the volume.", nameof(path));
        bool node = (st.Mode & Interop.S_IFMT) == Interop.S_IFBLK;
        int major = (int)(node ? st.RDevMajor : st.DevMajor), minor = (int)(node ? st.RDevMinor : st.DevMinor);
        return _dispatcher.FindByNumber(major, minor, block: true)
            ?? throw new ArgumentException($"'{path}' is not on a block device (device {major}:{minor}); give a device node, a mount point, or a file on a volume.", nameof(path));
    }

    /// <summary>Processes holding the volume behind <paramref name="path"/> (or a file on it) open, as fuser would list them.</summary>
    public IReadOnlyList<PartyResponse> FindHolders(string path) => Holders([Resolve(path)]);

    /// <summary>Negotiates and performs the unmount of the volume behind <paramref name="path"/> (every mount of it).</summary>
    public async Task<RemovalResult> DismountAsync(string path, RemovalOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RemovalOptions();
        var device = Resolve(path);
        var mounts = MountsOf([device]);
        if (mounts.Count == 0)
            return new RemovalResult { Operation = RemovalOperation.Dismount, Device = device, Error = $"{device.DevNode} is not mounted." };
        bool Bound(Device d) => d.DevPath == device.DevPath;

        var parties = await AskAsync(Bound, NotificationAction.CustomEvent, VolumeEvents.VolumeDismount, mounts[0], RemovalOperation.Dismount, options, cancellationToken).ConfigureAwait(false);
        parties.AddRange(Holders([device]));
        if (parties.Any(p => p.Veto != VetoType.None) && !options.Force)
            return Fail(RemovalOperation.Dismount, device, parties, Bound, NotificationAction.CustomEvent, VolumeEvents.VolumeDismountFailed);

        if (Unmount(mounts, options.Force) is { } refused)
        {
            parties.Add(refused);
            return Fail(RemovalOperation.Dismount, device, parties, Bound, NotificationAction.CustomEvent, VolumeEvents.VolumeDismountFailed);
        }
        return new RemovalResult { Operation = RemovalOperation.Dismount, Device = device, Succeeded = true, Parties = parties, Forced = options.Force && parties.Any(p => p.Veto != VetoType.None) };
    }

    /// <summary>
    /// Negotiates an exclusive lock on the volume behind <paramref name="path"/> (an O_EXCL open: nobody can mount
    /// or claim it while held). Check <see cref="VolumeLock.IsHeld"/>; dispose the lock to release it.
    /// </summary>
    public async Task<VolumeLock> LockAsync(string path, RemovalOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RemovalOptions();
        var device = Resolve(path);
        bool Bound(Device d) => d.DevPath == device.DevPath;
        var parties = await AskAsync(Bound, NotificationAction.CustomEvent, VolumeEvents.VolumeLock, null, RemovalOperation.Lock, options, cancellationToken).ConfigureAwait(false);
        parties.AddRange(Holders([device]));
        if (parties.Any(p => p.Veto != VetoType.None) && !options.Force)
            return new VolumeLock(Fail(RemovalOperation.Lock, device, parties, Bound, NotificationAction.CustomEvent, VolumeEvents.VolumeLockFailed), null, null);

        int fd = Interop.Open(device.DevNode!, Interop.O_RDONLY | Interop.O_EXCL | Interop.O_CLOEXEC);
        if (fd < 0)
        {
            int errno = Interop.LastErrno;
            parties.Add(KernelRefusal(errno, errno == Interop.EBUSY ? "the volume is mounted or claimed exclusively" : "exclusive open failed"));
            return new VolumeLock(Fail(RemovalOperation.Lock, device, parties, Bound, NotificationAction.CustomEvent, VolumeEvents.VolumeLockFailed), null, null);
        }
        var result = new RemovalResult { Operation = RemovalOperation.Lock, Device = device, Succeeded = true, Parties = parties };
        return new VolumeLock(result, new SafeFileHandle(fd, ownsHandle: true), () => Tell(Bound, NotificationAction.CustomEvent, VolumeEvents.VolumeUnlock));
    }

    /// <summary>
    /// Negotiates and performs the removal of the device behind <paramref name="path"/> (a partition means its
    /// disk): QueryRemove to the disk's and partitions' registrations, unmount of their volumes, RemovePending,
    /// then the removal itself (loop devices: detach and delete; SCSI: delete). RemoveComplete follows from the kernel.
    /// </summary>
    public async Task<RemovalResult> EjectAsync(string path, RemovalOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RemovalOptions();
        var device = Resolve(path);
        var disk = device.DevType == "partition" ? _dispatcher.Find(device.DevPath[..device.DevPath.LastIndexOf('/')]) ?? device : device;
        var family = _dispatcher.ChildrenOf(disk).Where(d => d.Subsystem == "block").Prepend(disk).ToList();
        bool Bound(Device d) => d.DevPath == disk.DevPath || d.DevPath.StartsWith(disk.DevPath + "/", StringComparison.Ordinal);

        var parties = await AskAsync(Bound, NotificationAction.QueryRemove, null, null, RemovalOperation.Eject, options, cancellationToken).ConfigureAwait(false);
        parties.AddRange(Holders(family));
        if (parties.Any(p => p.Veto != VetoType.None) && !options.Force)
            return Fail(RemovalOperation.Eject, disk, parties, Bound, NotificationAction.QueryRemoveFailed, null);

        foreach (var volume in family)
        {
            var mounts = MountsOf([volume]);
            if (mounts.Count == 0)
                continue;
            Tell(d => d.DevPath == volume.DevPath, NotificationAction.CustomEvent, VolumeEvents.VolumeDismount, mounts[0]);
            if (Unmount(mounts, options.Force) is { } refused)
            {
                parties.Add(refused);
                return Fail(RemovalOperation.Eject, disk, parties, Bound, NotificationAction.QueryRemoveFailed, null);
            }
        }
        Tell(Bound, NotificationAction.RemovePending, null);
        if (RemoveDevice(disk) is { } failure)
        {
            parties.Add(failure);
            return Fail(RemovalOperation.Eject, disk, parties, Bound, NotificationAction.QueryRemoveFailed, null);
        }
        return new RemovalResult { Operation = RemovalOperation.Eject, Device = disk, Succeeded = true, Parties = parties, Forced = options.Force && parties.Any(p => p.Veto != VetoType.None) };
    }

    private async Task<List<PartyResponse>> AskAsync(Func<Device, bool> bound, NotificationAction action, Guid? eventGuid, MountPoint? mount,
        RemovalOperation operation, RemovalOptions options, CancellationToken cancellationToken)
    {
        long timestamp = Stopwatch.GetTimestamp();
        var sent = _dispatcher.Announce(bound, (r, d) => new DeviceNotification(action, d, null, DeviceAction.None, NotificationOrigin.Coordinator, timestamp,
            customEvent: eventGuid is { } g ? new CustomEventData { EventGuid = g, MountPoint = mount } : null,
            query: new RemovalQuery(operation)));
        var deadline = Task.Delay(options.Deadline, cancellationToken);
        var responses = new List<PartyResponse>();
        foreach (var (registration, notification) in sent)
        {
            var answer = notification.Query!.Answer;
            await Task.WhenAny(answer, deadline).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            var (veto, reason) = answer.IsCompleted ? answer.Result : (VetoType.Timeout, $"no answer within {options.Deadline.TotalSeconds:0.###} s");
            responses.Add(new PartyResponse
            {
                Name = registration.Name ?? registration.Filter.ToString(),
                ProcessId = Environment.ProcessId,
                ProcessName = _processName,
                WasAsked = true,
                Veto = veto,
                Reason = reason,
            });
        }
        return responses;
    }

    private void Tell(Func<Device, bool> bound, NotificationAction action, Guid? eventGuid, MountPoint? mount = null)
    {
        long timestamp = Stopwatch.GetTimestamp();
        _dispatcher.Announce(bound, (r, d) => new DeviceNotification(action, d, null, DeviceAction.None, NotificationOrigin.Coordinator, timestamp,
            customEvent: eventGuid is { } g ? new CustomEventData { EventGuid = g, MountPoint = mount } : null));
    }

    private RemovalResult Fail(RemovalOperation operation, Device device, List<PartyResponse> parties, Func<Device, bool> bound, NotificationAction failedAction, Guid? failedEvent)
    {
        Tell(bound, failedAction, failedEvent);
        var first = parties.First(p => p.Veto != VetoType.None);
        return new RemovalResult
        {
            Operation = operation,
            Device = device,
            Parties = parties,
            Error = $"vetoed by {first.Name} (pid {first.ProcessId}): {first.Veto}{(first.Reason is null ? "" : " - " + first.Reason)}",
        };
    }

    private List<MountPoint> MountsOf(IEnumerable<Device> devices)
    {
        var numbers = devices.Where(d => d.Major is not null).Select(d => (d.Major!.Value, d.Minor!.Value)).ToHashSet();
        // Newest first: a mount stacked on another must go before the one below it.
        return _dispatcher.Mounts.Where(m => numbers.Contains((m.Major, m.Minor))).OrderByDescending(m => m.MountId).ToList();
    }

    private List<PartyResponse> Holders(IEnumerable<Device> devices)
    {
        var holders = new List<PartyResponse>();
        foreach (var d in devices)
        {
            if (d.Major is not int major || d.Minor is not int minor)
                continue;
            foreach (var h in HolderScanner.Scan(major, minor))
            {
                holders.Add(new PartyResponse
                {
                    Name = h.ProcessName,
                    ProcessId = h.ProcessId,
                    ProcessName = h.ProcessName,
                    Veto = VetoType.OutstandingOpen,
                    Reason = h.What,
                });
            }
        }
        return holders;
    }

    private static PartyResponse? Unmount(List<MountPoint> mounts, bool force)
    {
        foreach (var m in mounts)
        {
            if (Interop.Umount2(m.Path, 0) == 0)
                continue;
            int errno = Interop.LastErrno;
            if (errno == Interop.EBUSY && force && Interop.Umount2(m.Path, Interop.MNT_DETACH) == 0)
                continue;
            return KernelRefusal(errno, $"umount {m.Path}");
        }
        return null;
    }

    private static PartyResponse? RemoveDevice(Device disk)
    {
        if (disk.SysName.StartsWith("loop", StringComparison.Ordinal) && int.TryParse(disk.SysName.AsSpan(4), out int index))
            return RemoveLoop(disk, index);
        string delete = Path.Combine(disk.SysPath, "device", "delete");
        if (File.Exists(delete))
        {
            try
            {
                File.WriteAllText(delete, "1");
                return null;
            }
            catch (IOException ex)
            {
                return KernelRefusal(0, $"{delete}: {ex.Message}");
            }
            catch (UnauthorizedAccessException)
            {
                return KernelRefusal(Interop.EACCES, delete);
            }
        }
        return KernelRefusal(0, $"DeviceNotify does not know how to remove {disk.SysName} (loop and SCSI devices are supported)");
    }

    private static PartyResponse? RemoveLoop(Device disk, int index)
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

    private static PartyResponse KernelRefusal(int errno, string what) => new()
    {
        Name = "kernel",
        ProcessId = 0,
        ProcessName = "kernel",
        Veto = VetoType.KernelRefused,
        Reason = errno == 0 ? what : $"{what}: {Interop.StrError(errno)}" + (errno is Interop.EPERM or Interop.EACCES ? " (needs root: CAP_SYS_ADMIN)" : ""),
    };
}
