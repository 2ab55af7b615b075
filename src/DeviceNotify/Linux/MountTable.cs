namespace DeviceNotify.Linux;

/// <summary>Reads a mountinfo file (the I/O around the pure <see cref="Parsing.MountInfoParser"/>).</summary>
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
}
