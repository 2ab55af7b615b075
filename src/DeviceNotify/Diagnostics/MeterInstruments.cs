using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace DeviceNotify.Diagnostics;

// Implementation notes:
// - One set of instruments per Meter. A meter from an IMeterFactory is shared by everything created through that
//   factory (the factory caches by name), so the instruments are created once per meter and every watcher joins
//   them; without a factory, one process-wide meter serves every watcher.
// - Observable instruments sum the live watchers' counters plus the final counts of the watchers that ended, so a
//   counter never goes down when a watcher is disposed.
// - Lock order: _gate → the dispatcher's lock (the queue-length callback lists registrations). Nothing takes _gate
//   under the dispatcher's lock.
/// <summary>The instruments of one meter, and the watchers that report through them.</summary>
internal sealed class MeterInstruments
{
    private static readonly ConditionalWeakTable<Meter, MeterInstruments> s_byMeter = new();
    private static readonly Lazy<Meter> s_processMeter = new(() => new Meter(new MeterOptions(DeviceNotifyMeter.MeterName) { Version = Version }));
    private static readonly string? Version = typeof(MeterInstruments).Assembly.GetName().Version?.ToString(3);

    private readonly object _gate = new();
    private readonly List<WatcherMetrics> _live = [];
    private WatcherSample _retired;
    private readonly Counter<long> _negotiations;
    private readonly Counter<long> _vetoes;
    private readonly Histogram<double> _duration;

    private MeterInstruments(Meter meter)
    {
        meter.CreateObservableCounter(DeviceNotifyMeter.EventsReceived, () => Sum().Received, "{event}", "Events the source accepted.");
        meter.CreateObservableCounter(DeviceNotifyMeter.EventsRejected, () =>
        {
            var s = Sum();
            return new[] { Tagged(s.RejectedSender, DeviceNotifyMeter.ReasonTag, "sender"), Tagged(s.RejectedCredentials, DeviceNotifyMeter.ReasonTag, "credentials") };
        }, "{event}", "Datagrams dropped because the sender was not the kernel.");
        meter.CreateObservableCounter(DeviceNotifyMeter.EventsMalformed, () =>
        {
            var s = Sum();
            return new[] { Tagged(s.Truncated, DeviceNotifyMeter.ErrorTypeTag, "truncated"), Tagged(s.Malformed, DeviceNotifyMeter.ErrorTypeTag, "malformed") };
        }, "{event}", "Datagrams dropped as unreadable.");
        meter.CreateObservableCounter(DeviceNotifyMeter.EventsReconciled, () => Sum().Reconciled, "{event}", "Buffered events dropped as duplicates of the initial listing.");
        meter.CreateObservableCounter(DeviceNotifyMeter.Overflows, () =>
        {
            var s = Sum();
            return new[] { Tagged(s.KernelOverflows, DeviceNotifyMeter.OverflowKindTag, "kernel_buffer"), Tagged(s.QueueOverflows, DeviceNotifyMeter.OverflowKindTag, "subscriber_queue") };
        }, "{overflow}", "Kernel buffer and registration queue overflows.");
        meter.CreateObservableCounter(DeviceNotifyMeter.Resynchronizations, () => Sum().Resynchronizations, "{resynchronization}", "Resynchronisations after kernel overflows.");
        meter.CreateObservableCounter(DeviceNotifyMeter.NotificationsDelivered, () => Sum().Delivered, "{notification}", "Notifications taken from registration queues by their consumers.");
        meter.CreateObservableCounter(DeviceNotifyMeter.NotificationsDropped, () => Sum().Dropped, "{notification}", "Notifications not queued because the consumer was behind.");
        meter.CreateObservableCounter(DeviceNotifyMeter.CallbackErrors, () => Sum().CallbackErrors, "{error}", "Callbacks that threw.");
        meter.CreateObservableUpDownCounter(DeviceNotifyMeter.Registrations, CountRegistrations, "{registration}", "Live registrations.");
        meter.CreateObservableUpDownCounter(DeviceNotifyMeter.RegistrationQueueLength, QueueLengths, "{notification}", "Notifications waiting in each registration's queue.");
        _negotiations = meter.CreateCounter<long>(DeviceNotifyMeter.Negotiations, "{negotiation}", "Removal negotiations that ended, by operation and outcome.");
        _vetoes = meter.CreateCounter<long>(DeviceNotifyMeter.Vetoes, "{veto}", "Vetoes in ended negotiations, by operation and veto type.");
        _duration = meter.CreateHistogram<double>(DeviceNotifyMeter.NegotiationDuration, "s", "Time from the first question of a negotiation to its result.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
    }

    internal static MeterInstruments For(IMeterFactory? factory)
    {
        var meter = factory is null
            ? s_processMeter.Value
            : factory.Create(new MeterOptions(DeviceNotifyMeter.MeterName) { Version = Version });
        return s_byMeter.GetValue(meter, static m => new MeterInstruments(m));
    }

    internal void Add(WatcherMetrics watcher)
    {
        lock (_gate)
            _live.Add(watcher);
    }

    internal void Retire(WatcherMetrics watcher)
    {
        lock (_gate)
        {
            if (_live.Remove(watcher))
                _retired += watcher.Sample();
        }
    }

    internal void RecordNegotiation(RemovalOperation operation, RemovalResult? result, TimeSpan elapsed)
    {
        string op = Snake(operation.ToString());
        string outcome = result switch
        {
            null => "abandoned",
            { Succeeded: true, Forced: true } => "forced",
            { Succeeded: true } => "succeeded",
            { Failure: RemovalFailure.Vetoed } => "vetoed",
            _ => "refused",
        };
        var opTag = new KeyValuePair<string, object?>(DeviceNotifyMeter.OperationTag, op);
        var outcomeTag = new KeyValuePair<string, object?>(DeviceNotifyMeter.OutcomeTag, outcome);
        _negotiations.Add(1, opTag, outcomeTag);
        _duration.Record(elapsed.TotalSeconds, opTag, outcomeTag);
        if (result is null)
            return;
        foreach (var veto in result.Vetoes)
            _vetoes.Add(1, opTag, new KeyValuePair<string, object?>(DeviceNotifyMeter.VetoTypeTag, Snake(veto.Veto.ToString())));
    }

    private WatcherSample Sum()
    {
        lock (_gate)
        {
            var sum = _retired;
            foreach (var w in _live)
                sum += w.Sample();
            return sum;
        }
    }

    private int CountRegistrations()
    {
        lock (_gate)
            return _live.Sum(w => w.Registrations);
    }

    private List<Measurement<int>> QueueLengths()
    {
        var list = new List<Measurement<int>>();
        lock (_gate)
        {
            foreach (var w in _live)
            {
                foreach (var r in w.LiveRegistrations())
                    list.Add(new Measurement<int>(r.QueuedNotifications, new KeyValuePair<string, object?>(DeviceNotifyMeter.RegistrationNameTag, r.DisplayName)));
            }
        }
        return list;
    }

    private static Measurement<long> Tagged(long value, string tag, string tagValue) => new(value, new KeyValuePair<string, object?>(tag, tagValue));

    /// <summary>PascalCase to snake_case: ApplicationVeto → application_veto.</summary>
    private static string Snake(string pascal)
    {
        var sb = new System.Text.StringBuilder(pascal.Length + 4);
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                    sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
