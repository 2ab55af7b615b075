using System.Diagnostics.Metrics;

namespace DeviceNotify.Tests.Support;

/// <summary>A meter factory of the test's own (so parallel tests do not add to each other's instruments).</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        lock (_meters)
            _meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        lock (_meters)
        {
            foreach (var m in _meters)
                m.Dispose();
            _meters.Clear();
        }
    }
}

/// <summary>Reads the DeviceNotify instruments of one meter scope with a <see cref="MeterListener"/>, as a collector would.</summary>
internal sealed class MeterReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly object _gate = new();
    private readonly List<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> _recorded = [];
    private List<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> _observed = [];

    public MeterReader(object scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == Diagnostics.DeviceNotifyMeter.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i.Name, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i.Name, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i.Name, v, tags));
        _listener.Start();
    }

    /// <summary>Collects the observable instruments now, then sums every measurement of <paramref name="instrument"/> matching <paramref name="tags"/>.</summary>
    public double Read(string instrument, params (string Key, string Value)[] tags)
    {
        lock (_gate)
        {
            _observed = [];
            _collecting = true;
        }
        _listener.RecordObservableInstruments();
        lock (_gate)
        {
            _collecting = false;
            return _observed.Concat(_recorded).Where(m => m.Instrument == instrument && tags.All(t => m.Tags.Any(k => k.Key == t.Key && Equals(k.Value, t.Value))))
                .Sum(m => m.Value);
        }
    }

    /// <summary>The measurements recorded (not observed) for <paramref name="instrument"/>.</summary>
    public int RecordedCount(string instrument)
    {
        lock (_gate)
            return _recorded.Count(m => m.Instrument == instrument);
    }

    /// <summary>The tags of the observable measurements of <paramref name="instrument"/> in a fresh collection.</summary>
    public List<KeyValuePair<string, object?>[]> ObservedTags(string instrument)
    {
        Read(instrument);
        lock (_gate)
            return _observed.Where(m => m.Instrument == instrument).Select(m => m.Tags).ToList();
    }

    private bool _collecting;

    private void Add(string instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_gate)
            (_collecting ? _observed : _recorded).Add((instrument, value, tags.ToArray()));
    }

    public void Dispose() => _listener.Dispose();
}
