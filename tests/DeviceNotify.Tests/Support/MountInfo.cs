namespace DeviceNotify.Tests.Support;

/// <summary>Reads /proc/self/mountinfo by device number, so a test can tell which filesystem is mounted where.</summary>
internal static class MountInfo
{
    /// <summary>"major:minor" of a block device node.</summary>
    public static string NumberOf(string devNode)
    {
        var parts = Shell.Check("stat", $"-c %t:%T {devNode}").Trim().Split(':');
        return $"{Convert.ToInt32(parts[0], 16)}:{Convert.ToInt32(parts[1], 16)}";
    }

    /// <summary>The mount points where <paramref name="devNode"/>'s filesystem is mounted now.</summary>
    public static List<string> MountPointsOf(string devNode)
    {
        string number = NumberOf(devNode);
        return File.ReadAllLines("/proc/self/mountinfo")
            .Select(l => l.Split(' '))
            .Where(f => f.Length > 4 && f[2] == number)
            .Select(f => f[4].Replace("\\040", " ", StringComparison.Ordinal))
            .ToList();
    }
}
