using System.Runtime.Versioning;
using static DeviceNotify.Compat.CONFIGRET;

namespace DeviceNotify.Compat.Linux;

// Implementation notes (what CM_Register_Notification checks, FACTS.md §2):
// - Verified on Windows (Wine's conformance tests): no output pointer → CR_FAILURE; no filter or no callback →
//   CR_INVALID_DATA; cbSize other than 416 → CR_INVALID_DATA; ALL_INTERFACE_CLASSES with a non-zero class →
//   CR_INVALID_DATA; on failure the output handle is left null.
// - Not verified (our choice, stated in the README): undefined flag bits, both ALL_* flags, or a flag that does not
//   belong to the filter type → CR_INVALID_FLAG; Reserved ≠ 0, a filter type ≥ CM_NOTIFY_FILTER_TYPE_MAX, a handle
//   that names no device, or an instance ID that is not terminated → CR_INVALID_DATA.
// - No arrival for interfaces already present, as Windows (call CM_Get_Device_Interface_List after registering),
//   but their removal is reported, as Windows does (LiveRegistration.Options). DeviceNotify reports an interface
//   that arrives between the two calls once, not twice (the Windows note in the seed).
// - A class GUID nobody knows is accepted and stays silent, as on Windows for a class without interfaces.
[SupportedOSPlatform("linux")]
internal static unsafe class CmRegistrar
{
    private static readonly HandleTable<CmNotification> s_table = new(0x1000_0000);

    internal static CONFIGRET Register(CM_NOTIFY_FILTER* pFilter, void* pContext, PCM_NOTIFY_CALLBACK? pCallback, HCMNOTIFICATION* pNotifyContext)
    {
        if (pNotifyContext is null)
            return CR_FAILURE;
        *pNotifyContext = default;
        if (pFilter is null || pCallback is null || pFilter->cbSize != (uint)sizeof(CM_NOTIFY_FILTER))
            return CR_INVALID_DATA;
        var check = Translate(pFilter, out var filter);
        if (check != CR_SUCCESS)
            return check;

        var notification = new CmNotification(pCallback, (nint)pContext, pFilter->FilterType);
        var handle = new HCMNOTIFICATION(s_table.Add(notification));
        notification.Handle = handle;
        *pNotifyContext = handle;
        if (filter is null)
            return CR_SUCCESS;   // a class without interfaces here: a silent registration
        if (CompatRuntime.TryGetWatcher() is not { } watcher)
            return Fail(handle, pNotifyContext, CR_FAILURE);
        try
        {
            notification.Attach(watcher.Register(filter, notification.OnNotification, LiveRegistration.Options($"CM_Register_Notification {handle.Value:x}")));
            return CR_SUCCESS;
        }
        catch (ArgumentException)
        {
            return Fail(handle, pNotifyContext, CR_INVALID_DATA);   // the handle is on no device (tmpfs, proc)
        }
        catch (Exception ex) when (ex is DeviceNotifyException or ObjectDisposedException or InvalidOperationException)
        {
            return Fail(handle, pNotifyContext, CR_FAILURE);
        }
    }

    internal static CONFIGRET Unregister(HCMNOTIFICATION handle)
    {
        if (!s_table.Remove(handle.Value, out var notification))
            return CR_INVALID_POINTER;
        notification.Unregister();
        return CR_SUCCESS;
    }

    private static CONFIGRET Fail(HCMNOTIFICATION handle, HCMNOTIFICATION* pNotifyContext, CONFIGRET result)
    {
        s_table.Remove(handle.Value, out _);
        *pNotifyContext = default;
        return result;
    }

    /// <summary>The DeviceNotify filter for a CM filter; null filter with CR_SUCCESS for a registration that can never fire.</summary>
    private static CONFIGRET Translate(CM_NOTIFY_FILTER* f, out DeviceFilter? filter)
    {
        filter = null;
        const uint all = CfgMgr32.CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES | CfgMgr32.CM_NOTIFY_FILTER_FLAG_ALL_DEVICE_INSTANCES;
        if (f->Reserved != 0 || (uint)f->FilterType >= (uint)CM_NOTIFY_FILTER_TYPE.CM_NOTIFY_FILTER_TYPE_MAX)
            return CR_INVALID_DATA;
        if ((f->Flags & ~all) != 0 || f->Flags == all)
            return CR_INVALID_FLAG;
        switch (f->FilterType)
        {
            case CM_NOTIFY_FILTER_TYPE.CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE:
                if ((f->Flags & CfgMgr32.CM_NOTIFY_FILTER_FLAG_ALL_DEVICE_INSTANCES) != 0)
                    return CR_INVALID_FLAG;
                if ((f->Flags & CfgMgr32.CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES) != 0)
                {
                    if (f->u.DeviceInterface.ClassGuid != Guid.Empty)
                        return CR_INVALID_DATA;
                    filter = DeviceFilter.ForInterfaces(DeviceNotifyCompat.AllClasses());
                    return CR_SUCCESS;
                }
                if (DeviceNotifyCompat.FindClass(f->u.DeviceInterface.ClassGuid) is { } cls)
                    filter = DeviceFilter.ForInterfaces(cls);
                return CR_SUCCESS;
            case CM_NOTIFY_FILTER_TYPE.CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE:
                if (f->Flags != 0)
                    return CR_INVALID_FLAG;
                if (FileHandles.Identify(f->u.DeviceHandle.hTarget) is not { } identity)
                    return CR_INVALID_DATA;
                filter = DeviceFilter.ForHandle(identity);
                return CR_SUCCESS;
            default:
                if ((f->Flags & CfgMgr32.CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES) != 0)
                    return CR_INVALID_FLAG;
                var id = new ReadOnlySpan<char>(f->u.DeviceInstance.InstanceId, CfgMgr32.MAX_DEVICE_ID_LEN);
                int end = id.IndexOf('\0');
                if (end < 0)
                    return CR_INVALID_DATA;
                bool everyInstance = (f->Flags & CfgMgr32.CM_NOTIFY_FILTER_FLAG_ALL_DEVICE_INSTANCES) != 0;
                if (everyInstance != (end == 0))
                    return CR_INVALID_DATA;   // ALL_DEVICE_INSTANCES goes with an empty ID, and only with one
                // On Linux a device instance ID is the kernel devpath (/devices/...).
                filter = everyInstance ? DeviceFilter.AllDevices
                    : DeviceFilter.ForDevices(new DeviceMatch { Properties = new Dictionary<string, string> { ["DEVPATH"] = id[..end].ToString() } });
                return CR_SUCCESS;
        }
    }
}
