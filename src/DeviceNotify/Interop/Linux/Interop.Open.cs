using System.Runtime.InteropServices;

namespace DeviceNotify;

internal static unsafe partial class Interop
{
    internal const int O_RDONLY = 0;
    internal const int O_EXCL = 0x80;      // 0200: on a block device, an exclusive claim (fails if mounted or claimed)
    internal const int O_NONBLOCK = 0x800;
    internal const int O_CLOEXEC = 0x80000;
    internal const int AT_FDCWD = -100;

    // ioctls of <linux/loop.h>
    internal const uint LOOP_CLR_FD = 0x4C01;
    internal const uint LOOP_CTL_REMOVE = 0x4C81;

    [LibraryImport(Libc, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Open(string path, int flags);

    [LibraryImport(Libc, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(SafeFdHandle fd, nuint request, nint argument);

    [LibraryImport(Libc, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int StatXPath(int dirfd, string path, int flags, uint mask, Statx* buffer);
}
