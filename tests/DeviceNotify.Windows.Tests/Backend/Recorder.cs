namespace DeviceNotify.Windows.Tests.Backend;

/// <summary>Collects notifications and waits for conditions over them.</summary>
internal sealed class Recorder
{
    private readonly List<DeviceNotification> _all = [];

    internal void Add(DeviceNotification n)
    {
        lock (_all)
        {
            _all.Add(n);
            Monitor.PulseAll(_all);
        }
    }

    internal List<DeviceNotification> All
    {
        get { lock (_all) return [.. _all]; }
    }

    internal List<NotificationAction> Actions => All.Select(n => n.Action).ToList();

    internal bool WaitFor(Func<List<DeviceNotification>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_all)
        {
            while (!condition(_all))
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !Monitor.Wait(_all, left) && !condition(_all))
                    return condition(_all);
            }
            return true;
        }
    }

    internal bool WaitFor(NotificationAction action, TimeSpan timeout) => WaitFor(a => a.Any(n => n.Action == action), timeout);
}
