using System.Runtime.InteropServices;

namespace DeviceNotify;

internal static unsafe partial class Interop
{
    [LibraryImport(Libc, EntryPoint = "readlink", SetLastError = true)]
    internal static partial nint ReadLink(byte* path, byte* buffer, nuint bufferSize);
}
