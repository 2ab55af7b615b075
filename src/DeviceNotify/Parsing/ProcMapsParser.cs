using System.Buffers.Text;
using System.Text;

namespace DeviceNotify.Parsing;

/// <summary>
/// Finds the files on given devices that <c>/proc/PID/maps</c> lists. Pure. A line is
/// <c>address perms offset MM:mm inode path</c>; the device is printed in hex, and inode 0 means anonymous memory.
/// </summary>
internal static class ProcMapsParser
{
    /// <summary>The distinct paths of mappings whose device is in <paramref name="devices"/>.</summary>
    internal static List<string> MappedFiles(ReadOnlySpan<byte> maps, IReadOnlySet<(int Major, int Minor)> devices)
    {
        var found = new List<string>();
        foreach (var range in maps.Split((byte)'\n'))
        {
            var line = maps[range];
            // Skip address, perms and offset.
            int field = 0, i = 0;
            while (field < 3 && i < line.Length)
            {
                if (line[i++] == ' ')
                    field++;
            }
            if (field < 3)
                continue;
            int space = line[i..].IndexOf((byte)' ');
            if (space < 0)
                continue;
            var dev = line.Slice(i, space);
            int colon = dev.IndexOf((byte)':');
            if (colon <= 0
                || !Utf8Parser.TryParse(dev[..colon], out int major, out int usedMajor, 'x') || usedMajor != colon
                || !Utf8Parser.TryParse(dev[(colon + 1)..], out int minor, out int usedMinor, 'x') || usedMinor != dev.Length - colon - 1
                || !devices.Contains((major, minor)))
                continue;
            var rest = line[(i + space + 1)..].TrimStart((byte)' ');
            int inodeEnd = rest.IndexOf((byte)' ');
            var inode = inodeEnd < 0 ? rest : rest[..inodeEnd];
            if (inode.SequenceEqual("0"u8))
                continue;
            string path = inodeEnd < 0 ? "" : Encoding.UTF8.GetString(rest[inodeEnd..].Trim((byte)' '));
            if (!found.Contains(path))
                found.Add(path);
        }
        return found;
    }
}
