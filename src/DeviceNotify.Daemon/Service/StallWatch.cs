using System.Collections.Concurrent;
using System.Diagnostics;

namespace DeviceNotify.Daemon.Service;

// Implementation notes:
// - A server-streaming write to a client that stops reading waits for ever once the HTTP/2 flow-control window is
//   full (measured: about 64 KiB, then WriteAsync never completes). The broker never blocks on that: the dispatcher
//   only queues, and each call writes from its own task. What remains is the memory such a call holds (its bounded
//   queue), freed by ending the call when one write has waited longer than the stall timeout.
// - One timer for every call instead of a timer per write: a write only stores its start time.
/// <summary>Ends calls whose client stopped reading.</summary>
internal sealed class StallWatch : IDisposable
{
    private readonly ConcurrentDictionary<IStallable, byte> _calls = new();
    private readonly TimeSpan _timeout;
    private readonly Timer _timer;

    internal StallWatch(TimeSpan timeout)
    {
        _timeout = timeout;
        var period = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(5).Ticks));
        using (ExecutionContext.SuppressFlow())
            _timer = new Timer(_ => Check(), null, period, period);
    }

    internal void Add(IStallable call) => _calls.TryAdd(call, 0);

    internal void Remove(IStallable call) => _calls.TryRemove(call, out _);

    private void Check()
    {
        long now = Stopwatch.GetTimestamp();
        foreach (var call in _calls.Keys)
        {
            long started = call.WriteStartedAt;
            if (started != 0 && Stopwatch.GetElapsedTime(started, now) is var waited && waited > _timeout)
            {
                _calls.TryRemove(call, out _);
                call.Stalled(waited);
            }
        }
    }

    public void Dispose() => _timer.Dispose();
}
