using System.Runtime.Versioning;
using DeviceNotify.Negotiation;
using DeviceNotify.Parsing;

namespace DeviceNotify.Linux;

// Implementation notes (holders no process scan can see):
// - Stacked devices: sysfs lists the device-mapper, md and bcache devices built on a block device in
//   /sys/dev/block/MAJ:MIN/holders/.
// - Swap: /proc/swaps names swap partitions (a device node: its st_rdev, statx on devtmpfs never blocks) and swap
//   files (matched by path against the mount table: never stat'ed, the kernel holds them open).
// - Loop devices backed by a file on the volume: /sys/block/loopN/loop/backing_file, matched by path the same way;
//   or backed by the target's device node itself (its st_rdev, statx on devtmpfs).
//   LOOP_GET_STATUS64 would give the backing file's device exactly, but the ioctl hangs when the backing file sits
//   on a dead FUSE or NFS mount; the sysfs path never does. A deleted backing file reads "... (deleted)".
/// <summary>Finds the kernel's own holders of block devices.</summary>
[SupportedOSPlatform("linux")]
internal static unsafe class KernelHolders
{
    internal static void Find(IReadOnlyCollection<Device> targets, IReadOnlySet<(int Major, int Minor)> numbers, IReadOnlyList<MountPoint> mounts,
        string sysRoot, string procRoot, List<PartyResponse> holders)
    {
        foreach (var target in targets)
        {
            if (target.Major is not int major || target.Minor is not int minor)
                continue;
            foreach (var stacked in ListNames($"{sysRoot}/dev/block/{major}:{minor}/holders"))
                holders.Add(KernelParty.Holder(stacked, HolderKind.StackedDevice, $"/dev/{stacked} is built on {target.DevNode} (sysfs holders)"));
        }

        if (ReadBytes(procRoot + "/swaps") is { } swaps)
        {
            foreach (var area in SwapsParser.Parse(swaps))
            {
                bool held = area.IsPartition ? IsNodeOf(area.Path, numbers) : IsOnTargets(area.Path, numbers, mounts);
                if (held)
                    holders.Add(KernelParty.Holder("swap", HolderKind.Swap, $"swap {(area.IsPartition ? "partition" : "file")} {area.Path} is in use (swapoff it)"));
            }
        }

        foreach (var loop in ListNames(sysRoot + "/block"))
        {
            if (!loop.StartsWith("loop", StringComparison.Ordinal) || SysfsAttributes.ReadText($"{sysRoot}/block/{loop}/loop/backing_file") is not { } backing)
                continue;
            string path = backing.EndsWith(" (deleted)", StringComparison.Ordinal) ? backing[..^" (deleted)".Length] : backing;
            // Backed by a file on the volume, or by the target's device node itself (a loop over /dev/sdb1).
            bool held = path.StartsWith("/dev/", StringComparison.Ordinal) ? IsNodeOf(path, numbers) : IsOnTargets(path, numbers, mounts);
            if (held)
                holders.Add(KernelParty.Holder(loop, HolderKind.LoopDevice, $"loop device /dev/{loop} is backed by {backing} (losetup -d it)"));
        }
    }

    private static bool IsOnTargets(string path, IReadOnlySet<(int, int)> numbers, IReadOnlyList<MountPoint> mounts)
        => MountTable.Containing(path, mounts) is { } m && numbers.Contains((m.Major, m.Minor));

    private static bool IsNodeOf(string devNode, IReadOnlySet<(int, int)> numbers)
    {
        Interop.Statx st;
        return Interop.StatXPath(Interop.AT_FDCWD, devNode, Interop.AT_STATX_DONT_SYNC, Interop.STATX_TYPE, &st) == 0
            && (st.Mode & Interop.S_IFMT) == Interop.S_IFBLK && numbers.Contains(((int)st.RDevMajor, (int)st.RDevMinor));
    }

    private static byte[]? ReadBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static IEnumerable<string> ListNames(string directory)
    {
        try
        {
            return Directory.GetFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().ToList();
        }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
    }
}
