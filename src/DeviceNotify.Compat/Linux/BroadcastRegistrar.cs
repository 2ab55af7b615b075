using System.Runtime.Versioning;

namespace DeviceNotify.Compat.Linux;

// Implementation notes (RegisterDeviceNotification's checks, FACTS.md §7):
// - Verified on Windows: a null filter → ERROR_INVALID_PARAMETER; OEM, DEVNODE, VOLUME, PORT and NET filters are
//   refused (ERROR_INVALID_DATA here; Windows gives 13 or 1066); with DEVICE_NOTIFY_ALL_INTERFACE_CLASSES the class
//   is ignored. Failure returns a null HDEVNOTIFY with the error in GetLastError.
// - Our choices: a recipient that is not a window from MessageWindow.Create (flag WINDOW_HANDLE) or a service handle
//   from RegisterServiceCtrlHandlerEx (flag SERVICE_HANDLE) → ERROR_INVALID_WINDOW_HANDLE / ERROR_INVALID_HANDLE;
//   undefined flag bits → ERROR_INVALID_PARAMETER; a filter size below its structure's sizeof → ERROR_INVALID_DATA;
//   a handle that names no device → ERROR_INVALID_HANDLE.
[SupportedOSPlatform("linux")]
internal static unsafe class BroadcastRegistrar
{
    private static readonly HandleTable<BroadcastNotification> s_table = new(0x2000_0000);

    internal static HDEVNOTIFY Register(nint hRecipient, void* filterPointer, uint flags, out uint error)
    {
        error = WinError.ERROR_SUCCESS;
        const uint known = User32.DEVICE_NOTIFY_SERVICE_HANDLE | User32.DEVICE_NOTIFY_ALL_INTERFACE_CLASSES;
        if (filterPointer is null || (flags & ~known) != 0)
            return Fail(WinError.ERROR_INVALID_PARAMETER, out error);
        bool service = (flags & User32.DEVICE_NOTIFY_SERVICE_HANDLE) != 0;
        var recipient = Recipient.Find(hRecipient);
        if (recipient is null || recipient.IsService != service)
            return Fail(service ? WinError.ERROR_INVALID_HANDLE : WinError.ERROR_INVALID_WINDOW_HANDLE, out error);

        var header = (DEV_BROADCAST_HDR*)filterPointer;
        DeviceFilter? filter;
        nint registeredHandle = 0;
        switch (header->dbch_devicetype)
        {
            case Dbt.DBT_DEVTYP_DEVICEINTERFACE:
                if (header->dbch_size < sizeof(DEV_BROADCAST_DEVICEINTERFACE))
                    return Fail(WinError.ERROR_INVALID_DATA, out error);
                if ((flags & User32.DEVICE_NOTIFY_ALL_INTERFACE_CLASSES) != 0)
                    filter = DeviceFilter.ForInterfaces(DeviceNotifyCompat.AllClasses());
                else
                    filter = DeviceNotifyCompat.FindClass(((DEV_BROADCAST_DEVICEINTERFACE*)filterPointer)->dbcc_classguid) is { } cls
                        ? DeviceFilter.ForInterfaces(cls)
                        : null;   // a class without interfaces here: a silent registration
                break;
            case Dbt.DBT_DEVTYP_HANDLE:
                if (header->dbch_size < sizeof(DEV_BROADCAST_HANDLE) || (flags & User32.DEVICE_NOTIFY_ALL_INTERFACE_CLASSES) != 0)
                    return Fail(WinError.ERROR_INVALID_DATA, out error);
                registeredHandle = ((DEV_BROADCAST_HANDLE*)filterPointer)->dbch_handle;
                if (FileHandles.Identify(registeredHandle) is not { } identity)
                    return Fail(WinError.ERROR_INVALID_HANDLE, out error);
                filter = DeviceFilter.ForHandle(identity);
                break;
            default:
                return Fail(WinError.ERROR_INVALID_DATA, out error);
        }

        var notification = new BroadcastNotification(recipient, registeredHandle);
        var handle = new HDEVNOTIFY(s_table.Add(notification));
        notification.Handle = handle;
        if (filter is null)
            return handle;
        try
        {
            if (CompatRuntime.TryGetWatcher() is not { } watcher)
                throw new InvalidOperationException("no watcher");
            notification.Attach(watcher.Register(filter, notification.OnNotification,
                LiveRegistration.Options($"RegisterDeviceNotification {handle.Value:x}")));
            return handle;
        }
        catch (ArgumentException)
        {
            s_table.Remove(handle.Value, out _);
            return Fail(WinError.ERROR_INVALID_HANDLE, out error);
        }
        catch (Exception ex) when (ex is DeviceNotifyException or ObjectDisposedException or InvalidOperationException)
        {
            s_table.Remove(handle.Value, out _);
            return Fail(WinError.ERROR_GEN_FAILURE, out error);
        }
    }

    internal static bool Unregister(HDEVNOTIFY handle)
    {
        if (!s_table.Remove(handle.Value, out var notification))
            return false;
        notification.Unregister();
        return true;
    }

    private static HDEVNOTIFY Fail(uint code, out uint error)
    {
        error = code;
        return default;
    }
}
