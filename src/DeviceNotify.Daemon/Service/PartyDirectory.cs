namespace DeviceNotify.Daemon.Service;

/// <summary>
/// The remote parties of every session, by devpath, so a removal of their device (or an ancestor) unbinds them for
/// good: one registration on the broker's watcher sees every removal.
/// </summary>
internal sealed class PartyDirectory : IDisposable
{
    private readonly object _gate = new();
    private readonly HashSet<RemoteParty> _parties = [];
    private readonly DeviceRegistration _removals;

    internal PartyDirectory(DeviceWatcher watcher)
        => _removals = watcher.Register(DeviceFilter.AllDevices, OnNotification, new RegistrationOptions { Name = "broker: removals of registered devices" });

    internal int Count
    {
        get
        {
            lock (_gate)
                return _parties.Count;
        }
    }

    internal void Add(RemoteParty party)
    {
        lock (_gate)
            _parties.Add(party);
    }

    internal void Remove(RemoteParty party)
    {
        lock (_gate)
            _parties.Remove(party);
    }

    private void OnNotification(DeviceNotification n)
    {
        if (n.Action != NotificationAction.InstanceRemoved || n.Device is not { } removed)
            return;
        string below = removed.DevPath + "/";
        lock (_gate)
        {
            foreach (var p in _parties)
            {
                if (p.DevPath == removed.DevPath || p.DevPath.StartsWith(below, StringComparison.Ordinal))
                    p.MarkGone();
            }
        }
    }

    public void Dispose() => _removals.Dispose();
}
