using System.Runtime.InteropServices;

namespace DeviceNotify.Daemon;

internal static partial class Interop
{
    /// <summary>umask(2): sets the process's file mode creation mask, returns the previous one. Cannot fail.</summary>
    [LibraryImport("libc", EntryPoint = "umask")]
    internal static partial uint Umask(uint mask);
}
