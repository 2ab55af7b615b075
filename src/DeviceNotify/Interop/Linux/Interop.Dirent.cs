using System.Runtime.InteropServices;

namespace DeviceNotify;

internal static unsafe partial class Interop
{
    internal const int O_DIRECTORY = 0x10000;

    // struct linux_dirent64: u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[] (NUL-terminated).
    internal const int DirentNameOffset = 19;
    internal const int DirentRecordLengthOffset = 16;

    /// <summary>getdents64(2) (glibc 2.30): directory entries of an open directory, many per call.</summary>
    [LibraryImport(Libc, EntryPoint = "getdents64", SetLastError = true)]
    internal static partial nint GetDents64(SafeFdHandle fd, byte* buffer, nuint count);

    [LibraryImport(Libc, EntryPoint = "openat", SetLastError = true)]
    internal static partial int OpenAt(SafeFdHandle dirfd, byte* path, int flags);

    [LibraryImport(Libc, EntryPoint = "statx", SetLastError = true)]
    internal static partial int StatXAt(SafeFdHandle dirfd, byte* path, int flags, uint mask, Statx* buffer);

    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    internal static partial nint ReadFd(SafeFdHandle fd, byte* buffer, nuint count);

    [LibraryImport(Libc, EntryPoint = "readlinkat", SetLastError = true)]
    internal static partial nint ReadLinkAt(SafeFdHandle dirfd, byte* path, byte* buffer, nuint size);
}
