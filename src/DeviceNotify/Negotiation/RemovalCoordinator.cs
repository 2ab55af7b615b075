using DeviceNotify.Dispatch;
using DeviceNotify.Negotiation;

namespace DeviceNotify;

// Implementation notes (DESIGN.md §3, the negotiation Linux lacks):
// 1. Validate the options, resolve the target and check it can be acted on, all before anyone is asked.
// 2. Ask: every party bound to the target (for Eject: the disk and its partitions) gets the question
//    (VolumeDismount / VolumeLock / QueryRemove); all share one deadline (NegotiationRound).
// 3. Scan: holders that never registered (processes; the kernel's own: swap, loop devices, stacked devices) are
//    vetoes too ("outstanding open"). One pass for all targets, after the answers, so parties that accepted have
//    closed their handles.
// 4. Any veto (and no Force): the matching failed notice goes to everyone asked; the result names each vetoer.
// 5. Act through the platform's actuator: unmount by mount identity, an exclusive open for a lock, removal of a
//    loop/SCSI device. A refusal is the failed notice plus a "kernel" party with the errno.
// 6. Every other way out (cancellation, an exception) still sends the failed notice (NegotiationRound).
// The protocol is platform-neutral; the actuator and the holder finder are the platform's (Linux/).
/// <summary>
/// Negotiated removal: dismount, lock and eject, asking every party registered on the target first and naming
/// every vetoer (registrations and processes holding the volume).
/// </summary>
public sealed class RemovalCoordinator
{
    private readonly DeviceWatcher _watcher;
    private readonly IRemovalActuator _actuator;
    private readonly IHolderFinder _holderFinder;
    private readonly List<RemovalParty> _external = [];

    /// <summary>Creates a coordinator that works through <paramref name="watcher"/>'s registrations and device table.</summary>
    /// <exception cref="PlatformNotSupportedException">No removal support on this operating system.</exception>
    public RemovalCoordinator(DeviceWatcher watcher)
        : this(watcher, PlatformServices.CreateActuator(), PlatformServices.CreateHolderFinder())
    {
    }

    internal RemovalCoordinator(DeviceWatcher watcher, IRemovalActuator actuator, IHolderFinder holderFinder)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        _watcher = watcher;
        _actuator = actuator;
        _holderFinder = holderFinder;
    }

    private Dispatcher Dispatcher => _watcher.RunningDispatcher;

    /// <summary>
    /// Adds a party of another kind (a handle registered by another process, through a broker): from now on it is
    /// asked whenever its <see cref="RemovalParty.Device"/> is the target. Dispose the result to remove it.
    /// </summary>
    public IDisposable AddParty(RemovalParty party)
    {
        ArgumentNullException.ThrowIfNull(party);
        lock (_external)
            _external.Add(party);
        return new PartyRemoval(this, party);
    }

    /// <summary>The block device behind <paramref name="path"/>: a device node, a mount point, or a file on a volume.</summary>
    /// <exception cref="ArgumentException">The path does not exist or is not on a block device.</exception>
    public Device Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var (major, minor) = _actuator.ResolveBlockNumber(path);
        return Dispatcher.FindByNumber(major, minor, block: true)
            ?? throw new ArgumentException($"'{path}' is not on a block device this watcher knows (device {major}:{minor}); give a device node, a mount point, or a file on a volume.", nameof(path));
    }

    /// <summary>Who holds the volume behind <paramref name="path"/> (or a file on it): processes, as fuser would list them, and the kernel's own holders.</summary>
    /// <exception cref="PlatformNotSupportedException">The platform has no holder scan (Windows); the message says what Windows does instead.</exception>
    public IReadOnlyList<PartyResponse> FindHolders(string path, CancellationToken cancellationToken = default)
    {
        var device = Resolve(path);
        if (_watcher.BrokerLink?.TryFindHolders(device, path, cancellationToken) is { } remote)   // [broker] it sees every user's processes
            return remote;
        var scan = _holderFinder.Find([device], _actuator.ReadMounts(), cancellationToken);
        return scan.Unavailable is { } why ? throw new PlatformNotSupportedException(why) : scan.Holders;
    }

    /// <summary>Negotiates and performs the unmount of the volume behind <paramref name="path"/> (every mount of it).</summary>
    /// <exception cref="ArgumentException">Bad options or path (thrown before anyone is asked).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; everyone asked was told VolumeDismountFailed first.</exception>
    public async Task<RemovalResult> DismountAsync(string path, RemovalOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RemovalOptions();
        options.Validate();
        var device = Resolve(path);
        if (_watcher.BrokerLink is { } broker   // [broker] registrations of every process are asked there
            && await broker.TryRemoveAsync(RemovalOperation.Dismount, device, path, options, cancellationToken).ConfigureAwait(false) is { } remote)
            return remote;
        var mounts = _actuator.ReadMounts();
        var mine = MountsOf(device, mounts);
        if (mine.Count == 0)
            return new RemovalResult { Operation = RemovalOperation.Dismount, Device = device, Failure = RemovalFailure.NotMounted, Error = $"{device.DevNode} is not mounted." };

        cancellationToken.ThrowIfCancellationRequested();
        var round = new NegotiationRound(NotificationAction.CustomEvent, VolumeEvents.VolumeDismountFailed, _watcher.Metrics.StartNegotiation(RemovalOperation.Dismount));
        try
        {
            var parties = await round.AskAsync(PartiesBoundTo(d => d.DevPath == device.DevPath), p => Question(RemovalOperation.Dismount,
                NotificationAction.CustomEvent, VolumeEvents.VolumeDismount, p.Device ?? device, mine[0], options), options.Deadline, cancellationToken).ConfigureAwait(false);
            // The kernel refuses to unmount a busy filesystem as a whole and changes nothing; its check is exact and
            // costs less than reading all of /proc. So for one mount, unforced, only what the kernel does not see is
            // looked for first (mounts of the volume in other namespaces, which outlive our unmount), the kernel is
            // asked, and the full scan runs when it refuses, to name the holders. Several mounts (bind mounts) are
            // scanned first: one of them must not be unmounted before another turns out to be busy.
            bool kernelFirst = !options.Force && mine.Count == 1 && _actuator.RefusesBusyUnmount;
            int answered = parties.Count;
            var scan = await ScanAsync([device], kernelFirst ? HolderScope.MountsElsewhere : HolderScope.Everything, cancellationToken).ConfigureAwait(false);
            parties.AddRange(scan.Holders);
            // A failure names every holder, as it did before the kernel was asked first: the full scan replaces the partial one.
            async Task ScanEverything()
            {
                scan = await ScanAsync([device], HolderScope.Everything, cancellationToken).ConfigureAwait(false);
                parties.RemoveRange(answered, parties.Count - answered);
                parties.AddRange(scan.Holders);
            }
            if (!options.Force && Vetoed(parties) is { } veto)
            {
                if (kernelFirst)
                    await ScanEverything().ConfigureAwait(false);
                return round.Fail(Failed(RemovalOperation.Dismount, device, parties, scan, RemovalFailure.Vetoed, veto));
            }
            var refusal = await Task.Run(() => _actuator.Unmount(device, options.Force), CancellationToken.None).ConfigureAwait(false);
            if (kernelFirst && refusal is { Busy: true })
            {
                await ScanEverything().ConfigureAwait(false);
                if (Vetoed(parties) is { } holder)
                    return round.Fail(Failed(RemovalOperation.Dismount, device, parties, scan, RemovalFailure.Vetoed, holder));
                // The holder left between the kernel's answer and the scan: ask the kernel once more.
                refusal = await Task.Run(() => _actuator.Unmount(device, force: false), CancellationToken.None).ConfigureAwait(false);
            }
            if (refusal is { } refused)
            {
                parties.Add(refused.Party);
                return round.Fail(Failed(RemovalOperation.Dismount, device, parties, scan, refused.Failure, refused.Party));
            }
            // Unmounted here; if the device is still claimed, its filesystem lives on elsewhere (another namespace).
            if (_actuator.InUse(device) is { } stillInUse)
                scan.Warnings.Add(stillInUse);
            return round.Succeed(Succeeded(RemovalOperation.Dismount, device, parties, scan, options));
        }
        finally
        {
            round.EndUnfinished();
        }
    }

    /// <summary>
    /// Negotiates an exclusive lock on the volume behind <paramref name="path"/> (an O_EXCL open: nobody can mount
    /// or claim it while held). Check <see cref="VolumeLock.IsHeld"/>; dispose the lock to release it.
    /// </summary>
    /// <exception cref="ArgumentException">Bad options or path (thrown before anyone is asked).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; everyone asked was told VolumeLockFailed first.</exception>
    public async Task<VolumeLock> LockAsync(string path, RemovalOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RemovalOptions();
        options.Validate();
        var device = Resolve(path);
        if (_watcher.BrokerLink is { } broker   // [broker] the broker holds the lock for us
            && await broker.TryLockAsync(device, path, options, cancellationToken).ConfigureAwait(false) is { } remote)
            return remote;
        cancellationToken.ThrowIfCancellationRequested();
        var round = new NegotiationRound(NotificationAction.CustomEvent, VolumeEvents.VolumeLockFailed, _watcher.Metrics.StartNegotiation(RemovalOperation.Lock));
        try
        {
            var asked = PartiesBoundTo(d => d.DevPath == device.DevPath);
            var parties = await round.AskAsync(asked, p => Question(RemovalOperation.Lock,
                NotificationAction.CustomEvent, VolumeEvents.VolumeLock, p.Device ?? device, null, options), options.Deadline, cancellationToken).ConfigureAwait(false);
            var mounts = _actuator.ReadMounts();
            var scan = await ScanAsync([device], cancellationToken).ConfigureAwait(false);
            parties.AddRange(scan.Holders);
            // A mounted volume cannot be held exclusively: each mount is a holder, named.
            parties.AddRange(MountsOf(device, mounts).Select(m => MountHolder(device, m)));
            if (!options.Force && Vetoed(parties) is { } veto)
                return new VolumeLock(round.Fail(Failed(RemovalOperation.Lock, device, parties, scan, RemovalFailure.Vetoed, veto)), null, null);
            if (_actuator.Lock(device, out var handle) is { } refusal)
            {
                parties.Add(refusal.Party);
                return new VolumeLock(round.Fail(Failed(RemovalOperation.Lock, device, parties, scan, refusal.Failure, refusal.Party)), null, null);
            }
            // Released later, maybe after the watcher is gone: tell the parties that were asked and are still there.
            return new VolumeLock(round.Succeed(Succeeded(RemovalOperation.Lock, device, parties, scan, options)), handle,
                () => NegotiationRound.Tell(asked, p => p.Device is { } d ? Notice(RemovalOperation.Lock, NotificationAction.CustomEvent, VolumeEvents.VolumeUnlock, d) : null));
        }
        finally
        {
            round.EndUnfinished();
        }
    }

    /// <summary>
    /// Negotiates and performs the removal of the device behind <paramref name="path"/> (a partition means its
    /// disk): QueryRemove to the disk's and partitions' parties, unmount of their volumes, RemovePending, then the
    /// removal itself (loop devices: detach and delete; SCSI: delete). RemoveComplete follows from the kernel.
    /// </summary>
    /// <exception cref="ArgumentException">Bad options or path (thrown before anyone is asked).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; everyone asked was told QueryRemoveFailed first.</exception>
    public async Task<RemovalResult> EjectAsync(string path, RemovalOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RemovalOptions();
        options.Validate();
        var device = Resolve(path);
        if (_watcher.BrokerLink is { } broker   // [broker]
            && await broker.TryRemoveAsync(RemovalOperation.Eject, device, path, options, cancellationToken).ConfigureAwait(false) is { } remote)
            return remote;
        var dispatcher = Dispatcher;
        var disk = device.DevType == "partition" ? dispatcher.Find(device.DevPath[..device.DevPath.LastIndexOf('/')]) ?? device : device;
        var family = dispatcher.ChildrenOf(disk).Where(d => d.Subsystem == "block").Prepend(disk).ToList();
        bool Bound(Device d) => d.DevPath == disk.DevPath || d.DevPath.StartsWith(disk.DevPath + "/", StringComparison.Ordinal);

        cancellationToken.ThrowIfCancellationRequested();
        var round = new NegotiationRound(NotificationAction.QueryRemoveFailed, null, _watcher.Metrics.StartNegotiation(RemovalOperation.Eject));
        try
        {
            var asked = PartiesBoundTo(Bound);
            var parties = await round.AskAsync(asked, p => Question(RemovalOperation.Eject,
                NotificationAction.QueryRemove, null, p.Device ?? disk, null, options), options.Deadline, cancellationToken).ConfigureAwait(false);
            var scan = await ScanAsync(family, cancellationToken).ConfigureAwait(false);
            parties.AddRange(scan.Holders);
            if (!options.Force && Vetoed(parties) is { } veto)
                return round.Fail(Failed(RemovalOperation.Eject, disk, parties, scan, RemovalFailure.Vetoed, veto));

            foreach (var volume in family)
            {
                var mine = MountsOf(volume, _actuator.ReadMounts());
                if (mine.Count == 0)
                    continue;
                NegotiationRound.Tell(asked, p => p.Device?.DevPath == volume.DevPath
                    ? Notice(RemovalOperation.Eject, NotificationAction.CustomEvent, VolumeEvents.VolumeDismount, volume) with { MountPoint = mine[0] }
                    : null);
                if (await Task.Run(() => _actuator.Unmount(volume, options.Force), CancellationToken.None).ConfigureAwait(false) is { } refusal)
                {
                    parties.Add(refusal.Party);
                    return round.Fail(Failed(RemovalOperation.Eject, disk, parties, scan, refusal.Failure, refusal.Party));
                }
            }
            // The kernel's word before a device is deleted: nothing may still claim it (a mount in another namespace,
            // swap, a stacked device, a lazily detached filesystem). Force overrides this only where the kernel
            // itself defers the removal until the last user leaves (loop devices); deleting a SCSI disk under a live
            // filesystem would lose its data.
            foreach (var member in family)
            {
                if (_actuator.InUse(member) is { } busy && !(options.Force && _actuator.DefersRemovalWhileInUse(disk)))
                {
                    var refusal = new Refusal(RemovalFailure.KernelRefused, KernelParty.Refused(16, busy), Busy: true);
                    parties.Add(refusal.Party);
                    return round.Fail(Failed(RemovalOperation.Eject, disk, parties, scan, refusal.Failure, refusal.Party));
                }
            }
            NegotiationRound.Tell(asked, p => Notice(RemovalOperation.Eject, NotificationAction.RemovePending, null, p.Device ?? disk));
            if (await Task.Run(() => _actuator.Remove(disk), CancellationToken.None).ConfigureAwait(false) is { } failure)
            {
                parties.Add(failure.Party);
                return round.Fail(Failed(RemovalOperation.Eject, disk, parties, scan, failure.Failure, failure.Party));
            }
            return round.Succeed(Succeeded(RemovalOperation.Eject, disk, parties, scan, options));
        }
        finally
        {
            round.EndUnfinished();
        }
    }

    /// <summary>The holder scan, off the caller's thread (it reads all of /proc).</summary>
    private Task<HolderScan> ScanAsync(IReadOnlyCollection<Device> targets, CancellationToken cancellationToken)
        => ScanAsync(targets, HolderScope.Everything, cancellationToken);

    private Task<HolderScan> ScanAsync(IReadOnlyCollection<Device> targets, HolderScope scope, CancellationToken cancellationToken)
        => Task.Run(() => _holderFinder.Find(targets, _actuator.ReadMounts(), scope, cancellationToken), cancellationToken);

    private List<RemovalParty> PartiesBoundTo(Func<Device, bool> bound)
    {
        var parties = new List<RemovalParty>(Dispatcher.PartiesBoundTo(bound));
        lock (_external)
            parties.AddRange(_external.Where(p => p.Device is { } d && bound(d)));
        return parties;
    }

    private static List<MountPoint> MountsOf(Device device, IReadOnlyList<MountPoint> mounts)
        => device.Major is int major && device.Minor is int minor
            ? mounts.Where(m => m.Major == major && m.Minor == minor).OrderByDescending(m => m.MountId).ToList()
            : [];

    private static RemovalMessage Question(RemovalOperation operation, NotificationAction action, Guid? eventGuid, Device device, MountPoint? mount, RemovalOptions options)
        => new()
        {
            Operation = operation,
            Action = action,
            EventGuid = eventGuid,
            Device = device,
            MountPoint = mount,
            Deadline = DateTimeOffset.UtcNow + options.Deadline,
        };

    private static RemovalMessage Notice(RemovalOperation operation, NotificationAction action, Guid? eventGuid, Device device)
        => new() { Operation = operation, Action = action, EventGuid = eventGuid, Device = device };

    private static PartyResponse? Vetoed(List<PartyResponse> parties) => parties.FirstOrDefault(p => p.Veto != VetoType.None);

    private static PartyResponse MountHolder(Device device, MountPoint m) => KernelParty.Holder("kernel", HolderKind.Mount, $"{device.DevNode} is mounted at {m.Path}");

    private static RemovalResult Failed(RemovalOperation operation, Device device, List<PartyResponse> parties, HolderScan scan, RemovalFailure failure, PartyResponse cause)
        => new()
        {
            Operation = operation,
            Device = device,
            Parties = parties,
            Warnings = scan.Warnings,
            Failure = failure,
            Error = failure == RemovalFailure.Vetoed
                ? $"vetoed by {cause.Name} (pid {cause.ProcessId}): {cause.Veto}{(cause.Reason is null ? "" : " - " + cause.Reason)}"
                : cause.Reason ?? failure.ToString(),
        };

    private static RemovalResult Succeeded(RemovalOperation operation, Device device, List<PartyResponse> parties, HolderScan scan, RemovalOptions options)
        => new()
        {
            Operation = operation,
            Device = device,
            Succeeded = true,
            Parties = parties,
            Warnings = scan.Warnings,
            Forced = options.Force && parties.Any(p => p.Veto != VetoType.None),
        };

    private sealed class PartyRemoval(RemovalCoordinator coordinator, RemovalParty party) : IDisposable
    {
        public void Dispose()
        {
            lock (coordinator._external)
                coordinator._external.Remove(party);
        }
    }
}
