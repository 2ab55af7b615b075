namespace DeviceNotify;

internal static partial class Interop
{
    /// <summary>glibc; every syscall wrapper in this folder binds here.</summary>
    internal const string Libc = "libc";
}
