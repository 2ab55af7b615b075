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
    internal static ulong? SizeSectors(Device block) => ReadNumber(Path.Combine(block.SysPath, "size"));

    /// <summary>A file holding one decimal number (sysfs attributes, <c>uevent_seqnum</c>); null when unreadable.</summary>
    internal static ulong? ReadNumber(string path)
    {
        string? text = ReadText(path);
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) ? v : null;
    }

    /// <summary>
    /// An input capability bitmap (<c>device/capabilities/NAME</c>), read once for testing many bits; empty when
    /// unreadable. Hex words of <c>unsigned long</c> size, most significant first, as drivers/input/input.c prints them.
    /// </summary>
    internal static ulong[] ReadCapabilities(Device inputEvent, string name)
        => ParseBitmap(ReadText(Path.Combine(inputEvent.SysPath, "device", "capabilities", name)) ?? "");

    /// <summary>Bit <paramref name="bit"/> of a bitmap as <see cref="ReadCapabilities"/> returns it (least significant word first).</summary>
    internal static bool HasBit(ulong[] words, int bit)
        => bit / 64 < words.Length && (words[bit / 64] & (1UL << (bit % 64))) != 0;

    internal static bool HasBit(string bitmap, int bit) => HasBit(ParseBitmap(bitmap), bit);

    private static ulong[] ParseBitmap(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var bits = new ulong[words.Length];
        for (int i = 0; i < words.Length; i++)
        {
            // Printed most significant first; stored least significant first.
            ulong.TryParse(words[words.Length - 1 - i], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out bits[i]);
        }
        return bits;
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
