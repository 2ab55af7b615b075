using System.IO.Enumeration;
using System.Text;
using DeviceNotify.Parsing;

namespace DeviceNotify.Linux;

// Implementation notes:
// - Every device has exactly one subsystem, and sysfs lists each device once under the subsystem it belongs
//   to: /sys/class/NAME/* (class devices) or /sys/bus/NAME/devices/* (bus devices), as symlinks into
//   /sys/devices. /sys/block is the old spelling of /sys/class/block, walked for older kernels. This is what
//   libudev's enumerator scans; kobjects with no subsystem directory (net queues) are not listed anywhere.
// - The link target is relative ("../../devices/virtual/net/lo"); it is resolved by hand from one readlink,
//   without a realpath walk per device.
// - Devices vanish during the walk: a missing link or uevent file is skipped, never an error.
// - uevent files are at most PAGE_SIZE bytes; one read fills the buffer.
internal static unsafe class SysfsEnumerator
{
    private const int UEventFileMax = 16384;

    internal static List<Device> Enumerate(string sysfsRoot)
    {
        var devices = new List<Device>(512);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var buffer = new byte[UEventFileMax];

        foreach (var (subsystem, dirRelative) in SubsystemDirectories(sysfsRoot))
            ScanLinks(sysfsRoot, dirRelative, subsystem, devices, seen, buffer);
        ScanLinks(sysfsRoot, "/block", "block", devices, seen, buffer);
        return devices;
    }

    /// <summary>The kernel's uevent sequence number now (<c>/sys/kernel/uevent_seqnum</c>), or 0 when the tree has none.</summary>
    internal static ulong ReadSequenceNumber(string sysfsRoot)
        => SysfsAttributes.ReadNumber(sysfsRoot + "/kernel/uevent_seqnum") ?? 0;

    private static IEnumerable<(string Subsystem, string DirRelative)> SubsystemDirectories(string root)
    {
        foreach (var name in ListNames(root + "/class"))
            yield return (name, "/class/" + name);
        foreach (var name in ListNames(root + "/bus"))
            yield return (name, "/bus/" + name + "/devices");
    }

    private static List<string> ListNames(string directory)
    {
        try
        {
            var e = new FileSystemEnumerable<string>(directory, static (ref FileSystemEntry entry) => entry.FileName.ToString());
            return e.ToList();
        }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
    }

    private static void ScanLinks(string root, string dirRelative, string subsystem, List<Device> devices, HashSet<string> seen, byte[] buffer)
    {
        string subsystemInterned = Utf8StringCache.Get(Encoding.UTF8.GetBytes(subsystem));
        foreach (var name in ListNames(root + dirRelative))
        {
            string? devPath = ReadLinkAsDevPath(root + dirRelative + "/" + name, dirRelative);
            if (devPath is null || !seen.Add(devPath))
                continue;
            int length = ReadFile(root + devPath + "/uevent", buffer);
            if (length < 0)
                continue;
            if (UEventParser.TryParseSysfs(devPath, subsystemInterned, buffer.AsSpan(0, length), root, out var device))
            {
                device!.SetAttributes(SysfsAttributes.Read(device));
                devices.Add(device);
            }
        }
    }

    /// <summary>Reads a symlink in <paramref name="dirRelative"/> and resolves its relative target to a devpath.</summary>
    private static string? ReadLinkAsDevPath(string linkPath, string dirRelative)
    {
        Span<byte> path = stackalloc byte[Encoding.UTF8.GetMaxByteCount(linkPath.Length) + 1];
        int n = Encoding.UTF8.GetBytes(linkPath, path);
        path[n] = 0;
        Span<byte> target = stackalloc byte[4096];
        nint len;
        fixed (byte* p = path)
        fixed (byte* t = target)
        {
            len = Interop.ReadLink(p, t, (nuint)target.Length);
        }
        if (len <= 0 || len >= target.Length)
            return null;
        return ResolveRelative(dirRelative, Encoding.UTF8.GetString(target[..(int)len]));
    }

    /// <summary>"/class/net" + "../../devices/virtual/net/lo" → "/devices/virtual/net/lo".</summary>
    internal static string? ResolveRelative(string dirRelative, string target)
    {
        if (target.StartsWith('/'))
            return null;
        var parts = new List<string>(dirRelative.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var segment in target.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                if (parts.Count == 0)
                    return null;
                parts.RemoveAt(parts.Count - 1);
            }
            else if (segment != ".")
            {
                parts.Add(segment);
            }
        }
        return parts.Count == 0 ? null : "/" + string.Join('/', parts);
    }

    private static int ReadFile(string path, byte[] buffer)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            int total = 0;
            while (total < buffer.Length)
            {
                int r = RandomAccess.Read(handle, buffer.AsSpan(total), total);
                if (r == 0)
                    break;
                total += r;
            }
            return total;
        }
        catch (IOException) { return -1; }
        catch (UnauthorizedAccessException) { return -1; }
    }
}
