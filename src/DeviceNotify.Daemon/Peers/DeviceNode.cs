using System.Runtime.Versioning;

namespace DeviceNotify.Daemon.Peers;

/// <summary>The owner, group and mode of a device node (for the removal rule), by statx without following a symlink.</summary>
/// <param name="Uid">The node's owner.</param>
/// <param name="Gid">The node's group.</param>
/// <param name="Mode">Its permission bits.</param>
[SupportedOSPlatform("linux")]
internal readonly record struct DeviceNode(uint Uid, uint Gid, UnixFileMode Mode)
{
    /// <summary>The node at <paramref name="path"/> when it is a block device with this number; null otherwise.</summary>
    internal static DeviceNode? Of(string? path, int major, int minor)
    {
        const uint mask = DeviceNotify.Interop.STATX_TYPE | DeviceNotify.Interop.STATX_MODE | DeviceNotify.Interop.STATX_UID | DeviceNotify.Interop.STATX_GID;
        if (path is null || !PathStat.TryStat(path, mask, out var st))
            return null;
        if ((st.Mode & DeviceNotify.Interop.S_IFMT) != DeviceNotify.Interop.S_IFBLK || st.RDevMajor != major || st.RDevMinor != minor)
            return null;
        return new DeviceNode(st.Uid, st.Gid, (UnixFileMode)(st.Mode & 0xFFF));
    }
}
