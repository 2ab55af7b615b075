using System.Runtime.Versioning;
using DeviceNotify.Linux;

namespace DeviceNotify;

/// <summary>One-shot queries of volumes: block devices of the Volume class, probed by libblkid, joined with mountinfo.</summary>
[SupportedOSPlatform("linux")]
public static class VolumeEnumerator
{
    /// <summary>The mount table this process sees.</summary>
    public const string DefaultMountInfoPath = "/proc/self/mountinfo";

    /// <summary>
    /// Every volume present now, sorted by devpath. A volume that cannot be probed (no permission to read the
    /// device) is still listed, with <see cref="Volume.ProbeError"/> saying why.
    /// </summary>
    public static IReadOnlyList<Volume> GetVolumes(string sysfsRoot = "/sys", string mountInfoPath = DefaultMountInfoPath)
    {
        var mounts = MountTable.Read(mountInfoPath);
        var volumes = new List<Volume>();
        foreach (var device in DeviceEnumerator.GetDevices(sysfsRoot))
        {
            if (!InterfaceClass.Volume.Matches(device))
                continue;
            volumes.Add(Create(device, mounts));
        }
        return volumes;
    }

    /// <summary>The current mount table (malformed lines are skipped).</summary>
    public static IReadOnlyList<MountPoint> GetMountPoints(string mountInfoPath = DefaultMountInfoPath) => MountTable.Read(mountInfoPath);

    internal static Volume Create(Device device, IReadOnlyList<MountPoint> mounts)
    {
        var devNode = device.DevNode ?? "/dev/" + device.SysName;
        var probe = FileSystemProbe.Probe(devNode);
        var mine = device.Major is int major && device.Minor is int minor
            ? mounts.Where(m => m.Major == major && m.Minor == minor).ToList()
            : [];
        return new Volume(device, probe.Type, probe.Label, probe.Uuid, probe.Error, mine);
    }
}
