using System.Buffers.Text;
using System.Text;

namespace DeviceNotify.Parsing;

/// <summary>
/// Parses <c>/proc/PID/mountinfo</c> (proc(5), fs/proc_namespace.c show_mountinfo):
/// <c>ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS</c>. Paths have
/// space, tab, newline and backslash written as 3-digit octal escapes. Pure: no I/O, no exceptions.
/// </summary>
internal static class MountInfoParser
{
    /// <summary>Parses every line; malformed lines are skipped and counted in <paramref name="malformed"/>.</summary>
    internal static List<MountPoint> Parse(ReadOnlySpan<byte> content, out int malformed)
    {
        var list = new List<MountPoint>();
        malformed = 0;
        foreach (var range in content.Split((byte)'\n'))
        {
            var line = content[range];
            if (line.IsEmpty)
                continue;
            if (TryParseLine(line, out var mount))
                list.Add(mount!);
            else
                malformed++;
        }
        return list;
    }

    internal static bool TryParseLine(ReadOnlySpan<byte> line, out MountPoint? mount)
    {
        mount = null;
        Span<Range> f = stackalloc Range[64];
        int n = SplitFields(line, f);
        if (n < 10 || n > f.Length)
            return false;
        int sep = -1;
        for (int i = 6; i < n; i++)
        {
            if (line[f[i]].SequenceEqual("-"u8))
            {
                sep = i;
                break;
            }
        }
        if (sep < 0 || n - sep != 4)
            return false;
        var devField = line[f[2]];
        int colon = devField.IndexOf((byte)':');
        if (colon <= 0
            || !TryInt(line[f[0]], out int id) || !TryInt(line[f[1]], out int parent)
            || !TryInt(devField[..colon], out int major) || !TryInt(devField[(colon + 1)..], out int minor))
            return false;
        var root = Unescape(line[f[3]]);
        var path = Unescape(line[f[4]]);
        if (root is null || path is null || path.Length == 0 || path[0] != '/')
            return false;
        var source = Unescape(line[f[sep + 2]]);
        if (source is null)
            return false;
        // Optional fields (proc(5)): "shared:N" (peer group N), "master:N" (slave of group N), "propagate_from:N", "unbindable".
        int? shared = null, master = null;
        for (int i = 6; i < sep; i++)
        {
            var tag = line[f[i]];
            if (tag.StartsWith("shared:"u8) && TryInt(tag[7..], out int g))
                shared = g;
            else if (tag.StartsWith("master:"u8) && TryInt(tag[7..], out int m))
                master = m;
        }
        mount = new MountPoint
        {
            MountId = id,
            ParentId = parent,
            Major = major,
            Minor = minor,
            Root = root,
            Path = path,
            Options = Encoding.UTF8.GetString(line[f[5]]),
            FileSystemType = Encoding.UTF8.GetString(line[f[sep + 1]]),
            Source = source,
            SuperOptions = Encoding.UTF8.GetString(line[f[sep + 3]]),
            SharedPeerGroup = shared,
            MasterPeerGroup = master,
        };
        return true;
    }

    /// <summary>Splits on single spaces (the kernel writes exactly one); returns the count, or more than the span holds on overflow.</summary>
    private static int SplitFields(ReadOnlySpan<byte> line, Span<Range> fields)
    {
        int n = 0, start = 0;
        for (int i = 0; i <= line.Length; i++)
        {
            if (i < line.Length && line[i] != ' ')
                continue;
            if (i > start)
            {
                if (n == fields.Length)
                    return n + 1;
                fields[n++] = new Range(start, i);
            }
            start = i + 1;
        }
        return n;
    }

    private static bool TryInt(ReadOnlySpan<byte> s, out int value)
        => Utf8Parser.TryParse(s, out value, out int used) && used == s.Length && value >= 0;

    /// <summary>Decodes the kernel's octal escapes (<c>\040</c> for a space), as mountinfo and /proc/swaps print paths; null when malformed.</summary>
    internal static string? Unescape(ReadOnlySpan<byte> s)
    {
        if (s.IndexOf((byte)'\\') < 0)
            return Encoding.UTF8.GetString(s);
        var bytes = new byte[s.Length];
        int n = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\')
            {
                bytes[n++] = s[i];
                continue;
            }
            if (i + 3 >= s.Length)
                return null;
            int v = 0;
            for (int k = 1; k <= 3; k++)
            {
                byte c = s[i + k];
                if (c < '0' || c > '7')
                    return null;
                v = (v * 8) + (c - '0');
            }
            if (v > 255)
                return null;
            bytes[n++] = (byte)v;
            i += 3;
        }
        return Encoding.UTF8.GetString(bytes, 0, n);
    }
}
