using System.Buffers.Binary;
using System.Runtime.InteropServices;
using static DeviceNotify.Interop.Kernel32;

namespace DeviceNotify.Windows;

// Implementation notes (what a handle is bound to, the Windows side of HandleIdentity):
// - IOCTL_STORAGE_GET_DEVICE_NUMBER gives (FILE_DEVICE_* type, device number, partition number), "guaranteed to
//   remain unchanged until the system is rebooted" (winioctl.h): the Windows counterpart of a major:minor pair.
//   Major = type << 16 | number; Minor = partition (0 for a whole disk), with bit 16 set for a volume, because a
//   volume that fills an unpartitioned disk (a "superfloppy" USB stick) reports partition 0 like the disk itself.
//   A handle is a volume when IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS answers (ERROR_MORE_DATA counts: a spanned volume).
// - A handle to a file or directory names the volume that holds it: GetFinalPathNameByHandle(VOLUME_NAME_GUID) gives
//   \\?\Volume{…}\path; the volume (without the trailing part) is opened with no access rights and asked.
// - Only disks, CD-ROMs and volumes have such numbers; a handle to anything else (HID, COM) gives none.
internal static class StorageIdentity
{
    internal const int VolumeBit = 0x10000;

    /// <summary>The identity of the device or volume behind <paramref name="handle"/>; null when it is not on storage.</summary>
    internal static HandleIdentity? Of(INativeMethods native, SafeHandle handle)
    {
        if (Read(native, handle) is { } direct)
            return direct;
        if (native.GetFinalPathWithVolumeGuid(handle) is not { } path || VolumeOf(path) is not { } volume)
            return null;
        using var volumeHandle = native.Open(volume, 0, out _);
        return volumeHandle is null ? null : Read(native, volumeHandle) is { } id ? id with { IsDeviceNode = false } : null;
    }

    /// <summary>The numbers of a disk, CD-ROM or volume handle; null when the handle answers neither IOCTL.</summary>
    internal static HandleIdentity? Read(INativeMethods native, SafeHandle handle)
    {
        Span<byte> number = stackalloc byte[12];
        if (!native.IoControl(handle, IOCTL_STORAGE_GET_DEVICE_NUMBER, number, out int returned, out _) || returned < 12)
            return null;
        uint type = BinaryPrimitives.ReadUInt32LittleEndian(number);
        uint device = BinaryPrimitives.ReadUInt32LittleEndian(number[4..]);
        uint partition = BinaryPrimitives.ReadUInt32LittleEndian(number[8..]);
        Span<byte> extents = stackalloc byte[32];
        bool volume = native.IoControl(handle, IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS, extents, out _, out int error) || error == ERROR_MORE_DATA;
        return new HandleIdentity((int)((type & 0x7FFF) << 16 | (device & 0xFFFF)), (int)(partition & 0xFFFF) | (volume ? VolumeBit : 0), true, true);
    }

    /// <summary>"\\?\Volume{…}" (no trailing separator: the volume itself) from a path that starts with one.</summary>
    internal static string? VolumeOf(string path)
    {
        const string prefix = @"\\?\Volume{";
        if (!path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            return null;
        int end = path.IndexOf('}', prefix.Length);
        return end < 0 ? null : path[..(end + 1)];
    }
}
