using System.Threading.Channels;
using DeviceNotify.Dispatch;

namespace DeviceNotify;

// Implementation notes:
// - View: per interface class, the interfaces this registration has been told about (arrived and not yet
//   removed); for a device filter, the devices. The view changes only when a notification is queued, so it is
//   always exactly what the consumer will have seen once the queue drains. Pairing (guarantee 2) follows.
// - Queue: an unbounded Channel with a counted soft capacity. When full, the registration stops queueing
//   (NeedsResync); after its consumer has drained the queue it asks the dispatcher to compare its view with the
//   device table and queue an Overflow notice plus the synthesized differences (guarantee 4).
// - Delivery: callbacks run one at a time on the thread pool (the pump), each inside _callbackGate. Dispose
//   marks the registration, unhooks it from the dispatcher, and takes the gate to wait for an in-flight
//   callback — unless it is called from that callback (t_current), where it returns at once (guarantee 5).
// - Without IncludeExisting, interfaces present at registration are remembered as "ignored" until they go
//   away, so a later change of such a device never produces an arrival the consumer was not owed.
/// <summary>
/// A live registration (the <c>HCMNOTIFICATION</c> analogue). Dispose it to unregister; see the remarks for the
/// threading rules.
/// </summary>
/// <remarks>
/// Disposing from another thread waits for a callback in progress and guarantees no callback afterwards.
/// Disposing from inside this registration's own callback is allowed and returns at once. Disposing twice is a
/// no-op. Two registrations whose callbacks dispose each other at the same moment deadlock, as on Windows.
/// </remarks>
public sealed partial class DeviceRegistration : IDisposable, IAsyncDisposable
{
    [ThreadStatic]
    private static DeviceRegistration? t_current;

    private readonly Dispatcher _dispatcher;
    private readonly Action<DeviceNotification>? _handler;
    private readonly RegistrationOptions _options;
    private readonly Channel<DeviceNotification> _channel;
    private readonly Dictionary<string, DeviceInterface>[] _interfaceViews;
    private readonly HashSet<string>[] _ignored;
    private readonly Dictionary<string, Device> _deviceView = new(StringComparer.Ordinal);
    private readonly object _callbackGate = new();
    private int _queued;
    private volatile bool _needsResync;
    private volatile bool _disposed;
    private int _disposeState;
    private long _dropped;
    private long _droppedSinceResync;
    private long _queueOverflows;
    private Task? _pump;
    private ManualResetEventSlim? _wakeup;

    internal DeviceRegistration(Dispatcher dispatcher, DeviceFilter filter, Action<DeviceNotification>? handler, RegistrationOptions options)
    {
        if (options.QueueCapacity < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.QueueCapacity, "QueueCapacity must be at least 1.");
        _dispatcher = dispatcher;
        Filter = filter;
        _handler = handler;
        _options = options;
        _channel = Channel.CreateUnbounded<DeviceNotification>(new UnboundedChannelOptions
        {
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
        int classes = filter.Kind == DeviceFilterKind.Interfaces ? filter.Classes.Count : 0;
        _interfaceViews = new Dictionary<string, DeviceInterface>[classes];
        _ignored = new HashSet<string>[classes];
        for (int i = 0; i < classes; i++)
        {
            _interfaceViews[i] = new Dictionary<string, DeviceInterface>(StringComparer.Ordinal);
            _ignored[i] = new HashSet<string>(StringComparer.Ordinal);
        }
    }

    /// <summary>What this registration listens to.</summary>
    public DeviceFilter Filter { get; }

    /// <summary>The name given in <see cref="RegistrationOptions.Name"/>, if any.</summary>
    public string? Name => _options.Name;

    /// <summary>True once disposed.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Notifications this registration could not queue because its consumer was behind (made up by resynchronisation).</summary>
    public long DroppedNotifications => Interlocked.Read(ref _dropped);

    /// <summary>How many times this registration's queue overflowed.</summary>
    public long QueueOverflows => Interlocked.Read(ref _queueOverflows);

    /// <summary>Notifications waiting for the consumer now.</summary>
    public int QueuedNotifications => Volatile.Read(ref _queued);

    internal bool NeedsResync => _needsResync && !_disposed;
    internal long DroppedSinceResync => Interlocked.Read(ref _droppedSinceResync);
    internal ChannelReader<DeviceNotification> Reader => _channel.Reader;

    internal void StartPump()
    {
        if (_handler is null)
            return;
        if (_options.DedicatedThread)
        {
            _wakeup = new ManualResetEventSlim(false, spinCount: 1);
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                DedicatedLoop();
                done.TrySetResult();
            })
            { IsBackground = true, Name = "DeviceNotify delivery" };
            _pump = done.Task;
            thread.Start();
        }
        else
        {
            _pump = Task.Run(PumpAsync);
        }
    }

    /// <summary>The pump on its own thread: deliver, then sleep until the next offer.</summary>
    private void DedicatedLoop()
    {
        var reader = _channel.Reader;
        var wakeup = _wakeup!;
        try
        {
            while (true)
            {
                wakeup.Reset();
                if (!DeliverQueued(reader) || reader.Completion.IsCompleted)
                    return;
                // An offer after the drain has already set the event: Wait returns at once.
                if (Volatile.Read(ref _queued) == 0)
                    wakeup.Wait();
            }
        }
        catch (Exception ex)
        {
            _dispatcher.ReportCallbackError(ex, this);
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
        if (_disposed)
            return;
        if (_needsResync)
        {
            _dropped++;
            _droppedSinceResync++;
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
        if (_disposed || _needsResync)
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
                else if (!ReferenceEquals(seen, d) && !seen.HasSamePropertiesAs(d))
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

    /// <summary>Called by the consumer after it took one notification from the queue.</summary>
    internal void OnDequeued() => Interlocked.Decrement(ref _queued);

    /// <summary>Called by the consumer when the queue ran empty.</summary>
    internal void OnDrained()
    {
        if (NeedsResync && Volatile.Read(ref _queued) == 0)
            _dispatcher.ResynchronizeRegistration(this);
    }

    /// <summary>Unregisters; see the class remarks for the threading rules.</summary>
    public void Dispose()
    {
        if (!BeginDispose())
            return;
        if (t_current == this)
            return;
        // Wait for a callback in flight; afterwards _disposed stops any further one.
        lock (_callbackGate) { }
    }

    /// <summary>Unregisters without blocking a thread; completes when no callback of this registration runs any more.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!BeginDispose())
            return;
        if (t_current == this || _pump is null)
            return;
        await _pump.ConfigureAwait(false);
    }

    private bool BeginDispose()
    {
        if (Interlocked.Exchange(ref _disposeState, 1) != 0)
            return false;
        _disposed = true;
        _dispatcher.Unregister(this);
        _channel.Writer.TryComplete();
        _wakeup?.Set();
        return true;
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

    private async Task PumpAsync()
    {
        var reader = _channel.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                if (!DeliverQueued(reader))
                    return;
            }
        }
        catch (Exception ex)
        {
            // Only a library bug gets here (user exceptions are caught per callback); never fail silently.
            _dispatcher.ReportCallbackError(ex, this);
        }
    }

    /// <summary>
    /// Delivers everything queued, one callback at a time; answers queries the callback left open; then, with the
    /// queue empty, resynchronises after an overflow and runs QueueDrained. False once disposed.
    /// </summary>
    private bool DeliverQueued(ChannelReader<DeviceNotification> reader)
    {
        while (reader.TryRead(out var notification))
        {
            OnDequeued();
            var failure = RunUserCode(_handler!, notification);
            notification.Query?.AfterCallback(failure);
            if (_disposed)
                return false;
        }
        OnDrained();
        // The single-reader channel cannot count; _queued is our own count of what waits.
        if (_options.QueueDrained is { } drained && Volatile.Read(ref _queued) == 0)
            RunUserCode(static a => a(), drained);
        return true;
    }

    /// <summary>
    /// Runs user code (a callback or the QueueDrained hook) inside the callback gate, unless disposed; marks the
    /// thread so Dispose from inside returns at once; contains and reports an exception.
    /// </summary>
    private Exception? RunUserCode<T>(Action<T> action, T argument)
    {
        lock (_callbackGate)
        {
            if (_disposed)
                return null;
            t_current = this;
            try
            {
                action(argument);
                return null;
            }
            catch (Exception ex)
            {
                _dispatcher.ReportCallbackError(ex, this);
                return ex;
            }
            finally
            {
                t_current = null;
            }
        }
    }
}
