using System.Globalization;

namespace DeviceNotify.Linux;

// Implementation notes:
// - Called by the kernel source on its reader thread for each block or input uevent, and by the sysfs walk, never
//   under the dispatcher's lock. sysfs attributes are served from kernel memory (show() callbacks), so these reads
//   do not touch the device; the blocking probes (libblkid) run elsewhere (Dispatch/VolumeProbes).
// - Every read tolerates the device vanishing: the attribute is then unknown.
/// <summary>Reads the <see cref="DeviceAttributes"/> the built-in interface classes need from sysfs.</summary>
internal static class SysfsAttributes
{
    /// <summary>What is known of <paramref name="device"/> beyond its properties; <see cref="DeviceAttributes.None"/> for other subsystems.</summary>
    internal static DeviceAttributes Read(Device device)
    {
        if (string.Equals(device.Subsystem, "block", StringComparison.Ordinal))
        {
            bool disk = string.Equals(device.DevType, "disk", StringComparison.Ordinal);
            return new DeviceAttributes
            {
                SizeSectors = ReadNumber(Path.Combine(device.SysPath, "size")),
                HasPartitions = disk && HasPartitions(device),
            };
        }
        if (string.Equals(device.Subsystem, "input", StringComparison.Ordinal) && device.SysName.StartsWith("event", StringComparison.Ordinal))
        {
            string caps = Path.Combine(device.SysPath, "device", "capabilities");
            return new DeviceAttributes
            {
                InputEventBits = ReadText(Path.Combine(caps, "ev")),
                InputKeyBits = ReadText(Path.Combine(caps, "key")),
                InputRelBits = ReadText(Path.Combine(caps, "rel")),
            };
        }
        return DeviceAttributes.None;
    }

    /// <summary>True when a block disk has partition children (directories holding a <c>partition</c> file).</summary>
    private static bool HasPartitions(Device disk)
    {
        try
        {
            foreach (var dir in Directory.EnumerateDirectories(disk.SysPath, disk.SysName + "*"))
            {
                if (File.Exists(Path.Combine(dir, "partition")))
                    return true;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return false;
    }

    /// <summary>A file holding one decimal number (sysfs attributes, <c>uevent_seqnum</c>); null when unreadable.</summary>
    internal static ulong? ReadNumber(string path)
    {
        string? text = ReadText(path);
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) ? v : null;
    }

    internal static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
