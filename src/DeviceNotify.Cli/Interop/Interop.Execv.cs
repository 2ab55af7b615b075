using System.Runtime.InteropServices;

namespace DeviceNotify.Cli;

internal static unsafe partial class Interop
{
    /// <summary>execv(2): replaces this process's program; returns only on failure (-1, errno set).</summary>
    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true)]
    internal static partial int Execv(byte* path, byte** argv);
}
