using System.Globalization;

namespace DeviceNotify.Linux;

/// <summary>
/// The few sysfs attributes the built-in class predicates need beyond a device's uevent properties.
/// Every read tolerates the device vanishing (returns the "unknown" answer).
/// </summary>
internal static class SysfsAttributes
{
    /// <summary>True when a block disk has partition children (directories holding a <c>partition</c> file).</summary>
    internal static bool HasPartitions(Device disk)
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

    /// <summary>Size in 512-byte sectors from the <c>size</c> attribute; null when unreadable.</summary>
    internal static long? SizeSectors(Device block)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(block.SysPath, "size")).Trim();
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>
    /// Tests bit <paramref name="bit"/> of an input capability bitmap (<c>device/capabilities/NAME</c>): hex words of
    /// <c>unsigned long</c> size, most significant word first, as drivers/input/input.c prints them.
    /// </summary>
    internal static bool HasCapability(Device inputEvent, string name, int bit)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(inputEvent.SysPath, "device", "capabilities", name)).Trim();
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
        return HasBit(text, bit);
    }

    internal static bool HasBit(string bitmap, int bit)
    {
        var words = bitmap.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int index = bit / 64;
        if (index >= words.Length)
            return false;
        var word = words[words.Length - 1 - index];
        return ulong.TryParse(word, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong v) && (v & (1UL << (bit % 64))) != 0;
    }
}
