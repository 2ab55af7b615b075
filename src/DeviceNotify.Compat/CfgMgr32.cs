using DeviceNotify.Compat.Windows;
using Native = DeviceNotify.Interop.CfgMgr32;
using static DeviceNotify.Compat.CONFIGRET;

namespace DeviceNotify.Compat;

/// <summary>
/// The cfgmgr32 functions and constants, with the SDK's names and signatures. On Windows each call goes to
/// cfgmgr32.dll; on Linux it runs on DeviceNotify (device instance IDs are kernel devpaths, symbolic links are
/// device nodes or interface names). <c>using static DeviceNotify.Compat.CfgMgr32;</c> lets ported code call them as
/// in C. They never throw: failures are <see cref="CONFIGRET"/> values. Differences from Windows are listed in the
/// README's compatibility section.
/// </summary>
public static unsafe class CfgMgr32
{
    /// <summary>The longest device instance ID, in characters (with its NUL).</summary>
    public const int MAX_DEVICE_ID_LEN = 200;

    /// <summary><see cref="CM_NOTIFY_FILTER.Flags"/>: every interface class (the class GUID must be zero).</summary>
    public const uint CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES = 0x00000001;

    /// <summary><see cref="CM_NOTIFY_FILTER.Flags"/>: every device instance (the instance ID must be empty).</summary>
    public const uint CM_NOTIFY_FILTER_FLAG_ALL_DEVICE_INSTANCES = 0x00000002;

    /// <summary>Every defined <see cref="CM_NOTIFY_FILTER.Flags"/> bit.</summary>
    public const uint CM_NOTIFY_FILTER_VALID_FLAGS = CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES | CM_NOTIFY_FILTER_FLAG_ALL_DEVICE_INSTANCES;

    /// <summary>List only interfaces that are present now.</summary>
    public const uint CM_GET_DEVICE_INTERFACE_LIST_PRESENT = 0x00000000;

    /// <summary>List every registered interface, present or not (on Linux: the present ones; nothing else is known).</summary>
    public const uint CM_GET_DEVICE_INTERFACE_LIST_ALL_DEVICES = 0x00000001;

    /// <summary>Every defined interface-list flag bit.</summary>
    public const uint CM_GET_DEVICE_INTERFACE_LIST_BITS = 0x00000001;

    /// <summary><see cref="CM_Query_And_Remove_SubTree"/>: a dialog may explain a veto (the default; no dialog on Linux).</summary>
    public const uint CM_REMOVE_UI_OK = 0x00000000;

    /// <summary><see cref="CM_Query_And_Remove_SubTree"/>: no dialog.</summary>
    public const uint CM_REMOVE_UI_NOT_OK = 0x00000001;

    /// <summary><see cref="CM_Query_And_Remove_SubTree"/>: the device must not be restarted.</summary>
    public const uint CM_REMOVE_NO_RESTART = 0x00000002;

    /// <summary><see cref="CM_Query_And_Remove_SubTree"/>: disable the device (Windows 10; mingw-w64, not in SDK 10.0.16299).</summary>
    public const uint CM_REMOVE_DISABLE = 0x00000004;

    /// <summary>The remove flags of SDK 10.0.16299 (<see cref="CM_REMOVE_DISABLE"/> is accepted as well).</summary>
    public const uint CM_REMOVE_BITS = 0x00000003;

    /// <summary><see cref="CM_Locate_DevNode"/>: only a device that is present.</summary>
    public const uint CM_LOCATE_DEVNODE_NORMAL = 0x00000000;

    /// <summary><see cref="CM_Locate_DevNode"/>: also a device that is not present.</summary>
    public const uint CM_LOCATE_DEVNODE_PHANTOM = 0x00000001;

    /// <summary><see cref="CM_Locate_DevNode"/>: also a device being removed (and cancel the removal).</summary>
    public const uint CM_LOCATE_DEVNODE_CANCELREMOVE = 0x00000002;

    /// <summary><see cref="CM_Locate_DevNode"/>: not used.</summary>
    public const uint CM_LOCATE_DEVNODE_NOVALIDATION = 0x00000004;

    /// <summary>Every defined locate flag bit.</summary>
    public const uint CM_LOCATE_DEVNODE_BITS = 0x00000007;

    /// <summary><c>DEVPROP_TYPE_STRING</c>: a NUL-terminated UTF-16 string.</summary>
    public const uint DEVPROP_TYPE_STRING = 0x00000012;

    /// <summary><c>DEVPKEY_Device_InstanceId</c> (devpkey.h): the device instance ID of an interface's device.</summary>
    public static readonly DEVPROPKEY DEVPKEY_Device_InstanceId = new() { fmtid = new Guid("78c34fc8-104a-4aca-9ea4-524d52996e57"), pid = 256 };

    /// <summary>
    /// Registers <paramref name="pCallback"/> for the events <paramref name="pFilter"/> selects. Like Windows it does
    /// not report interfaces already present (list them with <see cref="CM_Get_Device_Interface_List"/> after
    /// registering). Unlike Windows, <see cref="CM_Unregister_Notification"/> may be called from inside the callback.
    /// </summary>
    /// <returns>CR_SUCCESS; CR_FAILURE without <paramref name="pNotifyContext"/>; CR_INVALID_DATA for a missing filter or
    /// callback, a <c>cbSize</c> other than 416, or a bad filter; CR_INVALID_FLAG for bad flags.</returns>
    public static CONFIGRET CM_Register_Notification(CM_NOTIFY_FILTER* pFilter, void* pContext, PCM_NOTIFY_CALLBACK? pCallback, HCMNOTIFICATION* pNotifyContext)
    {
        if (OperatingSystem.IsWindows())
        {
            if (pCallback is null)
                return (CONFIGRET)Native.CM_Register_Notification((Native.CM_NOTIFY_FILTER*)pFilter, (nint)pContext, 0, (nint*)pNotifyContext);
            var result = (CONFIGRET)Native.CM_Register_Notification((Native.CM_NOTIFY_FILTER*)pFilter, (nint)pContext, CallbackPins.PointerFor(pCallback), (nint*)pNotifyContext);
            if (result == CR_SUCCESS)
                CallbackPins.Keep(pNotifyContext->Value, pCallback);
            GC.KeepAlive(pCallback);
            return result;
        }
        return OperatingSystem.IsLinux() ? Linux.CmRegistrar.Register(pFilter, pContext, pCallback, pNotifyContext) : CR_CALL_NOT_IMPLEMENTED;
    }

    /// <summary>
    /// Ends a registration. From another thread it waits for a callback in progress, and no callback comes afterwards.
    /// From inside the registration's own callback it returns at once (Windows deadlocks there; see the seed's
    /// "deferred routine").
    /// </summary>
    /// <returns>CR_SUCCESS; CR_INVALID_POINTER for a handle that is not a live registration.</returns>
    public static CONFIGRET CM_Unregister_Notification(HCMNOTIFICATION NotifyContext)
    {
        if (OperatingSystem.IsWindows())
        {
            var result = (CONFIGRET)Native.CM_Unregister_Notification(NotifyContext.Value);
            if (result == CR_SUCCESS)
                CallbackPins.Release(NotifyContext.Value);
            return result;
        }
        return OperatingSystem.IsLinux() ? Linux.CmRegistrar.Unregister(NotifyContext) : CR_CALL_NOT_IMPLEMENTED;
    }

    /// <summary>The length, in characters, of the list <see cref="CM_Get_Device_Interface_List"/> would return (at least 1).</summary>
    public static CONFIGRET CM_Get_Device_Interface_List_Size(uint* pulLen, Guid* InterfaceClassGuid, char* pDeviceID, uint ulFlags)
    {
        if (OperatingSystem.IsWindows())
            return (CONFIGRET)Native.CM_Get_Device_Interface_List_SizeW(pulLen, InterfaceClassGuid, pDeviceID, ulFlags);
        return OperatingSystem.IsLinux() ? Linux.CmDevices.InterfaceListSize(pulLen, InterfaceClassGuid, pDeviceID, ulFlags) : CR_CALL_NOT_IMPLEMENTED;
    }

    /// <summary>
    /// The interfaces of a class present now (optionally of one device instance), as NUL-separated symbolic links
    /// ending in an extra NUL. CR_BUFFER_SMALL when an interface arrived since the size was asked: ask again.
    /// </summary>
    public static CONFIGRET CM_Get_Device_Interface_List(Guid* InterfaceClassGuid, char* pDeviceID, char* Buffer, uint BufferLen, uint ulFlags)
    {
        if (OperatingSystem.IsWindows())
            return (CONFIGRET)Native.CM_Get_Device_Interface_ListW(InterfaceClassGuid, pDeviceID, Buffer, BufferLen, ulFlags);
        return OperatingSystem.IsLinux() ? Linux.CmDevices.InterfaceList(InterfaceClassGuid, pDeviceID, Buffer, BufferLen, ulFlags) : CR_CALL_NOT_IMPLEMENTED;
    }

    /// <summary>
    /// A property of a device interface. On Linux the one property served is <see cref="DEVPKEY_Device_InstanceId"/>
    /// (the devpath of the interface's device); others give CR_NO_SUCH_VALUE.
    /// </summary>
    public static CONFIGRET CM_Get_Device_Interface_Property(char* pszDeviceInterface, DEVPROPKEY* PropertyKey, uint* PropertyType, byte* PropertyBuffer, uint* PropertyBufferSize, uint ulFlags)
    {
        if (OperatingSystem.IsWindows())
            return (CONFIGRET)Native.CM_Get_Device_Interface_PropertyW(pszDeviceInterface, (Native.DEVPROPKEY*)PropertyKey, PropertyType, PropertyBuffer, PropertyBufferSize, ulFlags);
        return OperatingSystem.IsLinux()
            ? Linux.CmDevices.InterfaceProperty(pszDeviceInterface, PropertyKey, PropertyType, PropertyBuffer, PropertyBufferSize, ulFlags)
            : CR_CALL_NOT_IMPLEMENTED;
    }

    /// <summary>The device node of a device instance ID (null or empty: the root). CR_NO_SUCH_DEVNODE when it is not present.</summary>
    public static CONFIGRET CM_Locate_DevNode(uint* pdnDevInst, char* pDeviceID, uint ulFlags)
    {
        if (OperatingSystem.IsWindows())
            return (CONFIGRET)Native.CM_Locate_DevNodeW(pdnDevInst, pDeviceID, ulFlags);
        return OperatingSystem.IsLinux() ? Linux.CmDevices.Locate(pdnDevInst, pDeviceID, ulFlags) : CR_CALL_NOT_IMPLEMENTED;
    }

    /// <summary>The length of a device node's instance ID, in characters, without the NUL.</summary>
    public static CONFIGRET CM_Get_Device_ID_Size(uint* pulLen, uint dnDevInst, uint ulFlags)
    {
        if (OperatingSystem.IsWindows())
            return (CONFIGRET)Native.CM_Get_Device_ID_Size(pulLen, dnDevInst, ulFlags);
        return OperatingSystem.IsLinux() ? Linux.CmDevices.DeviceIdSize(pulLen, dnDevInst, ulFlags) : CR_CALL_NOT_IMPLEMENTED;
    }

    /// <summary>A device node's instance ID; as much as fits and CR_BUFFER_SMALL when the buffer is too short.</summary>
    public static CONFIGRET CM_Get_Device_ID(uint dnDevInst, char* Buffer, uint BufferLen, uint ulFlags)
    {
        if (OperatingSystem.IsWindows())
            return (CONFIGRET)Native.CM_Get_Device_IDW(dnDevInst, Buffer, BufferLen, ulFlags);
        return OperatingSystem.IsLinux() ? Linux.CmDevices.DeviceId(dnDevInst, Buffer, BufferLen, ulFlags) : CR_CALL_NOT_IMPLEMENTED;
    }

    /// <summary>
    /// Asks to eject a device; on a veto returns CR_REMOVE_VETOED with the veto type and name (a name buffer of
    /// MAX_PATH characters is the documented size). On Linux it runs DeviceNotify's eject negotiation (see
    /// <see cref="CM_Query_And_Remove_SubTree"/>); <paramref name="ulFlags"/> is not used, as on Windows.
    /// </summary>
    public static CONFIGRET CM_Request_Device_Eject(uint dnDevInst, PNP_VETO_TYPE* pVetoType, char* pszVetoName, uint ulNameLength, uint ulFlags)
    {
        if (OperatingSystem.IsWindows())
            return (CONFIGRET)Native.CM_Request_Device_EjectW(dnDevInst, (int*)pVetoType, pszVetoName, ulNameLength, ulFlags);
        return OperatingSystem.IsLinux() ? Linux.CmRemoval.Remove(dnDevInst, pVetoType, pszVetoName, ulNameLength) : CR_CALL_NOT_IMPLEMENTED;
    }

    /// <summary>
    /// Asks every party to agree, then removes a device and its children. On a veto: CR_REMOVE_VETOED, with
    /// <paramref name="pVetoType"/> and <paramref name="pszVetoName"/> naming the first vetoer (on Linux a process that
    /// holds the device is PNP_VetoOutstandingOpen with its command and pid; every party is in
    /// <see cref="DeviceNotifyCompat.LastRemovalResult"/>). Lack of privilege: CR_ACCESS_DENIED.
    /// </summary>
    public static CONFIGRET CM_Query_And_Remove_SubTree(uint dnAncestor, PNP_VETO_TYPE* pVetoType, char* pszVetoName, uint ulNameLength, uint ulFlags)
    {
        if (OperatingSystem.IsWindows())
            return (CONFIGRET)Native.CM_Query_And_Remove_SubTreeW(dnAncestor, (int*)pVetoType, pszVetoName, ulNameLength, ulFlags);
        if (!OperatingSystem.IsLinux())
            return CR_CALL_NOT_IMPLEMENTED;
        if ((ulFlags & ~(CM_REMOVE_BITS | CM_REMOVE_DISABLE)) != 0)
            return CR_INVALID_FLAG;
        return Linux.CmRemoval.Remove(dnAncestor, pVetoType, pszVetoName, ulNameLength);
    }
}
