using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace DeviceNotify.Dispatch;

// Implementation notes:
// - One device table (devpath → latest Device) is the watcher's picture of the system. It starts from the
//   source's enumeration and is kept current by every event. A new registration takes its "existing"
//   arrivals from the table under the same lock that routes events, so it gets each present device exactly
//   once and then exactly the events after it (guarantee 1), whatever the kernel is doing.
// - Reconciliation: events with a sequence number not above the one read after the walk may already be in
//   the table. An "add" of a device the table holds, or a "remove" of one it does not, is then a duplicate of
//   the walk and is dropped for everyone (counted). A remove is never assumed stale when the device is still in
//   the table: the kernel sends "remove" before it deletes the sysfs directory, so the walk can still see it.
// - Overflow: the table is compared with a fresh walk, and the differences are routed as synthesized
//   (Resynchronization) events, after an Overflow notice to every registration (guarantee 4).
// - Lock: _lock guards the table and the registration index. Routing under it only queues notifications;
//   user code never runs under it, so a callback may register or dispose freely.
// - Index: registrations are listed under the subsystems (or exact subsystem/sysname pairs) their filter can
//   match; an event is offered only to those and to the few whose filter may match anything, so dispatch cost
//   does not grow with registrations for other subsystems or other exact names. Registrations on the same
//   subsystem with patterns or property criteria are tested one by one.
internal sealed class Dispatcher : IDeviceSourceSink
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Device> _table = new(StringComparer.Ordinal);
    // Keys are "subsystem" or "subsystem/sysname" (DeviceFilter.IndexKeys).
    private readonly Dictionary<string, List<DeviceRegistration>> _byKey = new(StringComparer.Ordinal);
    private readonly List<DeviceRegistration> _anySubsystem = [];
    private readonly DeviceSource _source;
    private readonly ILogger _logger;
    private readonly Action<Exception, DeviceRegistration?> _reportError;
    private int _nameKeys;
    private IReadOnlyList<MountPoint> _mounts = [];
    private ulong _reconcileUpTo;
    private long _reconciled;
    private long _resyncs;
    private long _callbackErrors;
    private long _queueOverflows;
    private int _registrationCount;

    internal Dispatcher(DeviceSource source, ILogger logger, Action<Exception, DeviceRegistration?> reportError)
    {
        _source = source;
        _logger = logger;
        _reportError = reportError;
    }

    internal long Reconciled => Interlocked.Read(ref _reconciled);
    internal long Resynchronizations => Interlocked.Read(ref _resyncs);
    internal long CallbackErrors => Interlocked.Read(ref _callbackErrors);
    internal long QueueOverflows => Interlocked.Read(ref _queueOverflows);
    internal int RegistrationCount => Volatile.Read(ref _registrationCount);

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
        lock (_lock)
        {
            if (registration.Filter.Kind == DeviceFilterKind.Handle)
            {
                registration.BindHandle(_table.Values, _mounts);
                if (registration.BoundDevice?.DevNode is { } node && registration.Filter.Handle!.Value.IsBlock)
                    _source.WatchDeviceNode(node);
            }
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
            _registrationCount++;
            registration.Seed(_table.Values, Stopwatch.GetTimestamp());
        }
    }

    internal void Unregister(DeviceRegistration registration)
    {
        lock (_lock)
        {
            var keys = registration.Filter.IndexKeys;
            bool removed = false;
            if (keys is null)
            {
                removed = _anySubsystem.Remove(registration);
            }
            else
            {
                foreach (var k in keys)
                {
                    if (_byKey.TryGetValue(k, out var list) && list.Remove(registration))
                    {
                        removed = true;
                        if (list.Count == 0)
                        {
                            _byKey.Remove(k);
                            if (k.Contains('/', StringComparison.Ordinal))
                                _nameKeys--;
                        }
                    }
                }
            }
            if (removed)
                _registrationCount--;
        }
    }

    internal List<Device> Snapshot(Func<Device, bool>? predicate = null)
    {
        lock (_lock)
        {
            var list = predicate is null ? SortedTable() : SortedTable().Where(predicate).ToList();
            return list;
        }
    }

    /// <summary>A registration whose queue overflowed has caught up: bring its view back to the table.</summary>
    internal void ResynchronizeRegistration(DeviceRegistration registration)
    {
        lock (_lock)
        {
            if (!registration.NeedsResync)
                return;
            long total = Interlocked.Increment(ref _queueOverflows);
            _logger.LogWarning("Registration {Name} fell behind and dropped {Dropped} notifications; resynchronising (queue overflow #{Total}).",
                registration.Name ?? registration.Filter.ToString(), registration.DroppedSinceResync, total);
            registration.Resynchronize(_table, _mounts, Stopwatch.GetTimestamp());
        }
    }

    internal void ReportCallbackError(Exception exception, DeviceRegistration registration)
    {
        Interlocked.Increment(ref _callbackErrors);
        _logger.LogError(exception, "A callback of registration {Name} threw; the registration goes on.", registration.Name ?? registration.Filter.ToString());
        _reportError(exception, registration);
    }

    public void OnEvents(ReadOnlySpan<Device?> events, long timestamp)
    {
        lock (_lock)
        {
            foreach (var device in events)
            {
                if (device is not null)
                    Route(device.Action, device, NotificationOrigin.Kernel, timestamp);
            }
        }
    }

    public void OnOverflow()
    {
        long total = Interlocked.Read(ref _source.Counters.Overflows);
        _logger.LogWarning("The kernel dropped uevents (ENOBUFS, overflow #{Total}); resynchronising against sysfs.", total);
        // Walk outside the lock: the caller is the source's only delivering thread, so no event is routed meanwhile.
        var snapshot = _source.Enumerate();
        long timestamp = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            ForEachRegistration(r => r.NotifyKernelOverflow(total, timestamp));
            var fresh = new Dictionary<string, Device>(snapshot.Devices.Count, StringComparer.Ordinal);
            foreach (var d in snapshot.Devices)
                fresh[d.DevPath] = d;

            foreach (var (path, known) in _table.OrderByDescending(p => p.Key, StringComparer.Ordinal).ToList())
            {
                if (!fresh.ContainsKey(path) && !_source.ExistsOutsideEnumeration(known))
                    Route(DeviceAction.Remove, known.WithAction(DeviceAction.Remove, 0), NotificationOrigin.Resynchronization, timestamp);
            }
            foreach (var d in snapshot.Devices.OrderBy(d => d.DevPath, StringComparer.Ordinal))
            {
                if (!_table.TryGetValue(d.DevPath, out var known))
                    Route(DeviceAction.Add, d, NotificationOrigin.Resynchronization, timestamp);
                else if (!known.HasSamePropertiesAs(d))
                    Route(DeviceAction.Change, d, NotificationOrigin.Resynchronization, timestamp);
            }
            _reconcileUpTo = snapshot.SequenceNumber;
            Interlocked.Increment(ref _resyncs);
        }
    }

    public void OnMountTable(IReadOnlyList<MountPoint> mounts)
    {
        long timestamp = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            _mounts = mounts;
            foreach (var r in _anySubsystem)
            {
                if (r.Filter.Kind == DeviceFilterKind.Handle)
                    r.OnMounts(mounts, NotificationOrigin.Kernel, timestamp);
            }
        }
    }

    /// <summary>A device node was closed after writing (inotify): its volume may have a new label.</summary>
    public void OnDeviceNodeWritten(string devNode)
    {
        long timestamp = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            foreach (var r in _anySubsystem)
            {
                if (r.Filter.Kind == DeviceFilterKind.Handle && r.BoundDevice is { } d && d.DevNode == devNode)
                    r.ReprobeLabel(d, NotificationOrigin.Kernel, timestamp);
            }
        }
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

    /// <summary>
    /// The coordinator speaks: queue <paramref name="make"/>'s notification to every live handle registration bound
    /// to a device <paramref name="bound"/> accepts. Returns those registrations with their notifications.
    /// </summary>
    internal List<(DeviceRegistration Registration, DeviceNotification Notification)> Announce(Func<Device, bool> bound, Func<DeviceRegistration, Device, DeviceNotification> make)
    {
        var sent = new List<(DeviceRegistration, DeviceNotification)>();
        lock (_lock)
        {
            foreach (var r in _anySubsystem)
            {
                if (r.Filter.Kind == DeviceFilterKind.Handle && r.BoundDevice is { } d && bound(d))
                {
                    var n = make(r, d);
                    r.Announce(n);
                    sent.Add((r, n));
                }
            }
        }
        return sent;
    }

    public void OnError(Exception exception)
    {
        _logger.LogError(exception, "The device source failed.");
        _reportError(exception, null);
    }

    private void Route(DeviceAction action, Device device, NotificationOrigin origin, long timestamp)
    {
        bool inWindow = origin == NotificationOrigin.Kernel && device.SequenceNumber <= _reconcileUpTo;
        _table.TryGetValue(device.DevPath, out var previous);
        Device? movedFrom = null;
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
                break;
        }

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

    private void ForEachRegistration(Action<DeviceRegistration> action)
    {
        var all = new HashSet<DeviceRegistration>(_anySubsystem);
        foreach (var list in _byKey.Values)
            all.UnionWith(list);
        foreach (var r in all)
            action(r);
    }

    private List<Device> SortedTable()
    {
        var list = new List<Device>(_table.Values);
        list.Sort(static (a, b) => string.CompareOrdinal(a.DevPath, b.DevPath));
        return list;
    }
}
