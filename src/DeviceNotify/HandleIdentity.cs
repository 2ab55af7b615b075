using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace DeviceNotify;

/// <summary>
/// What an open handle is bound to, by <c>statx</c>: a device node names its own device (st_rdev); a file or
/// directory names the volume that holds it (st_dev). On Windows the numbers are the storage device numbers
/// (<c>IOCTL_STORAGE_GET_DEVICE_NUMBER</c>: type and number, partition), for disks, volumes and files on volumes.
/// </summary>
/// <param name="Major">Device number, major part.</param>
/// <param name="Minor">Device number, minor part.</param>
/// <param name="IsDeviceNode">True for a block or character device node; false for a file on a volume.</param>
/// <param name="IsBlock">True when the device is a block device (a device node of type block, or the volume under a file).</param>
public readonly record struct HandleIdentity(int Major, int Minor, bool IsDeviceNode, bool IsBlock)
{
    /// <summary>Reads the identity of an open handle.</summary>
    /// <exception cref="ArgumentException">The handle is closed or invalid (on Windows: or not on a disk or volume).</exception>
    /// <exception cref="DeviceNotifyException">statx failed.</exception>
    [SupportedOSPlatform("linux")]
    [SupportedOSPlatform("windows")]
    public static unsafe HandleIdentity Of(SafeHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (handle.IsInvalid || handle.IsClosed)
            throw new ArgumentException("The handle is closed or invalid.", nameof(handle));
        if (OperatingSystem.IsWindows())
            return Windows.StorageIdentity.Of(Windows.NativeMethods.Instance, handle)
                ?? throw new ArgumentException("The handle is not on a disk or volume (Windows handle registrations are bound by storage device number).", nameof(handle));
        Interop.Statx st;
        if (Interop.StatX(handle, "", Interop.AT_EMPTY_PATH, Interop.STATX_TYPE, &st) != 0)
        {
            int errno = Interop.LastErrno;
            throw new DeviceNotifyException($"statx on the handle failed: {Interop.StrError(errno)}.", errno);
        }
        int type = st.Mode & Interop.S_IFMT;
        if (type is Interop.S_IFBLK or Interop.S_IFCHR)
            return new HandleIdentity((int)st.RDevMajor, (int)st.RDevMinor, true, type == Interop.S_IFBLK);
        return new HandleIdentity((int)st.DevMajor, (int)st.DevMinor, false, true);
    }

    /// <summary>"major:minor", as in mountinfo.</summary>
    public override string ToString() => $"{Major}:{Minor}";

    internal bool Matches(Device d)
        => d.Major == Major && d.Minor == Minor && (d.Subsystem == "block") == IsBlock;
}
