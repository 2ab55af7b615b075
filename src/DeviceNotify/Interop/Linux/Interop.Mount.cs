using System.Runtime.InteropServices;

namespace DeviceNotify;

internal static partial class Interop
{
    // <sys/mount.h>
    internal const int MNT_DETACH = 2;
    internal const int UMOUNT_NOFOLLOW = 8;     // do not follow a symlink in the last component of the path

    [LibraryImport(Libc, EntryPoint = "umount2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Umount2(string target, int flags);
}
