using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace DeviceNotify.Compat.Windows;

// Implementation notes:
// - On Windows every compatibility function forwards to the real one: the structures are the SDK's layouts, so the
//   caller's pointers go straight through. Entry points are the Unicode ("W") ones, as the SDK's macros pick under
//   UNICODE. Functions that set the thread's last error are declared SetLastError = true, so Kernel32.GetLastError
//   (Marshal.GetLastPInvokeError) reads what Windows set.
// - Nothing here has run on Windows (see the README): the declarations follow the SDK 10.0.16299 prototypes.
[SupportedOSPlatform("windows")]
internal static unsafe partial class NativeMethods
{
    private const string CfgMgr32 = "cfgmgr32.dll";
    private const string User32 = "user32.dll";
    private const string AdvApi32 = "advapi32.dll";
    private const string Kernel32 = "kernel32.dll";

    [LibraryImport(CfgMgr32)]
    internal static partial CONFIGRET CM_Register_Notification(CM_NOTIFY_FILTER* pFilter, void* pContext, nint pCallback, nint* pNotifyContext);

    [LibraryImport(CfgMgr32)]
    internal static partial CONFIGRET CM_Unregister_Notification(nint NotifyContext);

    [LibraryImport(CfgMgr32)]
    internal static partial CONFIGRET CM_Get_Device_Interface_List_SizeW(uint* pulLen, Guid* InterfaceClassGuid, char* pDeviceID, uint ulFlags);

    [LibraryImport(CfgMgr32)]
    internal static partial CONFIGRET CM_Get_Device_Interface_ListW(Guid* InterfaceClassGuid, char* pDeviceID, char* Buffer, uint BufferLen, uint ulFlags);

    [LibraryImport(CfgMgr32)]
    internal static partial CONFIGRET CM_Get_Device_Interface_PropertyW(char* pszDeviceInterface, DEVPROPKEY* PropertyKey, uint* PropertyType, byte* PropertyBuffer, uint* PropertyBufferSize, uint ulFlags);

    [LibraryImport(CfgMgr32)]
    internal static partial CONFIGRET CM_Locate_DevNodeW(uint* pdnDevInst, char* pDeviceID, uint ulFlags);

    [LibraryImport(CfgMgr32)]
    internal static partial CONFIGRET CM_Get_Device_ID_Size(uint* pulLen, uint dnDevInst, uint ulFlags);

    [LibraryImport(CfgMgr32)]
    internal static partial CONFIGRET CM_Get_Device_IDW(uint dnDevInst, char* Buffer, uint BufferLen, uint ulFlags);

    [LibraryImport(CfgMgr32)]
    internal static partial CONFIGRET CM_Request_Device_EjectW(uint dnDevInst, PNP_VETO_TYPE* pVetoType, char* pszVetoName, uint ulNameLength, uint ulFlags);

    [LibraryImport(CfgMgr32)]
    internal static partial CONFIGRET CM_Query_And_Remove_SubTreeW(uint dnAncestor, PNP_VETO_TYPE* pVetoType, char* pszVetoName, uint ulNameLength, uint ulFlags);

    [LibraryImport(User32, SetLastError = true)]
    internal static partial nint RegisterDeviceNotificationW(nint hRecipient, void* NotificationFilter, uint Flags);

    [LibraryImport(User32, SetLastError = true)]
    internal static partial int UnregisterDeviceNotification(nint Handle);

    [LibraryImport(AdvApi32, StringMarshalling = StringMarshalling.Utf16, SetLastError = true)]
    internal static partial nint RegisterServiceCtrlHandlerExW(string lpServiceName, nint lpHandlerProc, void* lpContext);

    [LibraryImport(Kernel32, StringMarshalling = StringMarshalling.Utf16, SetLastError = true)]
    internal static partial nint CreateFileW(string lpFileName, uint dwDesiredAccess, uint dwShareMode, void* lpSecurityAttributes,
        uint dwCreationDisposition, uint dwFlagsAndAttributes, nint hTemplateFile);

    [LibraryImport(Kernel32, SetLastError = true)]
    internal static partial int CloseHandle(nint hObject);

    [LibraryImport(Kernel32, SetLastError = true)]
    internal static partial int DeviceIoControl(nint hDevice, uint dwIoControlCode, void* lpInBuffer, uint nInBufferSize, void* lpOutBuffer,
        uint nOutBufferSize, uint* lpBytesReturned, void* lpOverlapped);
}
