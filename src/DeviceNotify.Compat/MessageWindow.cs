using System.Runtime.InteropServices;
using DeviceNotify.Compat.Windows;

namespace DeviceNotify.Compat;

/// <summary>
/// A window to receive <see cref="Dbt.WM_DEVICECHANGE"/> with: the stand-in for <c>RegisterClassEx</c> +
/// <c>CreateWindowEx(HWND_MESSAGE)</c> + a message loop. Pass the returned handle to
/// <see cref="User32.RegisterDeviceNotification"/> with <see cref="User32.DEVICE_NOTIFY_WINDOW_HANDLE"/>. On Windows
/// it is a real message-only window with its message loop on a thread of its own (an application that has a window
/// already passes its own HWND instead); on Linux it stands for the procedure. Either way the procedure gets the
/// device events one at a time, on one thread at a time.
/// </summary>
public static class MessageWindow
{
    /// <summary>Creates the window; 0 on failure (<see cref="Kernel32.GetLastError"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="windowProcedure"/> is null.</exception>
    public static nint Create(WNDPROC windowProcedure)
    {
        ArgumentNullException.ThrowIfNull(windowProcedure);
        if (OperatingSystem.IsWindows())
            return MessageWindowHost.Create(windowProcedure);
        if (!OperatingSystem.IsLinux())
            return Kernel32.Fail<nint>(WinError.ERROR_CALL_NOT_IMPLEMENTED);
        Marshal.SetLastPInvokeError(0);
        return Linux.Recipient.CreateWindow(windowProcedure);
    }

    /// <summary>Destroys the window: its procedure is called no more. False with ERROR_INVALID_WINDOW_HANDLE for an unknown one.</summary>
    public static bool Destroy(nint hWnd)
    {
        if (OperatingSystem.IsWindows())
            return MessageWindowHost.Destroy(hWnd);
        if (OperatingSystem.IsLinux() && Linux.Recipient.Destroy(hWnd))
            return true;
        return Kernel32.Fail<bool>(WinError.ERROR_INVALID_WINDOW_HANDLE);
    }
}
