namespace DeviceNotify.Windows.Tests.Kernel;

/// <summary>Collects what a ported callback saw (decoded inside the callback, while the native buffer is valid).</summary>
internal sealed class CompatEventRecorder<T>
{
    private readonly List<T> _events = [];

    internal void Add(T e)
    {
        lock (_events)
        {
            _events.Add(e);
            Monitor.PulseAll(_events);
        }
    }

    internal List<T> All
    {
        get { lock (_events) return [.. _events]; }
    }

    internal bool WaitFor(Func<T, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_events)
        {
            while (!_events.Any(match))
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                    return false;
                Monitor.Wait(_events, left);
            }
            return true;
        }
    }
}
