using System.Runtime.InteropServices;

namespace DeviceNotify;

internal static partial class Interop
{
    // errno values from <asm-generic/errno-base.h> and <asm-generic/errno.h> (x86_64 and arm64 agree).
    internal const int EPERM = 1;
    internal const int ENOENT = 2;
    internal const int EINTR = 4;
    internal const int EAGAIN = 11;
    internal const int EACCES = 13;
    internal const int EBUSY = 16;
    internal const int EINVAL = 22;
    internal const int ENOBUFS = 105;

    /// <summary>The errno of the last P/Invoke made with SetLastError = true.</summary>
    internal static int LastErrno => Marshal.GetLastPInvokeError();

    /// <summary>
    /// The one place EINTR is retried: true when a call returned -1 with EINTR and must be repeated.
    /// Every blocking wrapper in this folder loops on it.
    /// </summary>
    internal static bool ShouldRetry(long result) => result < 0 && Marshal.GetLastPInvokeError() == EINTR;

    internal static string StrError(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
