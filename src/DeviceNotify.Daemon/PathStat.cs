using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace DeviceNotify.Daemon;

/// <summary>statx of a path, without following a final symlink (the library's declaration, relative to the working directory).</summary>
[SupportedOSPlatform("linux")]
internal static class PathStat
{
    private const int AtFdCwd = -100;

    internal static unsafe bool TryStat(string path, uint mask, out DeviceNotify.Interop.Statx st)
    {
        using var cwd = new SafeFileHandle(AtFdCwd, ownsHandle: false);
        fixed (DeviceNotify.Interop.Statx* p = &st)
            return DeviceNotify.Interop.StatX(cwd, path, DeviceNotify.Interop.AT_SYMLINK_NOFOLLOW, mask, p) == 0;
    }
}
