using System.Runtime.Versioning;

namespace DeviceNotify.Linux;

// Implementation notes:
// - The kernel sends uevents with the credentials of init's user namespace (uid 0). A process in another user
//   namespace receives them translated into its own: as the overflow uid (65534) when root is not mapped, so the
//   credential check (DESIGN.md §2.6, CVE-2009-1185) rightly rejects every one of them. Such a process cannot have a
//   trusted kernel stream and must get its events from the broker.
// - /proc/self/uid_map of the initial namespace maps the whole range onto itself ("0 0 4294967295"); any other
//   content (an empty map, a partial one) is a namespace of its own.
/// <summary>Whether this process sits in the initial user namespace.</summary>
[SupportedOSPlatform("linux")]
internal static class UserNamespaces
{
    private static readonly Lazy<bool> s_foreign = new(() => IsForeign(ReadUidMap("/proc/self/uid_map")));

    /// <summary>True when this process is not in the initial user namespace (read once).</summary>
    internal static bool InForeignNamespace => s_foreign.Value;

    /// <summary>Pure: true unless <paramref name="uidMap"/> is the identity map of the whole uid range.</summary>
    internal static bool IsForeign(string? uidMap)
    {
        if (uidMap is null)
            return false;   // no /proc: nothing to say, assume the usual case
        var lines = uidMap.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length != 1)
            return true;
        var fields = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields is not ["0", "0", "4294967295"];
    }

    private static string? ReadUidMap(string path)
    {
        try
        {
            return File.ReadAllText(path);
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
