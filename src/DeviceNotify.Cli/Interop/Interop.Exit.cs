using System.Runtime.InteropServices;

namespace DeviceNotify.Cli;

internal static partial class Interop
{
    /// <summary>_exit(2): ends the process at once, without the runtime's orderly shutdown.</summary>
    [LibraryImport("libc", EntryPoint = "_exit")]
    internal static partial void Exit(int status);
}
