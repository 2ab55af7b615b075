using System.Globalization;

namespace DeviceNotify.Parsing;

/// <summary>
/// Input capability bitmaps as drivers/input/input.c prints them: hex words of <c>unsigned long</c> size, most
/// significant first, separated by spaces. Pure.
/// </summary>
internal static class CapabilityBitmap
{
    /// <summary>The words, least significant first; empty for null or unparsable text.</summary>
    internal static ulong[] Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return [];
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var bits = new ulong[words.Length];
        for (int i = 0; i < words.Length; i++)
            ulong.TryParse(words[words.Length - 1 - i], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out bits[i]);
        return bits;
    }

    /// <summary>Bit <paramref name="bit"/> of a bitmap as <see cref="Parse"/> returns it.</summary>
    internal static bool HasBit(ulong[] words, int bit)
        => bit / 64 < words.Length && (words[bit / 64] & (1UL << (bit % 64))) != 0;
}
