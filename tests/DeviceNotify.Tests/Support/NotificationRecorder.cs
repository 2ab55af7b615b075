namespace DeviceNotify.Tests.Support;

/// <summary>
/// Collects notifications from a registration callback, checks pairing as they come (arrival and removal must
/// alternate per interface, starting with arrival), and keeps the resulting view.
/// </summary>
internal sealed class NotificationRecorder
{
    private readonly object _gate = new();
    private readonly List<DeviceNotification> _all = [];
    private readonly Dictionary<string, DeviceInterface> _view = new(StringComparer.Ordinal);
    private readonly List<string> _violations = [];
    private readonly Dictionary<string, int> _arrivals = new(StringComparer.Ordinal);

    public void Record(DeviceNotification n)
    {
        lock (_gate)
        {
            _all.Add(n);
            if (n.Interface is { } i)
            {
                string key = i.Class.Guid + "|" + i.Device.DevPath;
                if (n.Action == NotificationAction.InterfaceArrival)
                {
                    if (!_view.TryAdd(key, i))
                        _violations.Add($"double arrival of {i}");
                    _arrivals[i.Path] = _arrivals.GetValueOrDefault(i.Path) + 1;
                }
                else if (n.Action == NotificationAction.InterfaceRemoval && !_view.Remove(key))
                {
                    _violations.Add($"removal without arrival of {i}");
                }
            }
            Monitor.PulseAll(_gate);
        }
    }

    public IReadOnlyList<DeviceNotification> All
    {
        get { lock (_gate) return _all.ToList(); }
    }

    public IReadOnlyList<string> Violations
    {
        get { lock (_gate) return _violations.ToList(); }
    }

    /// <summary>The interface paths currently present, as told.</summary>
    public SortedSet<string> ViewPaths
    {
        get { lock (_gate) return new SortedSet<string>(_view.Values.Select(v => v.Path), StringComparer.Ordinal); }
    }

    public int ArrivalCount(string path)
    {
        lock (_gate) return _arrivals.GetValueOrDefault(path);
    }

    /// <summary>Waits until <paramref name="condition"/> holds over the notifications so far; false on timeout.</summary>
    public bool WaitUntil(Func<IReadOnlyList<DeviceNotification>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (!condition(_all))
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                    return false;
                Monitor.Wait(_gate, left);
            }
            return true;
        }
    }
}
