namespace DeviceNotify.Linux;

// Implementation notes:
// - An unmount propagates the way the kernel's propagate_umount walks it (mount_namespaces(7)): for the mount M we
//   unmount, with parent P, every mount in P's propagation group (P's peers, "shared:N", and slaves, "master:N")
//   loses its child at the same mount point, unless that child has submounts of its own. So a mount of the target
//   in another namespace goes away with ours only when its parent is a peer or slave of our mount's parent, it sits
//   at the same path, and nothing is mounted on it. Everything else keeps the filesystem alive: a holder.
// - Each namespace is read once per scan (claimed before reading, released if the read fails, so another process
//   in the same namespace can still be used to read it).
/// <summary>The mount namespaces one holder scan has looked at, and which of their mounts receive our unmount.</summary>
internal sealed class MountNamespaces
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    // Our mounts of the targets: their path, and the peer group of the mount they sit on.
    private readonly List<(string Path, int ParentGroup)> _ours = [];

    internal MountNamespaces(string? own, IReadOnlyList<MountPoint> ourTable, IReadOnlySet<(int Major, int Minor)> targets)
    {
        if (own is not null)
            _seen.Add(own);
        var byId = new Dictionary<int, MountPoint>(ourTable.Count);
        foreach (var m in ourTable)
            byId[m.MountId] = m;
        foreach (var m in ourTable)
        {
            if (targets.Contains((m.Major, m.Minor)) && byId.TryGetValue(m.ParentId, out var parent) && parent.SharedPeerGroup is int g)
                _ours.Add((m.Path, g));
        }
    }

    /// <summary>True the first time a namespace is claimed in this scan (thread-safe).</summary>
    internal bool TryClaim(string ns)
    {
        lock (_seen)
            return _seen.Add(ns);
    }

    /// <summary>A claimed namespace could not be read: let another process in it be used.</summary>
    internal void Release(string ns)
    {
        lock (_seen)
            _seen.Remove(ns);
    }

    /// <summary>True when unmounting our mount of the target also removes <paramref name="theirs"/> (from another namespace's table).</summary>
    internal bool ReceivesOurUnmount(MountPoint theirs, IReadOnlyList<MountPoint> theirTable)
    {
        MountPoint? parent = null;
        foreach (var m in theirTable)
        {
            if (m.ParentId == theirs.MountId && m.MountId != theirs.MountId)
                return false;                          // a submount stops propagation
            if (m.MountId == theirs.ParentId)
                parent = m;
        }
        if (parent is null)
            return false;
        foreach (var (path, group) in _ours)
        {
            if (path == theirs.Path && (parent.SharedPeerGroup == group || parent.MasterPeerGroup == group))
                return true;
        }
        return false;
    }
}
