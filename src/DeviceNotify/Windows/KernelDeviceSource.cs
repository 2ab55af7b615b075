using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.Versioning;
using DeviceNotify.Dispatch;
using DeviceNotify.Negotiation;
using static DeviceNotify.Interop.CfgMgr32;

namespace DeviceNotify.Windows;

// Implementation notes:
// - Events: one CM_Register_Notification with CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES, made in Open, before the
//   listing (guarantee 1). Its callback (NotificationTrampoline, on cfgmgr32's thread) only numbers the event and
//   queues it: Windows asks that a handler "start another thread" for anything that blocks. The source's own thread
//   ("DeviceNotify cfgmgr32 events") builds the records (DeviceRecords: property reads, storage numbers: I/O) and
//   hands them to the sink in order. No user code runs on either thread.
// - Numbering: the source numbers events as they arrive; Enumerate returns the number reached after the listing, so
//   the dispatcher drops the queued arrivals the listing already had (the seed's "listed twice" does not happen).
// - Listing: CM_Get_Device_Interface_List for the built-in classes and the configured ones (Windows has no "every
//   class" list); arrivals of other classes are not followed, so the table stays one consistent picture.
// - Handle registrations: WatchVolume (the dispatcher calls it for each device a handle registration binds to) starts
//   a HandleWatch: the source's own CM device-handle registration, answering Windows' query-removes with the
//   registrations' answers (IDeviceSourceSink.PartiesOf) and passing on removals and GUID_IO_VOLUME_* events.
// - Unregistration never happens on a cfgmgr32 callback thread: deferred work runs on the source's thread; Stop
//   runs on the caller's (DeviceWatcher.Dispose), after cancelling open questions, so a callback waiting for an
//   answer returns and the unregistration, which waits for callbacks in progress, cannot deadlock.
// - No overflow: cfgmgr32 does not drop notifications, and the queue is unbounded.
// - Nothing here has run on Windows (see the README): it runs on Linux against a fake INativeMethods that calls the
//   real trampoline with native buffers.
/// <summary>
/// The real Windows source: Plug and Play notifications from the kernel's PnP manager through cfgmgr32
/// (<c>CM_Register_Notification</c>), device interfaces listed with <c>CM_Get_Device_Interface_List</c>.
/// </summary>
public sealed class KernelDeviceSource : DeviceSource, INotificationTarget
{
    private readonly KernelDeviceSourceOptions _options;
    private readonly INativeMethods _native;
    private readonly DeviceRecords _records;
    private readonly BlockingCollection<Action<IDeviceSourceSink>> _work = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, HandleWatch> _watches = new(StringComparer.Ordinal);
    private readonly HashSet<Guid> _classes;
    private CmRegistration? _interfaces;
    private Thread? _thread;
    private IDeviceSourceSink? _sink;
    private long _sequence;
    private int _stopped;

    /// <summary>Creates the source with default options.</summary>
    [SupportedOSPlatform("windows")]
    public KernelDeviceSource() : this(new KernelDeviceSourceOptions()) { }

    /// <summary>Creates the source.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The query deadline is not positive.</exception>
    [SupportedOSPlatform("windows")]
    public KernelDeviceSource(KernelDeviceSourceOptions options) : this(options, NativeMethods.Instance) { }

    internal KernelDeviceSource(KernelDeviceSourceOptions options, INativeMethods native)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.QueryDeadline <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), options.QueryDeadline, "QueryDeadline must be positive.");
        _options = options;
        _native = native;
        _records = new DeviceRecords(native);
        _classes = [.. InterfaceClass.BuiltIn.Select(c => c.Guid), .. options.AdditionalInterfaceClasses];
    }

    internal override void Open()
    {
        _interfaces = CmRegistration.Register(_native, CmRegistration.InterfaceFilter(), this, out uint result)
            ?? throw new DeviceNotifyException($"CM_Register_Notification for every interface class failed with CONFIGRET 0x{result:X2}.", (int)result);
    }

    internal override DeviceSnapshot Enumerate()
    {
        var devices = new List<Device>();
        // Disks before volumes (BuiltIn's order), so a volume is filed under its disk.
        foreach (var guid in _classes)
        {
            foreach (var link in InterfaceEnumerator.List(_native, guid))
                devices.Add(_records.Arrived(guid, link, 0).WithAction(DeviceAction.None, 0));
        }
        // Read after the listing: every event with a higher number came after it.
        ulong reached = (ulong)Interlocked.Read(ref _sequence);
        return new DeviceSnapshot(devices, reached, MountTable.Read(_native));
    }

    internal override void Start(IDeviceSourceSink sink)
    {
        _sink = sink;
        using (ExecutionContext.SuppressFlow())
        {
            _thread = new Thread(Run) { IsBackground = true, Name = "DeviceNotify cfgmgr32 events" };
            _thread.Start();
        }
    }

    internal override void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        _stopping.Cancel();
        _interfaces?.Unregister();
        List<HandleWatch> watches;
        lock (_watches)
        {
            watches = [.. _watches.Values];
            _watches.Clear();
        }
        foreach (var w in watches)
            w.Stop();
        _work.CompleteAdding();
        if (_thread is not null && _thread != Thread.CurrentThread)
            _thread.Join();
    }

    internal override VolumeProbeResult ProbeVolume(Device device) => FileSystemProbe.Probe(_native, device);

    /// <summary>Starts the handle watch of a device a handle registration is bound to (once per device).</summary>
    internal override void WatchVolume(Device device)
    {
        if (_sink is not { } sink || Volatile.Read(ref _stopped) != 0)
            return;
        HandleWatch watch;
        lock (_watches)
        {
            if (_watches.ContainsKey(device.DevPath))
                return;
            watch = new HandleWatch(_native, device, sink, _options.QueryDeadline, _stopping.Token, Defer, Removed, OnMalformed);
            _watches[device.DevPath] = watch;
        }
        if (!watch.Start(out _))
        {
            lock (_watches)
                _watches.Remove(device.DevPath);
        }
    }

    uint INotificationTarget.OnNotification(nint notification, uint action, in NotifyEvent notifyEvent)
    {
        // On cfgmgr32's thread: number and queue, nothing else.
        ulong sequence = (ulong)Interlocked.Increment(ref _sequence);
        var e = notifyEvent;
        if (!_classes.Contains(e.Guid) || e.Text is not { } link)
            return 0;
        Interlocked.Increment(ref Counters.Received);
        if (action == CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL)
            Queue(sink => Deliver(sink, _records.Arrived(e.Guid, link, sequence)));
        else if (action == CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL)
            Queue(sink => Deliver(sink, _records.Removed(link, sequence)));
        return 0;
    }

    void INotificationTarget.OnMalformed(string error) => OnMalformed(error);

    private void OnMalformed(string error) => Interlocked.Increment(ref Counters.Malformed);

    private void Removed(Device device)
    {
        ulong sequence = (ulong)Interlocked.Increment(ref _sequence);
        string? link = device.GetProperty(DeviceRecords.SymbolicLinkKey);
        Queue(sink => Deliver(sink, link is null ? device.WithAction(DeviceAction.Remove, sequence) : _records.Removed(link, sequence)));
    }

    private void Defer(Action work) => Queue(_ => work());

    private void Queue(Action<IDeviceSourceSink> work)
    {
        if (!_work.IsAddingCompleted)
        {
            try
            {
                _work.Add(work);
            }
            catch (InvalidOperationException)
            {
                // Stop completed the queue meanwhile: nobody listens any more.
            }
        }
    }

    private static void Deliver(IDeviceSourceSink sink, Device? device)
    {
        if (device is null)
            return;
        Device?[] one = [device];
        sink.OnEvents(one, Stopwatch.GetTimestamp());
    }

    private void Run()
    {
        try
        {
            foreach (var work in _work.GetConsumingEnumerable())
            {
                if (Volatile.Read(ref _stopped) != 0)
                    continue;   // drain without acting: the watcher is going
                work(_sink!);
            }
        }
        catch (Exception ex)
        {
            _sink?.OnFailed(ex);
        }
    }
}
