using System.Diagnostics;
using System.Diagnostics.Metrics;
using DeviceNotify.Dispatch;

namespace DeviceNotify.Diagnostics;

/// <summary>
/// One watcher's part of the meter: it reads the counters the source and the dispatcher keep anyway (nothing is
/// added to the event path), and starts the measurement of each negotiation.
/// </summary>
internal sealed class WatcherMetrics
{
    private readonly DeviceSource _source;
    private readonly Dispatcher _dispatcher;
    private readonly MeterInstruments _instruments;
    private int _retired;

    private WatcherMetrics(DeviceSource source, Dispatcher dispatcher, MeterInstruments instruments)
    {
        _source = source;
        _dispatcher = dispatcher;
        _instruments = instruments;
    }

    /// <summary>Joins the meter of <paramref name="factory"/> (or the process-wide one).</summary>
    internal static WatcherMetrics Attach(IMeterFactory? factory, DeviceSource source, Dispatcher dispatcher)
    {
        var instruments = MeterInstruments.For(factory);
        var metrics = new WatcherMetrics(source, dispatcher, instruments);
        instruments.Add(metrics);
        return metrics;
    }

    /// <summary>The watcher ended: its final counts stay in the meter's totals. Idempotent.</summary>
    internal void Retire()
    {
        if (Interlocked.Exchange(ref _retired, 1) == 0)
            _instruments.Retire(this);
    }

    internal WatcherSample Sample()
    {
        var c = _source.Counters;
        return new WatcherSample(
            Interlocked.Read(ref c.Received), Interlocked.Read(ref c.RejectedSender), Interlocked.Read(ref c.RejectedCredentials),
            Interlocked.Read(ref c.Truncated), Interlocked.Read(ref c.Malformed), _dispatcher.Reconciled,
            Interlocked.Read(ref c.Overflows), _dispatcher.QueueOverflows, _dispatcher.Resynchronizations,
            _dispatcher.NotificationsDelivered, _dispatcher.NotificationsDropped, _dispatcher.CallbackErrors);
    }

    internal int Registrations => _dispatcher.RegistrationCount;

    internal IEnumerable<DeviceRegistration> LiveRegistrations() => _dispatcher.LiveRegistrations();

    /// <summary>Starts timing a negotiation; the round ends it on every path.</summary>
    internal NegotiationMeasurement StartNegotiation(RemovalOperation operation) => new(_instruments, operation, Stopwatch.GetTimestamp());
}
