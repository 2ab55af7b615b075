using System.Globalization;
using System.Runtime.Versioning;
using DeviceNotify.Parsing;

namespace DeviceNotify.Daemon.Peers;

/// <summary>What /proc says about a peer process: its command, start time and groups. Unreadable means unknown, never an exception.</summary>
[SupportedOSPlatform("linux")]
internal static class PeerProcess
{
    internal static string Command(int pid) => Read(pid, "comm")?.TrimEnd('\n') ?? "?";

    internal static ulong StartTime(int pid)
        => Read(pid, "stat") is { } stat && ProcStatParser.TryParseStartTime(System.Text.Encoding.UTF8.GetBytes(stat), out ulong start) ? start : 0;

    /// <summary>The supplementary groups ("Groups:" of /proc/PID/status); empty when unreadable.</summary>
    internal static IReadOnlyList<uint> Groups(int pid) => ParseGroups(Read(pid, "status"));

    /// <summary>Pure: the "Groups:" line of a status file.</summary>
    internal static IReadOnlyList<uint> ParseGroups(string? status)
    {
        if (status is null)
            return [];
        foreach (var line in status.Split('\n'))
        {
            if (!line.StartsWith("Groups:", StringComparison.Ordinal))
                continue;
            var groups = new List<uint>();
            foreach (var field in line[7..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (uint.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out uint g))
                    groups.Add(g);
            }
            return groups;
        }
        return [];
    }

    private static string? Read(int pid, string file)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/{file}");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
