using System.Runtime.InteropServices;

namespace DeviceNotify;

internal static unsafe partial class Interop
{
    // inotify(7)
    internal const int IN_CLOEXEC = 0x80000;
    internal const int IN_NONBLOCK = 0x800;
    internal const uint IN_CLOSE_WRITE = 0x8;
    internal const uint IN_IGNORED = 0x8000;

    [StructLayout(LayoutKind.Sequential)]
    internal struct InotifyEvent
    {
        public int Wd;
        public uint Mask;
        public uint Cookie;
        public uint Length;
    }

    [LibraryImport(Libc, EntryPoint = "inotify_init1", SetLastError = true)]
    internal static partial int InotifyInit1(int flags);

    [LibraryImport(Libc, EntryPoint = "inotify_add_watch", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int InotifyAddWatch(SafeFdHandle fd, string path, uint mask);

    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(SafeFdHandle fd, void* buffer, nuint count);
}
