namespace DeviceNotify.Compat.Linux;

// Implementation notes (sizes, FACTS.md §4 and §8, as Windows was seen to send them):
// - CM_NOTIFY_EVENT_DATA: interface events are offsetof(SymbolicLink) + 2 * (length + 1) = 24 + 2(n+1) bytes,
//   custom events offsetof(Data) + DataSize = 32 + DataSize, handle events sizeof = 36. Windows' names are always
//   long; Linux interface paths can be short ("lo"), so the size never goes below sizeof(CM_NOTIFY_EVENT_DATA): the
//   callback's documented precondition (EventDataSize >= sizeof) holds for every event.
// - DEV_BROADCAST_DEVICEINTERFACE: dbcc_size = 28 + 2(n+1), at least sizeof (32).
// - DEV_BROADCAST_HANDLE: sizeof for the removal events; for a custom event offsetof(dbch_data) + DataSize + 4,
//   which is sizeof when there is no data (56 on x64, 44 on x86). NameOffset is -1: no string.
internal static unsafe class NativeEvents
{
    internal static NativeBuffer Interface(Guid classGuid, string symbolicLink)
    {
        int size = Math.Max(sizeof(CM_NOTIFY_EVENT_DATA), 24 + 2 * (symbolicLink.Length + 1));
        var buffer = new NativeBuffer(size);
        var data = (CM_NOTIFY_EVENT_DATA*)buffer.Pointer;
        data->FilterType = CM_NOTIFY_FILTER_TYPE.CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE;
        data->u.DeviceInterface.ClassGuid = classGuid;
        NativeBuffer.WriteString(data->u.DeviceInterface.SymbolicLink, symbolicLink);
        return buffer;
    }

    internal static NativeBuffer Handle(Guid? eventGuid)
    {
        var buffer = new NativeBuffer(sizeof(CM_NOTIFY_EVENT_DATA));
        var data = (CM_NOTIFY_EVENT_DATA*)buffer.Pointer;
        data->FilterType = CM_NOTIFY_FILTER_TYPE.CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE;
        if (eventGuid is { } g)
        {
            data->u.DeviceHandle.EventGuid = g;
            data->u.DeviceHandle.NameOffset = -1;
            data->u.DeviceHandle.DataSize = 0;
        }
        return buffer;
    }

    internal static NativeBuffer Instance(string instanceId)
    {
        int size = Math.Max(sizeof(CM_NOTIFY_EVENT_DATA), 8 + 2 * (instanceId.Length + 1));
        var buffer = new NativeBuffer(size);
        var data = (CM_NOTIFY_EVENT_DATA*)buffer.Pointer;
        data->FilterType = CM_NOTIFY_FILTER_TYPE.CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE;
        NativeBuffer.WriteString(data->u.DeviceInstance.InstanceId, instanceId);
        return buffer;
    }

    internal static NativeBuffer BroadcastInterface(Guid classGuid, string name)
    {
        int size = Math.Max(sizeof(DEV_BROADCAST_DEVICEINTERFACE), 28 + 2 * (name.Length + 1));
        var buffer = new NativeBuffer(size);
        var b = (DEV_BROADCAST_DEVICEINTERFACE*)buffer.Pointer;
        b->dbcc_size = (uint)size;
        b->dbcc_devicetype = Dbt.DBT_DEVTYP_DEVICEINTERFACE;
        b->dbcc_classguid = classGuid;
        NativeBuffer.WriteString(b->dbcc_name, name);
        return buffer;
    }

    internal static NativeBuffer BroadcastHandle(nint handle, nint hdevnotify, Guid? eventGuid)
    {
        var buffer = new NativeBuffer(sizeof(DEV_BROADCAST_HANDLE));
        var b = (DEV_BROADCAST_HANDLE*)buffer.Pointer;
        b->dbch_size = (uint)sizeof(DEV_BROADCAST_HANDLE);
        b->dbch_devicetype = Dbt.DBT_DEVTYP_HANDLE;
        b->dbch_handle = handle;
        b->dbch_hdevnotify = hdevnotify;
        if (eventGuid is { } g)
        {
            b->dbch_eventguid = g;
            b->dbch_nameoffset = -1;
        }
        return buffer;
    }
}
