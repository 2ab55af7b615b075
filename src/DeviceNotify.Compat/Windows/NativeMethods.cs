using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace DeviceNotify.Compat.Windows;

// Implementation notes:
// - On Windows every compatibility function forwards to the real one: the structures are the SDK's layouts, so the
//   caller's pointers go straight through. The cfgmgr32 functions use the library's declarations
//   (DeviceNotify.Interop.CfgMgr32, whose structures have the same layouts: both are checked against the SDK); the
//   user32/advapi32/kernel32 ones are here, in the shapes the compatibility API passes on. Entry points are the Unicode ("W") ones, as the SDK's macros pick under
//   UNICODE. Functions that set the thread's last error are declared SetLastError = true, so Kernel32.GetLastError
//   (Marshal.GetLastPInvokeError) reads what Windows set.
// - Nothing here has run on Windows (see the README): the declarations follow the SDK 10.0.16299 prototypes.
[SupportedOSPlatform("windows")]
internal static unsafe partial class NativeMethods
{
    private const string User32 = "user32.dll";
    private const string AdvApi32 = "advapi32.dll";
    private const string Kernel32 = "kernel32.dll";

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
