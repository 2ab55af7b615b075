using System.Buffers.Text;

namespace DeviceNotify.Parsing;

/// <summary>
/// Reads a process's start time from <c>/proc/PID/stat</c>. Pure. The command (field 2) is in parentheses and may
/// itself hold spaces and parentheses, so fields are counted from the last ')'; the start time is field 22
/// (proc(5)), the 20th token after it, in clock ticks since boot.
/// </summary>
internal static class ProcStatParser
{
    internal static bool TryParseStartTime(ReadOnlySpan<byte> stat, out ulong startTime)
    {
        startTime = 0;
        int close = stat.LastIndexOf((byte)')');
        if (close < 0)
            return false;
        var rest = stat[(close + 1)..];
        int field = 2;
        foreach (var range in rest.Split((byte)' '))
        {
            var token = rest[range];
            if (token.IsEmpty)
                continue;
            if (++field == 22)
                return Utf8Parser.TryParse(token.TrimEnd((byte)'\n'), out startTime, out int used) && used == token.TrimEnd((byte)'\n').Length;
        }
        return false;
    }
}
