using System.Runtime.InteropServices;
using DeviceNotify.Compat.Windows;

namespace DeviceNotify.Compat;

/// <summary>
/// <c>RegisterDeviceNotification</c> / <c>UnregisterDeviceNotification</c> (winuser.h) with the SDK's signatures. The
/// recipient is a window (<see cref="MessageWindow.Create"/>; its procedure gets <see cref="Dbt.WM_DEVICECHANGE"/>) or
/// a service (<see cref="AdvApi32.RegisterServiceCtrlHandlerEx"/>; its HandlerEx gets
/// <see cref="AdvApi32.SERVICE_CONTROL_DEVICEEVENT"/>). On Windows both go to user32.dll.
/// </summary>
public static unsafe class User32
{
    /// <summary>The recipient is a window handle.</summary>
    public const uint DEVICE_NOTIFY_WINDOW_HANDLE = 0x00000000;

    /// <summary>The recipient is a service status handle.</summary>
    public const uint DEVICE_NOTIFY_SERVICE_HANDLE = 0x00000001;

    /// <summary>With a <see cref="DEV_BROADCAST_DEVICEINTERFACE"/> filter: every interface class (its class GUID is ignored).</summary>
    public const uint DEVICE_NOTIFY_ALL_INTERFACE_CLASSES = 0x00000004;

    /// <summary>
    /// Registers <paramref name="hRecipient"/> for the events <paramref name="NotificationFilter"/> (a
    /// <see cref="DEV_BROADCAST_DEVICEINTERFACE"/> or a <see cref="DEV_BROADCAST_HANDLE"/>) selects. Returns a null
    /// handle on failure; <see cref="Kernel32.GetLastError"/> says why (ERROR_INVALID_PARAMETER, ERROR_INVALID_DATA,
    /// ERROR_INVALID_HANDLE, ERROR_INVALID_WINDOW_HANDLE).
    /// </summary>
    public static HDEVNOTIFY RegisterDeviceNotification(nint hRecipient, void* NotificationFilter, uint Flags)
    {
        if (OperatingSystem.IsWindows())
            return new HDEVNOTIFY(NativeMethods.RegisterDeviceNotificationW(hRecipient, NotificationFilter, Flags));
        if (!OperatingSystem.IsLinux())
            return Kernel32.Fail<HDEVNOTIFY>(WinError.ERROR_CALL_NOT_IMPLEMENTED);
        var handle = Linux.BroadcastRegistrar.Register(hRecipient, NotificationFilter, Flags, out uint error);
        Marshal.SetLastPInvokeError((int)error);
        return handle;
    }

    /// <summary>
    /// Ends a registration; from inside the recipient's own call for it, it returns at once (Windows would deadlock).
    /// False with ERROR_INVALID_HANDLE for a handle that is not a live registration.
    /// </summary>
    public static bool UnregisterDeviceNotification(HDEVNOTIFY Handle)
    {
        if (OperatingSystem.IsWindows())
            return NativeMethods.UnregisterDeviceNotification(Handle.Value) != 0;
        if (!OperatingSystem.IsLinux())
            return Kernel32.Fail<bool>(WinError.ERROR_CALL_NOT_IMPLEMENTED);
        if (Linux.BroadcastRegistrar.Unregister(Handle))
            return true;
        return Kernel32.Fail<bool>(WinError.ERROR_INVALID_HANDLE);
    }
}
