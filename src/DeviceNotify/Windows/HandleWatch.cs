using DeviceNotify.Negotiation;
using Microsoft.Win32.SafeHandles;
using static DeviceNotify.Interop.CfgMgr32;

namespace DeviceNotify.Windows;

// Implementation notes (the Windows side of a handle registration; one watch per bound device):
// - The source opens the device itself (no access rights) and registers CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE on that
//   handle, so the system's own removal requests (Explorer's "safely remove", another program's
//   CM_Query_And_Remove_SubTree or FSCTL_LOCK_VOLUME) reach DeviceNotify's registrations on the device.
// - It behaves as the seed's table asks: on QUERYREMOVE it asks the parties bound to the device (DeviceNotify's
//   handle registrations: questions in their queues, answered with Accept/Veto), closes its own handle and returns
//   ERROR_SUCCESS if all accept, or returns ERROR_CANCELLED naming nobody (Windows has no channel for the name; the
//   vetoer is in the registrations' own notifications). On QUERYREMOVEFAILED it tells them, unregisters (deferred)
//   and registers again on a new handle. On REMOVEPENDING / REMOVECOMPLETE it tells them / removes the device, closes
//   its handle and unregisters (deferred). GUID_IO_VOLUME_LOCK and _DISMOUNT close the handle (so the locker is not
//   held up by it) and are told; _LOCK_FAILED, _DISMOUNT_FAILED, _UNLOCK and _MOUNT reopen it; every custom event is
//   told to the parties as the custom event it is.
// - "Deferred": never CM_Unregister_Notification on the callback thread (it waits for that very callback); the
//   work goes to the source's thread. A callback that comes after the watch decided to go is ignored: each
//   registration has its own target object, retired when superseded.
// - The question waits on the callback thread (Windows waits for the answer) but no longer than the deadline, and
//   not at all once the source stops: Stop cancels first, so its unregistration never waits on an open question.
internal sealed class HandleWatch
{
    private readonly INativeMethods _native;
    private readonly IDeviceSourceSink _sink;
    private readonly Action<Action> _defer;
    private readonly Action<Device> _removed;
    private readonly Action<string> _malformed;
    private readonly TimeSpan _deadline;
    private readonly CancellationToken _stopping;
    private readonly object _gate = new();
    private Device _device;
    private SafeFileHandle? _handle;
    private Subscription? _current;
    private bool _ended;     // the device is going: no more reopening or re-registering
    private bool _stopped;   // the source stopped: no callback is acted on

    internal HandleWatch(INativeMethods native, Device device, IDeviceSourceSink sink, TimeSpan deadline, CancellationToken stopping,
        Action<Action> defer, Action<Device> removed, Action<string> malformed)
    {
        _malformed = malformed;
        _native = native;
        _device = device;
        _sink = sink;
        _deadline = deadline;
        _stopping = stopping;
        _defer = defer;
        _removed = removed;
    }

    private string Link => _device.GetProperty(DeviceRecords.SymbolicLinkKey) ?? InterfaceClass.GetInterfacePath(_device);

    /// <summary>Opens the device and registers; false (with the reason) when either fails.</summary>
    internal bool Start(out string? error)
    {
        lock (_gate)
            return Subscribe(out error);
    }

    /// <summary>Unregisters and closes; waits for callbacks in progress (call off the callback thread).</summary>
    internal void Stop()
    {
        Subscription? current;
        lock (_gate)
        {
            _ended = _stopped = true;
            current = _current;
            _current = null;
            CloseHandle();
        }
        current?.Retire();
    }

    private bool Subscribe(out string? error)
    {
        error = null;
        _handle = _native.Open(Link, 0, out int openError);
        if (_handle is null)
        {
            error = $"CreateFile({Link}) failed with Win32 error {openError}";
            return false;
        }
        // Current before registering: a callback may come before CM_Register_Notification returns (it waits on _gate).
        var subscription = new Subscription(this);
        _current = subscription;
        var registration = CmRegistration.Register(_native, CmRegistration.HandleFilter(_handle), subscription, out uint result);
        if (registration is null)
        {
            _current = null;
            CloseHandle();
            error = $"CM_Register_Notification on {Link} failed with CONFIGRET 0x{result:X2}";
            return false;
        }
        subscription.Registration = registration;
        return true;
    }

    private void CloseHandle()
    {
        _handle?.Dispose();
        _handle = null;
    }

    private void Reopen()
    {
        lock (_gate)
        {
            if (!_ended && _handle is null)
                _handle = _native.Open(Link, 0, out _);
        }
    }

    /// <summary>On the source's thread: the registration ends for good (removal) or is replaced (query-remove failed).</summary>
    private void Retire(Subscription subscription, bool resubscribe)
    {
        subscription.Retire();
        lock (_gate)
        {
            if (_ended || !resubscribe || _current != subscription)
                return;
            _current = null;
            CloseHandle();
            Subscribe(out _);
        }
    }

    private uint OnNotification(Subscription from, uint action, in NotifyEvent e)
    {
        lock (_gate)
        {
            if (_stopped || from != _current)
                return 0;   // a late callback of a registration being replaced, or of a stopped source
        }
        switch (action)
        {
            case CM_NOTIFY_ACTION_DEVICEQUERYREMOVE:
                if (!AgreedRemovals.Covers(_device) && Ask())
                    return ERROR_CANCELLED;
                lock (_gate)
                    CloseHandle();
                return 0;
            case CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED:
                Tell(NotificationAction.QueryRemoveFailed, null, RemovalOperation.Eject);
                _defer(() => Retire(from, resubscribe: true));
                return 0;
            case CM_NOTIFY_ACTION_DEVICEREMOVEPENDING:
                Tell(NotificationAction.RemovePending, null, RemovalOperation.Eject);
                End(from);
                return 0;
            case CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE:
                _removed(_device);
                End(from);
                return 0;
            case CM_NOTIFY_ACTION_DEVICECUSTOMEVENT:
                OnCustomEvent(e.Guid);
                return 0;
            default:
                return 0;
        }
    }

    private void OnCustomEvent(Guid g)
    {
        if (g == VolumeEvents.VolumeLock || g == VolumeEvents.VolumeDismount)
        {
            lock (_gate)
                CloseHandle();
        }
        else if (g == VolumeEvents.VolumeLockFailed || g == VolumeEvents.VolumeDismountFailed || g == VolumeEvents.VolumeUnlock || g == VolumeEvents.VolumeMount)
        {
            Reopen();
        }
        var operation = g == VolumeEvents.VolumeLock || g == VolumeEvents.VolumeLockFailed || g == VolumeEvents.VolumeUnlock ? RemovalOperation.Lock
            : g == VolumeEvents.VolumeDismount || g == VolumeEvents.VolumeDismountFailed ? RemovalOperation.Dismount
            : RemovalOperation.None;
        Tell(NotificationAction.CustomEvent, g, operation);
    }

    private void End(Subscription from)
    {
        lock (_gate)
        {
            _ended = true;
            CloseHandle();
        }
        _defer(() => Retire(from, resubscribe: false));
    }

    /// <summary>Asks the parties bound to the device; true when one vetoed (or did not answer in time).</summary>
    private bool Ask()
    {
        var parties = _sink.PartiesOf(_device);
        if (parties.Count == 0)
            return false;
        // Windows sends QUERYREMOVEFAILED itself to everyone who got the question: the round is never ended here (no
        // failed notice of its own); QUERYREMOVEFAILED, when it comes, is told to the parties like every event.
        var round = new NegotiationRound(NotificationAction.QueryRemoveFailed, null);
        try
        {
            var answers = round.AskAsync(parties, p => new RemovalMessage
            {
                Operation = RemovalOperation.Eject,
                Action = NotificationAction.QueryRemove,
                Device = p.Device ?? _device,
                Deadline = DateTimeOffset.UtcNow + _deadline,
            }, _deadline, _stopping).GetAwaiter().GetResult();
            return answers.Any(a => a.Veto != VetoType.None);
        }
        catch (OperationCanceledException)
        {
            return false;   // the source is stopping: nobody is left to object
        }
    }

    private void Tell(NotificationAction action, Guid? eventGuid, RemovalOperation operation)
        => NegotiationRound.Tell(_sink.PartiesOf(_device), p => new RemovalMessage
        {
            Operation = operation,
            Action = action,
            EventGuid = eventGuid,
            Device = p.Device ?? _device,
        });

    /// <summary>The target of one CM registration of this watch; retired ones ignore late callbacks.</summary>
    private sealed class Subscription(HandleWatch watch) : INotificationTarget
    {
        internal CmRegistration? Registration { get; set; }

        public uint OnNotification(nint notification, uint action, in NotifyEvent notifyEvent) => watch.OnNotification(this, action, notifyEvent);

        public void OnMalformed(string error) => watch._malformed(error);

        internal void Retire() => Registration?.Unregister();
    }
}
