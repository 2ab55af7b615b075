using System.Runtime.InteropServices;

namespace DeviceNotify;

internal static unsafe partial class Interop
{
    internal const short POLLIN = 0x001;
    internal const short POLLPRI = 0x002;

    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    [LibraryImport(Libc, EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint count, int timeoutMs);
}
