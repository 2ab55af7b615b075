namespace DeviceNotify.Linux;

/// <summary>
/// The mount namespaces one holder scan has looked at (each is read once), and which mounts in them receive an
/// unmount made in ours by propagation (mount_namespaces(7): a peer of our mount's group, or a slave of it).
/// </summary>
internal sealed class MountNamespaces
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly HashSet<int> _ourGroups = [];

    internal MountNamespaces(string? own, IEnumerable<MountPoint> ourMountsOfTargets)
    {
        if (own is not null)
            _seen.Add(own);
        foreach (var m in ourMountsOfTargets)
        {
            if (m.SharedPeerGroup is int g)
                _ourGroups.Add(g);
        }
    }

    /// <summary>True the first time a namespace is seen (thread-safe).</summary>
    internal bool FirstVisit(string ns)
    {
        lock (_seen)
            return _seen.Add(ns);
    }

    internal bool ReceivesOurUnmount(MountPoint m)
        => (m.SharedPeerGroup is int s && _ourGroups.Contains(s)) || (m.MasterPeerGroup is int g && _ourGroups.Contains(g));
}
