namespace DeviceNotify.Parsing;

/// <summary>
/// Parses <c>/proc/swaps</c>: a header line, then <c>Filename Type Size Used Priority</c> with the path escaped like
/// mountinfo's (<c>\040</c> for a space). Pure.
/// </summary>
internal static class SwapsParser
{
    internal readonly record struct SwapArea(string Path, bool IsPartition);

    internal static List<SwapArea> Parse(ReadOnlySpan<byte> swaps)
    {
        var list = new List<SwapArea>();
        bool header = true;
        foreach (var range in swaps.Split((byte)'\n'))
        {
            var line = swaps[range];
            if (header)
            {
                header = false;
                continue;
            }
            var trimmed = line.TrimStart((byte)' ');
            int space = trimmed.IndexOfAny((byte)' ', (byte)'\t');
            if (space <= 0)
                continue;
            string? path = MountInfoParser.Unescape(trimmed[..space]);
            if (path is null)
                continue;
            var type = trimmed[space..].TrimStart((byte)' ').TrimStart((byte)'\t');
            list.Add(new SwapArea(path, type.StartsWith("partition"u8)));
        }
        return list;
    }
}
