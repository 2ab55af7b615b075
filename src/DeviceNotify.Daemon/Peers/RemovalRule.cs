using System.Globalization;

namespace DeviceNotify.Daemon.Peers;

/// <summary>
/// Who may request dismount, lock, eject (and see a volume's holders): root; the owner of the device node; a member of
/// its group when the group may write it. Anyone may subscribe and register handles. Pure.
/// </summary>
internal static class RemovalRule
{
    /// <summary>Null when allowed; otherwise the refusal, naming the rule and why the caller does not meet it.</summary>
    /// <param name="uid">The caller's uid (SO_PEERCRED).</param>
    /// <param name="gid">The caller's primary gid.</param>
    /// <param name="groups">The caller's supplementary groups.</param>
    /// <param name="pid">The caller's pid, for the message.</param>
    /// <param name="operation">dismount, lock, eject, holders.</param>
    /// <param name="deviceName">The device node's path, for the message.</param>
    /// <param name="node">The device node's ownership; null when the broker sees no node for the device.</param>
    internal static string? Check(uint uid, uint gid, IReadOnlyCollection<uint> groups, int pid, string operation, string deviceName, DeviceNode? node)
    {
        if (uid == 0)
            return null;
        if (node is { } n)
        {
            if (n.Uid == uid)
                return null;
            if ((n.Mode & UnixFileMode.GroupWrite) != 0 && (n.Gid == gid || groups.Contains(n.Gid)))
                return null;
        }
        string facts = node is { } m
            ? string.Create(CultureInfo.InvariantCulture, $"{deviceName} is owned by uid {m.Uid}, group {m.Gid}, mode {Convert.ToString((int)m.Mode, 8)}")
            : $"the broker sees no device node for {deviceName}";
        return string.Create(CultureInfo.InvariantCulture,
            $"{operation} of {deviceName} needs root, or ownership of its device node, or write permission on it through its group ({facts}); the caller (pid {pid}, uid {uid}, gid {gid}) meets none of these rules.");
    }
}
