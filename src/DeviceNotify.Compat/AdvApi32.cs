using System.Runtime.InteropServices;
using DeviceNotify.Compat.Windows;

namespace DeviceNotify.Compat;

/// <summary>
/// The service side of device events (winsvc.h): <see cref="RegisterServiceCtrlHandlerEx"/> gives the handle that
/// <see cref="User32.RegisterDeviceNotification"/> takes with <see cref="User32.DEVICE_NOTIFY_SERVICE_HANDLE"/>.
/// </summary>
public static unsafe class AdvApi32
{
    /// <summary>Stop the service.</summary>
    public const uint SERVICE_CONTROL_STOP = 0x00000001;

    /// <summary>Report status.</summary>
    public const uint SERVICE_CONTROL_INTERROGATE = 0x00000004;

    /// <summary>The system is shutting down.</summary>
    public const uint SERVICE_CONTROL_SHUTDOWN = 0x00000005;

    /// <summary>A device event: <c>dwEventType</c> is a <c>DBT_*</c> event, <c>lpEventData</c> a <c>DEV_BROADCAST_HDR*</c>.</summary>
    public const uint SERVICE_CONTROL_DEVICEEVENT = 0x0000000B;

    /// <summary>The hardware profile changed.</summary>
    public const uint SERVICE_CONTROL_HARDWAREPROFILECHANGE = 0x0000000C;

    /// <summary>A power event.</summary>
    public const uint SERVICE_CONTROL_POWEREVENT = 0x0000000D;

    /// <summary>A session change.</summary>
    public const uint SERVICE_CONTROL_SESSIONCHANGE = 0x0000000E;

    /// <summary>Before shutdown.</summary>
    public const uint SERVICE_CONTROL_PRESHUTDOWN = 0x0000000F;

    /// <summary>
    /// Registers a service's control handler (<c>RegisterServiceCtrlHandlerExW</c>). On Windows this works only inside
    /// a service the service control manager started. On Linux the process is the service: the handle stands for
    /// <paramref name="lpHandlerProc"/>, which then receives the device events of registrations made with it. Returns 0
    /// on failure (<see cref="Kernel32.GetLastError"/>: ERROR_INVALID_PARAMETER for a missing name or handler).
    /// </summary>
    public static nint RegisterServiceCtrlHandlerEx(string lpServiceName, LPHANDLER_FUNCTION_EX lpHandlerProc, void* lpContext)
    {
        if (string.IsNullOrEmpty(lpServiceName) || lpHandlerProc is null)
            return Kernel32.Fail<nint>(WinError.ERROR_INVALID_PARAMETER);
        if (OperatingSystem.IsWindows())
        {
            nint handle = NativeMethods.RegisterServiceCtrlHandlerExW(lpServiceName, CallbackPins.PointerFor(lpHandlerProc), lpContext);
            if (handle != 0)
                CallbackPins.Keep(handle, lpHandlerProc);   // a status handle is never closed: the handler lives as long as the service
            return handle;
        }
        if (!OperatingSystem.IsLinux())
            return Kernel32.Fail<nint>(WinError.ERROR_CALL_NOT_IMPLEMENTED);
        Marshal.SetLastPInvokeError(0);
        return Linux.Recipient.CreateService(lpHandlerProc, (nint)lpContext);
    }
}
