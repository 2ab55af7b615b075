using System.Runtime.InteropServices;

namespace DeviceNotify;

internal static partial class Interop
{
    // <sys/mount.h>
    internal const int MNT_DETACH = 2;

    [LibraryImport(Libc, EntryPoint = "umount2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Umount2(string target, int flags);
}
