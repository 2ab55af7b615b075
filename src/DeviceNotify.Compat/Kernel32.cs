using System.Runtime.InteropServices;
using DeviceNotify.Compat.Windows;

namespace DeviceNotify.Compat;

/// <summary>
/// The kernel32 calls device code makes around notifications: <see cref="CreateFile"/>, <see cref="CloseHandle"/>,
/// <see cref="DeviceIoControl"/> for the volume <c>FSCTL_*</c> codes, and <see cref="GetLastError"/>. On Windows they
/// go to kernel32.dll. On Linux a handle is a file descriptor, and "\\.\" followed by a device node or a mount point
/// (the stand-in for "\\.\E:") opens a volume handle for the FSCTL codes, which drive DeviceNotify's removal
/// coordinator.
/// </summary>
public static unsafe class Kernel32
{
    /// <summary>Read access.</summary>
    public const uint GENERIC_READ = 0x80000000;

    /// <summary>Write access.</summary>
    public const uint GENERIC_WRITE = 0x40000000;

    /// <summary>Others may read.</summary>
    public const uint FILE_SHARE_READ = 0x00000001;

    /// <summary>Others may write.</summary>
    public const uint FILE_SHARE_WRITE = 0x00000002;

    /// <summary>Others may delete.</summary>
    public const uint FILE_SHARE_DELETE = 0x00000004;

    /// <summary>Open only if it exists (the one disposition the Linux side supports).</summary>
    public const uint OPEN_EXISTING = 3;

    /// <summary>Needed on Windows to open a directory.</summary>
    public const uint FILE_FLAG_BACKUP_SEMANTICS = 0x02000000;

    /// <summary><c>INVALID_HANDLE_VALUE</c>: what <see cref="CreateFile"/> returns on failure.</summary>
    public const nint INVALID_HANDLE_VALUE = -1;

    /// <summary><c>FSCTL_LOCK_VOLUME</c> (CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 6, METHOD_BUFFERED, FILE_ANY_ACCESS)).</summary>
    public const uint FSCTL_LOCK_VOLUME = 0x00090018;

    /// <summary><c>FSCTL_UNLOCK_VOLUME</c> (CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 7, METHOD_BUFFERED, FILE_ANY_ACCESS)).</summary>
    public const uint FSCTL_UNLOCK_VOLUME = 0x0009001C;

    /// <summary><c>FSCTL_DISMOUNT_VOLUME</c> (CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 8, METHOD_BUFFERED, FILE_ANY_ACCESS)).</summary>
    public const uint FSCTL_DISMOUNT_VOLUME = 0x00090020;

    /// <summary>
    /// Opens a device, a file, or (with the "\\.\" prefix) a volume. Returns <see cref="INVALID_HANDLE_VALUE"/> on
    /// failure (<see cref="GetLastError"/>: ERROR_FILE_NOT_FOUND, ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ...).
    /// On Linux only <see cref="OPEN_EXISTING"/> is supported (ERROR_NOT_SUPPORTED otherwise).
    /// </summary>
    public static nint CreateFile(string lpFileName, uint dwDesiredAccess, uint dwShareMode, void* lpSecurityAttributes,
        uint dwCreationDisposition, uint dwFlagsAndAttributes, nint hTemplateFile)
    {
        if (string.IsNullOrEmpty(lpFileName))
            return Fail<nint>(WinError.ERROR_INVALID_PARAMETER, INVALID_HANDLE_VALUE);
        if (OperatingSystem.IsWindows())
            return NativeMethods.CreateFileW(lpFileName, dwDesiredAccess, dwShareMode, lpSecurityAttributes, dwCreationDisposition, dwFlagsAndAttributes, hTemplateFile);
        if (!OperatingSystem.IsLinux())
            return Fail<nint>(WinError.ERROR_CALL_NOT_IMPLEMENTED, INVALID_HANDLE_VALUE);
        nint handle = Linux.FileHandles.Open(lpFileName, dwDesiredAccess, dwShareMode, dwCreationDisposition, out uint error);
        Marshal.SetLastPInvokeError((int)error);
        return handle;
    }

    /// <summary>Closes a handle from <see cref="CreateFile"/> (a volume handle's lock is released). False with ERROR_INVALID_HANDLE for an unknown one.</summary>
    public static bool CloseHandle(nint hObject)
    {
        if (OperatingSystem.IsWindows())
            return NativeMethods.CloseHandle(hObject) != 0;
        if (OperatingSystem.IsLinux() && Linux.FileHandles.Close(hObject))
            return true;
        return Fail<bool>(WinError.ERROR_INVALID_HANDLE);
    }

    /// <summary>
    /// Sends a control code. On Linux the volume codes are served on a volume handle: <see cref="FSCTL_DISMOUNT_VOLUME"/>
    /// and <see cref="FSCTL_LOCK_VOLUME"/> are negotiated with every registration on the volume (GUID_IO_VOLUME_DISMOUNT /
    /// GUID_IO_VOLUME_LOCK, which they may veto) and every holder; a veto or refusal is FALSE with ERROR_ACCESS_DENIED,
    /// and <see cref="DeviceNotifyCompat.LastRemovalResult"/> names who stopped it. Other codes: ERROR_INVALID_FUNCTION.
    /// Overlapped I/O is not supported on Linux (ERROR_NOT_SUPPORTED).
    /// </summary>
    public static bool DeviceIoControl(nint hDevice, uint dwIoControlCode, void* lpInBuffer, uint nInBufferSize, void* lpOutBuffer,
        uint nOutBufferSize, uint* lpBytesReturned, void* lpOverlapped)
    {
        if (OperatingSystem.IsWindows())
            return NativeMethods.DeviceIoControl(hDevice, dwIoControlCode, lpInBuffer, nInBufferSize, lpOutBuffer, nOutBufferSize, lpBytesReturned, lpOverlapped) != 0;
        if (!OperatingSystem.IsLinux())
            return Fail<bool>(WinError.ERROR_CALL_NOT_IMPLEMENTED);
        if (lpOverlapped is not null)
            return Fail<bool>(WinError.ERROR_NOT_SUPPORTED);
        if (lpBytesReturned is not null)
            *lpBytesReturned = 0;   // the volume codes return no data
        bool ok = Linux.VolumeControl.Control(hDevice, dwIoControlCode, out uint error);
        Marshal.SetLastPInvokeError((int)error);
        return ok;
    }

    /// <summary>The calling thread's last error, as set by the functions of this layer (or by Windows, through them).</summary>
    public static uint GetLastError() => (uint)Marshal.GetLastPInvokeError();

    internal static T Fail<T>(uint error, T value = default!)
    {
        Marshal.SetLastPInvokeError((int)error);
        return value;
    }
}
