using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace DeviceNotify.Dispatch;

// Implementation notes:
// - One device table (devpath → latest Device) is the watcher's picture of the system. It starts from the
//   source's listing and is kept current by every event. A new registration takes its "existing" arrivals from the
//   table under the same lock that routes events, so it gets each present device exactly once and then exactly the
//   events after it (guarantee 1), whatever the kernel is doing.
// - Reconciliation: events with a sequence number not above the one read after the walk may already be in the
//   table. An "add" of a device the table holds, or a "remove" of one it does not, is then a duplicate of the walk
//   and is dropped for everyone (counted). A remove is never assumed stale when the device is still in the table:
//   the kernel sends "remove" before it deletes the sysfs directory, so the walk can still see it.
// - Overflow: the table is compared with a fresh listing, and the differences are routed as synthesized
//   (Resynchronization) events, after an Overflow notice to every registration (guarantee 4).
// - No I/O under the lock. _lock guards the table, the index, the mount table and the probe results; under it,
//   routing only decides and queues (class membership reads Device.Attributes, which the source filled in). The
//   I/O that routing needs happens outside: the overflow walk and "does it still exist" checks before the lock is
//   taken (the table has one writer, the source's delivering thread, so it may read the table without the lock);
//   volume probes after it is released, on probe threads (VolumeProbes); the first probe of a handle registration
//   on the registering thread, between two short lock sections.
// - Lock order: a registration's callback gate → _lock. User code never runs under _lock; Error events are raised
//   on the thread pool.
// - Index: registrations are listed under the subsystems (or exact subsystem/sysname pairs) their filter can match;
//   an event is offered only to those and to the few whose filter may match anything, so dispatch cost does not
//   grow with registrations for other subsystems or other exact names.
// - End: when the watcher is disposed or the source fails, EndAll gives every registration its Ended notice; after
//   it, Register throws.
internal sealed class Dispatcher : IDeviceSourceSink
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Device> _table = new(StringComparer.Ordinal);
    // Keys are "subsystem" or "subsystem/sysname" (DeviceFilter.IndexKeys).
    private readonly Dictionary<string, List<DeviceRegistration>> _byKey = new(StringComparer.Ordinal);
    private readonly List<DeviceRegistration> _anySubsystem = [];
    private readonly List<DeviceRegistration> _handles = [];
    private readonly HashSet<DeviceRegistration> _registrations = [];
    // Inline registrations (copy on write): drained by the routing thread after the lock is released.
    private DeviceRegistration[] _inline = [];
    private readonly Dictionary<string, VolumeProbeResult> _volumes = new(StringComparer.Ordinal);
    private readonly DeviceSource _source;
    private readonly ILogger _logger;
    private readonly Action<Exception, DeviceRegistration?> _reportError;
    private readonly VolumeProbes _probes;
    private EndInfo? _end;
    private int _nameKeys;
    private IReadOnlyList<MountPoint> _mounts = [];
    private ulong _reconcileUpTo;
    private long _reconciled;
    private long _resyncs;
    private long _callbackErrors;
    private long _queueOverflows;
    private long _retiredDelivered;
    private long _dropped;

    /// <summary>How long a handle registration waits for the volume's first label probe.</summary>
    internal static readonly TimeSpan FirstProbeWait = TimeSpan.FromSeconds(1);

    internal Dispatcher(DeviceSource source, ILogger logger, Action<Exception, DeviceRegistration?> reportError)
    {
        _source = source;
        _logger = logger;
        _reportError = reportError;
        _probes = new VolumeProbes(source.ProbeVolume, OnVolumeProbed);
    }

    internal long Reconciled => Interlocked.Read(ref _reconciled);
    internal long Resynchronizations => Interlocked.Read(ref _resyncs);
    internal long CallbackErrors => Interlocked.Read(ref _callbackErrors);
    internal long QueueOverflows => Interlocked.Read(ref _queueOverflows);
    internal long NotificationsDropped => Interlocked.Read(ref _dropped);

    /// <summary>Notifications consumers took from their queues: the live registrations' counts and those of the ones gone (for the metrics).</summary>
    internal long NotificationsDelivered
    {
        get
        {
            lock (_lock)
                return _retiredDelivered + _registrations.Sum(r => r.Delivered);
        }
    }

    /// <summary>Under the lock: a registration could not queue a notification (for the metrics).</summary>
    internal void CountDropped() => _dropped++;

    /// <summary>The live registrations now (for the metrics).</summary>
    internal DeviceRegistration[] LiveRegistrations()
    {
        lock (_lock)
            return [.. _registrations];
    }

    internal int RegistrationCount
    {
        get
        {
            lock (_lock)
                return _registrations.Count;
        }
    }

    /// <summary>Why the dispatcher ended (null while running).</summary>
    internal EndInfo? End
    {
        get
        {
            lock (_lock)
                return _end;
        }
    }

    /// <summary>Probes running now.</summary>
    internal int RunningProbes => _probes.Running;

    internal void Initialize(DeviceSnapshot snapshot)
    {
        lock (_lock)
        {
            foreach (var d in snapshot.Devices)
                _table[d.DevPath] = d;
            _reconcileUpTo = snapshot.SequenceNumber;
            _mounts = snapshot.Mounts;
        }
    }

    internal void Register(DeviceRegistration registration)
    {
        if (registration.Filter.Kind == DeviceFilterKind.Handle)
        {
            RegisterHandle(registration);
            return;
        }
        lock (_lock)
        {
            ThrowIfEnded();
            Index(registration);
            registration.Seed(_table.Values, Stopwatch.GetTimestamp());
        }
        DeliverInline();
    }

    /// <summary>
    /// Binds a handle registration: find its device, learn the volume's label (probing on this thread, outside the
    /// lock, when nobody has yet), then bind and index it atomically with routing.
    /// </summary>
    private void RegisterHandle(DeviceRegistration registration)
    {
        var id = registration.Filter.Handle!.Value;
        Device target;
        bool known;
        lock (_lock)
        {
            ThrowIfEnded();
            target = FindBound(id);
            known = _volumes.ContainsKey(target.DevPath);
        }
        // The label now is the baseline for VolumeChange: wait (on this thread, outside the lock) for a probe, but not
        // for a device that does not answer — then the registration starts without a label and learns it later.
        if (id.IsBlock && !known && target.Attributes.SizeSectors is not 0)
            _probes.Request(target).Wait(FirstProbeWait);
        lock (_lock)
        {
            ThrowIfEnded();
            target = FindBound(id);
            bool labelKnown = _volumes.TryGetValue(target.DevPath, out var volume);
            registration.BindHandle(target, _mounts, labelKnown ? volume.Label : null, labelKnown || !id.IsBlock);
            Index(registration);
            _handles.Add(registration);
        }
        DeliverInline();
        if (id.IsBlock)
            _source.WatchVolume(target);
    }

    private Device FindBound(HandleIdentity id)
    {
        foreach (var d in _table.Values)
        {
            if (id.Matches(d))
                return d;
        }
        throw new ArgumentException($"No device with number {id} is known (a file on tmpfs, proc or another device-less filesystem has none to watch).", "handle");
    }

    private void Index(DeviceRegistration registration)
    {
        var keys = registration.Filter.IndexKeys;
        if (keys is null)
        {
            _anySubsystem.Add(registration);
        }
        else
        {
            foreach (var k in keys)
            {
                if (!_byKey.TryGetValue(k, out var list))
                {
                    _byKey[k] = list = [];
                    if (k.Contains('/', StringComparison.Ordinal))
                        _nameKeys++;
                }
                list.Add(registration);
            }
        }
        _registrations.Add(registration);
        if (registration.IsInline)
            _inline = [.. _inline, registration];
    }

    internal void Unregister(DeviceRegistration registration)
    {
        lock (_lock)
        {
            if (!_registrations.Remove(registration))
                return;
            _retiredDelivered += registration.Delivered;
            _handles.Remove(registration);
            if (registration.IsInline)
                _inline = _inline.Where(r => r != registration).ToArray();
            var keys = registration.Filter.IndexKeys;
            if (keys is null)
            {
                _anySubsystem.Remove(registration);
                return;
            }
            foreach (var k in keys)
            {
                if (_byKey.TryGetValue(k, out var list) && list.Remove(registration) && list.Count == 0)
                {
                    _byKey.Remove(k);
                    if (k.Contains('/', StringComparison.Ordinal))
                        _nameKeys--;
                }
            }
        }
    }

    /// <summary>
    /// Gives every registration its Ended notice and refuses new ones; returns the delivery loops of the registrations
    /// it ended (to wait for). Idempotent.
    /// </summary>
    internal List<Task> EndAll(EndInfo info)
    {
        _probes.Stop();
        long timestamp = Stopwatch.GetTimestamp();
        DeviceRegistration[] inline;
        var pumps = new List<Task>();
        lock (_lock)
        {
            if (_end is not null)
                return pumps;
            _end = info;
            foreach (var r in _registrations)
            {
                r.End(info, timestamp);
                if (r.Pump is { } pump)
                    pumps.Add(pump);
                _retiredDelivered += r.Delivered;
            }
            _registrations.Clear();
            _anySubsystem.Clear();
            _handles.Clear();
            _byKey.Clear();
            _nameKeys = 0;
            inline = _inline;
            _inline = [];
        }
        foreach (var r in inline)
            r.DrainInline();
        return pumps;
    }

    /// <summary>After a lock section that may have queued: inline registrations deliver on this thread, in order.</summary>
    private void DeliverInline()
    {
        foreach (var r in Volatile.Read(ref _inline))
            r.DrainInline();
    }

    private void ThrowIfEnded()
    {
        if (_end is null)
            return;
        if (_end.Reason == EndReason.SourceFailed)
            throw new DeviceNotifyException($"The watcher's device source failed ({_end.Error?.Message}); create a new watcher.", _end.Error!);
        throw new ObjectDisposedException(nameof(DeviceWatcher));
    }

    internal List<Device> Snapshot(Func<Device, bool>? predicate = null)
    {
        lock (_lock)
        {
            var list = new List<Device>(_table.Count);
            foreach (var d in _table.Values)
            {
                if (predicate is null || predicate(d))
                    list.Add(d);
            }
            list.Sort(static (a, b) => string.CompareOrdinal(a.DevPath, b.DevPath));
            return list;
        }
    }

    /// <summary>A registration whose queue overflowed has caught up: bring its view back to the table.</summary>
    internal void ResynchronizeRegistration(DeviceRegistration registration)
    {
        long total, dropped;
        lock (_lock)
        {
            if (!registration.NeedsResync)
                return;
            total = Interlocked.Increment(ref _queueOverflows);
            dropped = registration.DroppedSinceResync;
            registration.Resynchronize(_table, _mounts, Stopwatch.GetTimestamp());
        }
        // User code (the logger) never runs under the lock.
        _logger.LogWarning("Registration {Name} fell behind and dropped {Dropped} notifications; resynchronising (queue overflow #{Total}).",
            registration.DisplayName, dropped, total);
    }

    internal void ReportCallbackError(Exception exception, DeviceRegistration registration)
    {
        Interlocked.Increment(ref _callbackErrors);
        _logger.LogError(exception, "A callback of registration {Name} threw; the registration goes on.", registration.DisplayName);
        _reportError(exception, registration);
    }

    public void OnEvents(ReadOnlySpan<Device?> events, long timestamp)
    {
        List<Device>? probes = null;
        lock (_lock)
        {
            foreach (var device in events)
            {
                if (device is not null)
                    Route(device.Action, device, NotificationOrigin.Kernel, timestamp, ref probes);
            }
        }
        DeliverInline();
        RequestProbes(probes);
    }

    public void OnOverflow()
    {
        long total = Interlocked.Read(ref _source.Counters.Overflows);
        _logger.LogWarning("The kernel dropped uevents (ENOBUFS, overflow #{Total}); resynchronising against sysfs.", total);
        // The I/O first, without the lock: the caller is the table's only writer, so reading it here is safe.
        var snapshot = _source.Enumerate();
        var fresh = new Dictionary<string, Device>(snapshot.Devices.Count, StringComparer.Ordinal);
        foreach (var d in snapshot.Devices)
            fresh[d.DevPath] = d;
        var gone = new List<Device>();
        foreach (var (path, known) in _table)
        {
            if (!fresh.ContainsKey(path) && !_source.StillExists(known))
                gone.Add(known);
        }
        gone.Sort(static (a, b) => string.CompareOrdinal(b.DevPath, a.DevPath));   // children before parents

        long timestamp = Stopwatch.GetTimestamp();
        List<Device>? probes = null;
        lock (_lock)
        {
            foreach (var r in _registrations)
                r.NotifyKernelOverflow(total, timestamp);
            foreach (var known in gone)
                Route(DeviceAction.Remove, known.WithAction(DeviceAction.Remove, 0), NotificationOrigin.Resynchronization, timestamp, ref probes);
            foreach (var d in snapshot.Devices.OrderBy(d => d.DevPath, StringComparer.Ordinal))
            {
                if (!_table.TryGetValue(d.DevPath, out var known))
                    Route(DeviceAction.Add, d, NotificationOrigin.Resynchronization, timestamp, ref probes);
                else if (!known.HasSameStateAs(d))
                    Route(DeviceAction.Change, d, NotificationOrigin.Resynchronization, timestamp, ref probes);
            }
            _reconcileUpTo = snapshot.SequenceNumber;
            Interlocked.Increment(ref _resyncs);
            // Labels may have changed while events were lost: look again at every volume someone holds.
            foreach (var r in _handles)
            {
                if (r.Filter.Handle!.Value.IsBlock && r.BoundDevice is { } bound)
                    (probes ??= []).Add(bound);
            }
        }
        DeliverInline();
        RequestProbes(probes);
    }

    public void OnMountTable(IReadOnlyList<MountPoint> mounts)
    {
        long timestamp = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            _mounts = mounts;
            foreach (var r in _handles)
                r.OnMounts(mounts, NotificationOrigin.Kernel, timestamp);
        }
        DeliverInline();
    }

    /// <summary>A device node was closed after writing (inotify): its volume may have a new label.</summary>
    public void OnVolumeWritten(string devNode)
    {
        List<Device>? probes = null;
        lock (_lock)
        {
            foreach (var r in _handles)
            {
                if (r.BoundDevice is { } d && d.DevNode == devNode && NeedsProbe(d))
                {
                    (probes ??= []).Add(d);
                    break;
                }
            }
        }
        RequestProbes(probes);
    }

    public void OnFailed(Exception exception)
    {
        _logger.LogError(exception, "The device source failed; every registration ends.");
        EndAll(new EndInfo(EndReason.SourceFailed, exception));
        _reportError(exception, null);
    }

    /// <summary>A probe finished (on a probe thread): remember the result and let the registrations on it compare labels.</summary>
    private void OnVolumeProbed(Device probed, VolumeProbeResult result)
    {
        long timestamp = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            if (_end is not null || result.Error is not null)
                return;
            // The device may have lost its media or gone meanwhile: then there is no label to report.
            if (!_table.TryGetValue(probed.DevPath, out var current) || current.Attributes.SizeSectors is 0)
                return;
            _volumes[probed.DevPath] = result;
            foreach (var r in _handles)
                r.OnVolumeProbed(current, result, NotificationOrigin.Kernel, timestamp);
        }
        DeliverInline();
    }

    private void RequestProbes(List<Device>? devices)
    {
        if (devices is null)
            return;
        foreach (var d in devices)
            _probes.Request(d);
    }

    /// <summary>Under the lock: a block device with media that some handle registration is bound to.</summary>
    private bool NeedsProbe(Device device)
    {
        if (device.Attributes.SizeSectors is 0)
            return false;
        foreach (var r in _handles)
        {
            if (r.Filter.Handle!.Value.IsBlock && r.BoundDevice?.DevPath == device.DevPath)
                return true;
        }
        return false;
    }

    /// <summary>The device with this number (block or not), from the table; null when none.</summary>
    internal Device? FindByNumber(int major, int minor, bool block)
    {
        lock (_lock)
            return _table.Values.FirstOrDefault(d => d.Major == major && d.Minor == minor && (d.Subsystem == "block") == block);
    }

    internal Device? Find(string devPath)
    {
        lock (_lock)
            return _table.GetValueOrDefault(devPath);
    }

    internal List<Device> ChildrenOf(Device parent)
    {
        lock (_lock)
            return _table.Values.Where(d => d.DevPath.StartsWith(parent.DevPath + "/", StringComparison.Ordinal)).ToList();
    }

    internal IReadOnlyList<MountPoint> Mounts
    {
        get
        {
            lock (_lock)
                return _mounts;
        }
    }

    /// <summary>The removal parties of this process: live handle registrations bound to a device <paramref name="bound"/> accepts.</summary>
    internal List<Negotiation.LocalParty> PartiesBoundTo(Func<Device, bool> bound)
    {
        var parties = new List<Negotiation.LocalParty>();
        lock (_lock)
        {
            foreach (var r in _handles)
            {
                if (r.Party is { } party && r.BoundDevice is { } d && bound(d))
                    parties.Add(party);
            }
        }
        return parties;
    }

    public IReadOnlyList<RemovalParty> PartiesOf(Device device) => PartiesBoundTo(d => d.DevPath == device.DevPath);

    /// <summary>The coordinator speaks to one registration (a question or a notice). False when it is no longer live.</summary>
    internal bool Announce(DeviceRegistration registration, DeviceNotification notification)
    {
        bool queued;
        lock (_lock)
            queued = registration.Announce(notification);
        DeliverInline();
        return queued;
    }

    private void Route(DeviceAction action, Device device, NotificationOrigin origin, long timestamp, ref List<Device>? probes)
    {
        bool inWindow = origin == NotificationOrigin.Kernel && device.SequenceNumber <= _reconcileUpTo;
        Device? movedFrom = null;
        if (!device.IsListed)
        {
            // No listing can show it, so the table does not keep it and it cannot repeat the walk: pass it through.
            RouteToRegistrations(action, device, null, origin, timestamp);
            return;
        }
        _table.TryGetValue(device.DevPath, out var previous);
        switch (action)
        {
            case DeviceAction.Remove:
                if (previous is null)
                {
                    if (inWindow)
                    {
                        _reconciled++;
                        return;
                    }
                }
                else
                {
                    _table.Remove(device.DevPath);
                    if (_volumes.Remove(device.DevPath) || device.Subsystem == "block")
                        _probes.Forget(device.DevPath);   // a probe in flight describes the device that just went
                }
                break;
            case DeviceAction.Add:
                _table[device.DevPath] = device;
                if (previous is not null && inWindow)
                {
                    _reconciled++;
                    return;
                }
                break;
            case DeviceAction.Move:
                if (device.GetProperty("DEVPATH_OLD") is { } old && _table.Remove(old, out var oldDevice))
                    movedFrom = oldDevice;
                else if (previous is not null && inWindow)
                {
                    _table[device.DevPath] = device;
                    _reconciled++;
                    return;
                }
                _table[device.DevPath] = device;
                break;
            default:
                _table[device.DevPath] = device;
                // A change may mean new contents (a relabel, new media): probe volumes someone holds, after the lock.
                if (action == DeviceAction.Change && _handles.Count > 0 && NeedsProbe(device))
                    (probes ??= []).Add(device);
                break;
        }

        RouteToRegistrations(action, device, movedFrom, origin, timestamp);
    }

    private void RouteToRegistrations(DeviceAction action, Device device, Device? movedFrom, NotificationOrigin origin, long timestamp)
    {
        if (_byKey.TryGetValue(device.Subsystem, out var list))
        {
            foreach (var r in list)
                r.Route(action, device, movedFrom, origin, timestamp);
        }
        List<DeviceRegistration>? named = null;
        if (_nameKeys > 0 && _byKey.TryGetValue(DeviceFilter.NameKey(device.Subsystem, device.SysName), out named))
        {
            foreach (var r in named)
                r.Route(action, device, movedFrom, origin, timestamp);
        }
        if (_nameKeys > 0 && movedFrom is not null && movedFrom.SysName != device.SysName
            && _byKey.TryGetValue(DeviceFilter.NameKey(movedFrom.Subsystem, movedFrom.SysName), out var renamed))
        {
            // Registrations that know the device only by its old name still owe their consumer a removal.
            foreach (var r in renamed)
            {
                if (named is null || !named.Contains(r))
                    r.Route(action, device, movedFrom, origin, timestamp);
            }
        }
        foreach (var r in _anySubsystem)
            r.Route(action, device, movedFrom, origin, timestamp);
    }
}
