using DeviceNotify.Dispatch;

namespace DeviceNotify;

// Implementation notes (what a registration has been told):
// - View: per interface class, the interfaces this registration has been told about (arrived and not yet
//   removed); for a device filter, the devices. The view changes only when a notification is queued, so it is
//   always exactly what the consumer will have seen once the queue drains. Pairing (guarantee 2) follows.
// - Queue capacity: when full, the registration stops queueing (NeedsResync); after its consumer has drained the
//   queue it asks the dispatcher to compare its view with the device table and queue an Overflow notice plus the
//   synthesized differences (guarantee 4).
// - Without IncludeExisting, interfaces present at registration are remembered as "ignored" until they go
//   away, so a later change of such a device never produces an arrival the consumer was not owed.
// - Everything here runs under the dispatcher's lock and is pure: class membership reads Device.Attributes, which
//   the source filled in before routing.
public sealed partial class DeviceRegistration
{
    private Dictionary<string, DeviceInterface>[] _interfaceViews = [];
    private HashSet<string>[] _ignored = [];
    private readonly Dictionary<string, Device> _deviceView = new(StringComparer.Ordinal);
    private volatile bool _needsResync;
    private long _dropped;
    private long _droppedSinceResync;
    private long _queueOverflows;

    internal bool NeedsResync => _needsResync && IsLive;
    internal long DroppedSinceResync => Interlocked.Read(ref _droppedSinceResync);

    private void InitializeViews()
    {
        int classes = Filter.Kind == DeviceFilterKind.Interfaces ? Filter.Classes.Count : 0;
        _interfaceViews = new Dictionary<string, DeviceInterface>[classes];
        _ignored = new HashSet<string>[classes];
        for (int i = 0; i < classes; i++)
        {
            _interfaceViews[i] = new Dictionary<string, DeviceInterface>(StringComparer.Ordinal);
            _ignored[i] = new HashSet<string>(StringComparer.Ordinal);
        }
    }

    /// <summary>Under the dispatcher lock: the initial enumeration, or the set of present interfaces to ignore.</summary>
    internal void Seed(IReadOnlyCollection<Device> table, long timestamp)
    {
        if (_options.IncludeExisting)
        {
            // Sorted by devpath: parents before children, the same order every time.
            foreach (var d in table.OrderBy(d => d.DevPath, StringComparer.Ordinal))
                Route(DeviceAction.Add, d, null, NotificationOrigin.Enumeration, timestamp);
            return;
        }
        for (int i = 0; i < _interfaceViews.Length; i++)
        {
            foreach (var d in table)
            {
                if (Filter.Classes[i].Matches(d))
                    _ignored[i].Add(d.DevPath);
            }
        }
    }

    /// <summary>Under the dispatcher lock: one event (kernel or synthesized).</summary>
    internal void Route(DeviceAction action, Device device, Device? movedFrom, NotificationOrigin origin, long timestamp)
    {
        if (!IsLive)
            return;
        if (_needsResync)
        {
            _dropped++;
            _droppedSinceResync++;
            _dispatcher.CountDropped();
            return;
        }

        if (Filter.Kind == DeviceFilterKind.Handle)
        {
            RouteHandle(action, device, movedFrom, origin, timestamp);
            return;
        }

        if (Filter.Kind == DeviceFilterKind.Devices)
        {
            if (!Filter.MatchesDevice(device))
                return;
            if (!Offer(new DeviceNotification(MapInstanceAction(action), device, null, action, origin, timestamp)))
                return;
            if (!device.IsListed)
                return;   // passed through; like the table, the view keeps only what a listing can show
            if (movedFrom is not null)
                _deviceView.Remove(movedFrom.DevPath);
            if (action == DeviceAction.Remove)
                _deviceView.Remove(device.DevPath);
            else
                _deviceView[device.DevPath] = device;
            return;
        }

        for (int i = 0; i < _interfaceViews.Length; i++)
        {
            if (movedFrom is not null)
                RemoveInterface(i, movedFrom.DevPath, movedFrom, action, origin, timestamp);
            if (action == DeviceAction.Remove)
            {
                RemoveInterface(i, device.DevPath, device, action, origin, timestamp);
                continue;
            }

            var cls = Filter.Classes[i];
            bool matches = cls.Matches(device);
            if (_ignored[i].Contains(device.DevPath))
            {
                if (!matches)
                    _ignored[i].Remove(device.DevPath);
                continue;
            }
            var view = _interfaceViews[i];
            bool known = view.TryGetValue(device.DevPath, out var existing);
            if (matches && !known)
            {
                var iface = new DeviceInterface(cls, device);
                if (Offer(new DeviceNotification(NotificationAction.InterfaceArrival, device, iface, action, origin, timestamp)))
                    view[device.DevPath] = iface;
            }
            else if (!matches && known)
            {
                if (Offer(new DeviceNotification(NotificationAction.InterfaceRemoval, device, existing, action, origin, timestamp)))
                    view.Remove(device.DevPath);
            }
        }
    }

    /// <summary>Under the dispatcher lock: the kernel dropped events; a resynchronisation follows.</summary>
    internal void NotifyKernelOverflow(long total, long timestamp)
    {
        if (!IsLive || _needsResync)
            return;
        ForceOffer(new DeviceNotification(NotificationAction.Overflow, null, null, DeviceAction.None, NotificationOrigin.Resynchronization, timestamp,
            new OverflowInfo(OverflowKind.KernelBuffer, -1, total)));
    }

    /// <summary>Under the dispatcher lock: queue the differences between this view and the device table.</summary>
    internal void Resynchronize(Dictionary<string, Device> table, IReadOnlyList<MountPoint> mounts, long timestamp)
    {
        long overflows = Interlocked.Increment(ref _queueOverflows);
        long dropped = Interlocked.Exchange(ref _droppedSinceResync, 0);
        _needsResync = false;
        ForceOffer(new DeviceNotification(NotificationAction.Overflow, null, null, DeviceAction.None, NotificationOrigin.Resynchronization, timestamp,
            new OverflowInfo(OverflowKind.SubscriberQueue, dropped, overflows)));
        const NotificationOrigin origin = NotificationOrigin.Resynchronization;
        if (Filter.Kind == DeviceFilterKind.Handle)
        {
            ResynchronizeHandle(table, mounts, timestamp);
            return;
        }

        if (Filter.Kind == DeviceFilterKind.Devices)
        {
            foreach (var (path, seen) in _deviceView.ToList())
            {
                if (!table.ContainsKey(path) || !Filter.MatchesDevice(table[path]))
                {
                    ForceOffer(new DeviceNotification(NotificationAction.InstanceRemoved, seen, null, DeviceAction.Remove, origin, timestamp));
                    _deviceView.Remove(path);
                }
            }
            foreach (var d in table.Values.Where(Filter.MatchesDevice).OrderBy(d => d.DevPath, StringComparer.Ordinal))
            {
                if (!_deviceView.TryGetValue(d.DevPath, out var seen))
                    ForceOffer(new DeviceNotification(NotificationAction.InstanceEnumerated, d, null, DeviceAction.Add, origin, timestamp));
                else if (!ReferenceEquals(seen, d) && !seen.HasSameStateAs(d))
                    ForceOffer(new DeviceNotification(NotificationAction.InstanceChanged, d, null, DeviceAction.Change, origin, timestamp));
                _deviceView[d.DevPath] = d;
            }
            return;
        }

        for (int i = 0; i < _interfaceViews.Length; i++)
        {
            var cls = Filter.Classes[i];
            var view = _interfaceViews[i];
            _ignored[i].RemoveWhere(p => !table.TryGetValue(p, out var d) || !cls.Matches(d));
            foreach (var (path, iface) in view.ToList())
            {
                if (!iface.Device.IsListed)
                    continue;   // the table never holds what no listing shows: nothing to compare with
                if (!table.TryGetValue(path, out var d) || !cls.Matches(d))
                {
                    ForceOffer(new DeviceNotification(NotificationAction.InterfaceRemoval, d ?? iface.Device, iface, DeviceAction.Remove, origin, timestamp));
                    view.Remove(path);
                }
            }
            foreach (var d in table.Values.OrderBy(d => d.DevPath, StringComparer.Ordinal))
            {
                if (view.ContainsKey(d.DevPath) || _ignored[i].Contains(d.DevPath) || !cls.Matches(d))
                    continue;
                var iface = new DeviceInterface(cls, d);
                ForceOffer(new DeviceNotification(NotificationAction.InterfaceArrival, d, iface, DeviceAction.Add, origin, timestamp));
                view[d.DevPath] = iface;
            }
        }
    }

    private void RemoveInterface(int i, string path, Device device, DeviceAction action, NotificationOrigin origin, long timestamp)
    {
        _ignored[i].Remove(path);
        var view = _interfaceViews[i];
        if (view.TryGetValue(path, out var iface)
            && Offer(new DeviceNotification(NotificationAction.InterfaceRemoval, device, iface, action, origin, timestamp)))
        {
            view.Remove(path);
        }
    }

    private bool Offer(DeviceNotification notification)
    {
        if (_needsResync)
            return false;
        if (Volatile.Read(ref _queued) >= _options.QueueCapacity)
        {
            _needsResync = true;
            _dropped++;
            _droppedSinceResync++;
            _dispatcher.CountDropped();
            return false;
        }
        ForceOffer(notification);
        return true;
    }

    private void ForceOffer(DeviceNotification notification)
    {
        Interlocked.Increment(ref _queued);
        if (!_channel.Writer.TryWrite(notification))
            Interlocked.Decrement(ref _queued);
        _wakeup?.Set();
    }

    private static NotificationAction MapInstanceAction(DeviceAction action) => action switch
    {
        DeviceAction.Add => NotificationAction.InstanceEnumerated,
        DeviceAction.Bind => NotificationAction.InstanceStarted,
        DeviceAction.Remove => NotificationAction.InstanceRemoved,
        _ => NotificationAction.InstanceChanged,
    };
}
