using System.Runtime.Versioning;

namespace DeviceNotify.Compat.Linux;

// Implementation notes:
// - One CM_Register_Notification: a DeviceNotify registration whose handler turns each notification into the
//   native CM_NOTIFY_EVENT_DATA and calls the PCM_NOTIFY_CALLBACK. Callbacks of one registration never overlap and
//   come in kernel order (DeviceNotify's guarantee); different registrations run concurrently, as on Windows.
// - Answers: for a question (QueryRemove; on Linux also a requested volume dismount or lock, sent as a custom event)
//   ERROR_SUCCESS accepts and ERROR_CANCELLED vetoes. Windows says the callback "should not return any other
//   values"; any other value vetoes too, with the value in the reason, rather than being taken for consent.
// - Unregistering from inside the callback is allowed (Windows deadlocks): DeviceRegistration.Dispose returns at
//   once there. The handle is written before the registration goes live, so a callback that comes before
//   CM_Register_Notification returns already sees its own handle, and may unregister it.
[SupportedOSPlatform("linux")]
internal sealed unsafe class CmNotification(PCM_NOTIFY_CALLBACK callback, nint context, CM_NOTIFY_FILTER_TYPE type) : LiveRegistration
{
    internal HCMNOTIFICATION Handle { get; set; }

    internal void OnNotification(DeviceNotification n)
    {
        if (!IsWindowsEvent(n) || !TryMap(n, out var action, out var buffer))
            return;
        uint result;
        using (buffer)
            result = callback(Handle, (void*)context, action, (CM_NOTIFY_EVENT_DATA*)buffer.Pointer, (uint)buffer.Size);
        if (n.Query is not { } query)
            return;
        if (result == WinError.ERROR_SUCCESS)
            query.Accept();
        else
            query.Veto(result == WinError.ERROR_CANCELLED
                ? "the CM_NOTIFY callback returned ERROR_CANCELLED"
                : $"the CM_NOTIFY callback returned {result} (only ERROR_SUCCESS and ERROR_CANCELLED are defined; anything else is taken as a veto)");
    }

    private bool TryMap(DeviceNotification n, out CM_NOTIFY_ACTION action, out NativeBuffer buffer)
    {
        buffer = default;
        action = n.Action switch
        {
            NotificationAction.InterfaceArrival => CM_NOTIFY_ACTION.CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL,
            NotificationAction.InterfaceRemoval => CM_NOTIFY_ACTION.CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL,
            NotificationAction.QueryRemove => CM_NOTIFY_ACTION.CM_NOTIFY_ACTION_DEVICEQUERYREMOVE,
            NotificationAction.QueryRemoveFailed => CM_NOTIFY_ACTION.CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED,
            NotificationAction.RemovePending => CM_NOTIFY_ACTION.CM_NOTIFY_ACTION_DEVICEREMOVEPENDING,
            NotificationAction.RemoveComplete => CM_NOTIFY_ACTION.CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE,
            NotificationAction.CustomEvent => CM_NOTIFY_ACTION.CM_NOTIFY_ACTION_DEVICECUSTOMEVENT,
            NotificationAction.InstanceEnumerated => CM_NOTIFY_ACTION.CM_NOTIFY_ACTION_DEVICEINSTANCEENUMERATED,
            NotificationAction.InstanceStarted => CM_NOTIFY_ACTION.CM_NOTIFY_ACTION_DEVICEINSTANCESTARTED,
            NotificationAction.InstanceRemoved => CM_NOTIFY_ACTION.CM_NOTIFY_ACTION_DEVICEINSTANCEREMOVED,
            // Linux-only notices (other kernel events, overflow, the end of a watcher) have no CM_NOTIFY_ACTION.
            _ => CM_NOTIFY_ACTION.CM_NOTIFY_ACTION_MAX,
        };
        if (action == CM_NOTIFY_ACTION.CM_NOTIFY_ACTION_MAX)
            return false;
        switch (type)
        {
            case CM_NOTIFY_FILTER_TYPE.CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE when n.Interface is { } i:
                buffer = NativeEvents.Interface(i.Class.Guid, i.Path);
                return true;
            case CM_NOTIFY_FILTER_TYPE.CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE:
                buffer = NativeEvents.Handle(n.CustomEvent?.EventGuid);
                return true;
            case CM_NOTIFY_FILTER_TYPE.CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE when n.Device is { } d:
                buffer = NativeEvents.Instance(d.DevPath);
                return true;
            default:
                return false;
        }
    }
}
