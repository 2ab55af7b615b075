using System.Runtime.InteropServices;

namespace DeviceNotify.Cli;

/// <summary>The one system call the CLI makes itself: poll(2), to notice that its output's reader went away.</summary>
internal static unsafe partial class Interop
{
    internal const short POLLERR = 0x008;
    internal const short POLLHUP = 0x010;
    internal const short POLLNVAL = 0x020;

    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);
}
