using System.Runtime.InteropServices;

namespace DeviceNotify;

internal static unsafe partial class Interop
{
    // statx(2): its layout is the same on every architecture, unlike struct stat.
    internal const int AT_EMPTY_PATH = 0x1000;
    internal const int AT_SYMLINK_NOFOLLOW = 0x100;
    internal const int AT_NO_AUTOMOUNT = 0x800;
    // Use the attributes the kernel has cached: no round trip to an NFS server or a FUSE daemon (which may be dead).
    internal const int AT_STATX_DONT_SYNC = 0x4000;
    internal const uint STATX_TYPE = 0x1;
    internal const uint STATX_MODE = 0x2;      // [broker] owner and mode, for the broker's authorization
    internal const uint STATX_UID = 0x8;
    internal const uint STATX_GID = 0x10;
    internal const uint STATX_INO = 0x100;
    internal const uint STATX_MNT_ID = 0x1000;
    internal const ushort S_IFMT = 0xF000;
    internal const ushort S_IFBLK = 0x6000;
    internal const ushort S_IFCHR = 0x2000;

    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct Statx
    {
        [FieldOffset(0)] public uint Mask;
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(24)] public uint Gid;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(128)] public uint RDevMajor;
        [FieldOffset(132)] public uint RDevMinor;
        [FieldOffset(136)] public uint DevMajor;
        [FieldOffset(140)] public uint DevMinor;
        [FieldOffset(144)] public ulong MountId;   // the id mountinfo shows in its first field (STATX_MNT_ID, Linux 5.8)
    }

    [LibraryImport(Libc, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int StatX(SafeHandle dirfd, string path, int flags, uint mask, Statx* buffer);
}
