using System.Runtime.Versioning;

namespace DeviceNotify.Compat.Linux;

// Implementation notes:
// - One RegisterDeviceNotification: a DeviceNotify registration whose handler builds the DEV_BROADCAST_* structure
//   Windows would send and delivers WM_DEVICECHANGE to the window procedure or SERVICE_CONTROL_DEVICEEVENT to the
//   HandlerEx. Interface registrations get DBT_DEVICEARRIVAL / DBT_DEVICEREMOVECOMPLETE with
//   DEV_BROADCAST_DEVICEINTERFACE; handle registrations get DBT_DEVICEQUERYREMOVE(FAILED), DBT_DEVICEREMOVEPENDING,
//   DBT_DEVICEREMOVECOMPLETE and DBT_CUSTOMEVENT (GUID_IO_VOLUME_*) with DEV_BROADCAST_HANDLE, whose dbch_handle is
//   the registered handle and dbch_hdevnotify this registration's HDEVNOTIFY.
// - A question (DBT_DEVICEQUERYREMOVE; on Linux also a requested dismount or lock, DBT_CUSTOMEVENT with
//   GUID_IO_VOLUME_DISMOUNT / GUID_IO_VOLUME_LOCK) is vetoed by BROADCAST_QUERY_DENY from a window procedure or by
//   any error code from a HandlerEx. On Windows a custom event cannot be vetoed (the locker just fails when handles
//   stay open); here the answer is asked for, so the vetoer is named in the failure.
[SupportedOSPlatform("linux")]
internal sealed unsafe class BroadcastNotification(Recipient recipient, nint registeredHandle) : LiveRegistration
{
    internal HDEVNOTIFY Handle { get; set; }

    internal void OnNotification(DeviceNotification n)
    {
        if (!IsWindowsEvent(n))
            return;
        uint eventType;
        NativeBuffer buffer;
        if (n.Interface is { } i)
        {
            eventType = n.Action == NotificationAction.InterfaceArrival ? Dbt.DBT_DEVICEARRIVAL : Dbt.DBT_DEVICEREMOVECOMPLETE;
            buffer = NativeEvents.BroadcastInterface(i.Class.Guid, i.Path);
        }
        else
        {
            eventType = n.Action switch
            {
                NotificationAction.QueryRemove => Dbt.DBT_DEVICEQUERYREMOVE,
                NotificationAction.QueryRemoveFailed => Dbt.DBT_DEVICEQUERYREMOVEFAILED,
                NotificationAction.RemovePending => Dbt.DBT_DEVICEREMOVEPENDING,
                NotificationAction.RemoveComplete => Dbt.DBT_DEVICEREMOVECOMPLETE,
                NotificationAction.CustomEvent => Dbt.DBT_CUSTOMEVENT,
                _ => 0,   // Linux-only notices have no DBT_ event
            };
            if (eventType == 0)
                return;
            buffer = NativeEvents.BroadcastHandle(registeredHandle, Handle.Value, n.CustomEvent?.EventGuid);
        }
        string? denial;
        using (buffer)
            denial = recipient.Deliver(eventType, buffer.Pointer);
        if (n.Query is not { } query)
            return;
        if (denial is not null)
            query.Veto(denial);
        else
            query.Accept();
    }
}
