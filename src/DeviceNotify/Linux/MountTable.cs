namespace DeviceNotify.Linux;

/// <summary>Reads a mountinfo file (the I/O around the pure <see cref="Parsing.MountInfoParser"/>), and answers path questions about it.</summary>
internal static class MountTable
{
    /// <summary>The mount table at <paramref name="path"/>; empty when it cannot be read. Malformed lines are skipped.</summary>
    internal static List<MountPoint> Read(string path)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
        return Parsing.MountInfoParser.Parse(content, out _);
    }

    /// <summary>
    /// The mount a path lives on, by the path alone (no lookup, so it never touches a filesystem): the mount with the
    /// longest mount point that contains the path; among mounts stacked on one point, the top one.
    /// </summary>
    internal static MountPoint? Containing(string path, IReadOnlyList<MountPoint> mounts)
    {
        MountPoint? best = null;
        foreach (var m in mounts)
        {
            if (!IsUnder(path, m.Path))
                continue;
            if (best is null || m.Path.Length > best.Path.Length || (m.Path.Length == best.Path.Length && m.ParentId == best.MountId))
                best = m;
        }
        return best;
    }

    private static bool IsUnder(string path, string mountPoint)
        => mountPoint == "/" ? path.StartsWith('/')
            : path.StartsWith(mountPoint, StringComparison.Ordinal) && (path.Length == mountPoint.Length || path[mountPoint.Length] == '/');
}
