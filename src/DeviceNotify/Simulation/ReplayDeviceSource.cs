using System.Diagnostics;
using DeviceNotify.Dispatch;

namespace DeviceNotify.Simulation;

// Implementation notes:
// - The capture is parsed up front (CaptureReader): the devices present at its start become the listing the watcher
//   starts from; the events replay in their recorded batches, through the same dispatcher the kernel feeds.
// - Nothing is delivered until PlayAsync: register first, then play, and every registration sees the capture from
//   its start, as the capturing registration did.
// - Delivery runs on one task at a time; each sink call is made under _lock with the stopped flag checked, so when
//   Stop returns no call is in progress or will come (the source contract).
// - An overflow in the capture replays as an overflow: the source's tree becomes the system as the capture saw it
//   after the overflow, and the dispatcher resynchronises against it (registrations get an Overflow notice and the
//   synthesized differences, as live).
// - The replay has no mount table and no volume contents: handle registrations get device removal, media and size
//   events, but no VolumeMount/VolumeDismount/VolumeChange (combine with SimulatedDeviceSource for those).
/// <summary>
/// Replays a capture made with <c>devnotify monitor --json --include-existing</c> into a <see cref="DeviceWatcher"/>,
/// so hotplug code can be tested against real event streams without hardware or root (the umockdev idea).
/// </summary>
/// <example>
/// <code>
/// var replay = ReplayDeviceSource.Load("usb-stick.jsonl");
/// await using var watcher = await DeviceWatcher.StartNewAsync(new DeviceWatcherOptions { Source = replay });
/// using var reg = watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.Volume), OnNotification,
///     new RegistrationOptions { IncludeExisting = true });
/// await replay.PlayAsync(ReplaySpeed.Maximum);
/// </code>
/// </example>
public sealed class ReplayDeviceSource : DeviceSource
{
    private readonly object _lock = new();
    private readonly List<Device> _initial;
    private readonly List<CaptureStep> _steps;
    private IReadOnlyList<Device> _tree;
    private IDeviceSourceSink? _sink;
    private ulong _lastSeqnum;
    private bool _stopped;
    private int _played;

    private ReplayDeviceSource(List<Device> initial, List<CaptureStep> steps)
    {
        _initial = initial;
        _steps = steps;
        _tree = initial;
        EventCount = steps.Sum(s => s.Events?.Length ?? 0);
        OverflowCount = steps.Count(s => s.TreeAfter is not null);
    }

    /// <summary>Reads a capture file (JSON Lines from <c>devnotify monitor --json</c>).</summary>
    /// <exception cref="FormatException">A line is not a JSON object, or a device line lacks its devpath or subsystem (the message names the line).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ReplayDeviceSource Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = File.OpenText(path);
        return Parse(reader, path);
    }

    /// <summary>Reads a capture from <paramref name="reader"/>; <paramref name="name"/> appears in error messages.</summary>
    /// <exception cref="FormatException">A line is not a JSON object, or a device line lacks its devpath or subsystem (the message names the line).</exception>
    public static ReplayDeviceSource Parse(TextReader reader, string name = "capture")
    {
        ArgumentNullException.ThrowIfNull(reader);
        var (initial, steps) = CaptureReader.Read(reader, name);
        return new ReplayDeviceSource(initial, steps);
    }

    /// <summary>The devices present when the capture began (from its enumeration lines).</summary>
    public IReadOnlyList<Device> InitialDevices => _initial;

    /// <summary>How many kernel events the capture holds.</summary>
    public int EventCount { get; }

    /// <summary>How many overflows the capture holds (each replays as an overflow and a resynchronisation).</summary>
    public int OverflowCount { get; }

    /// <summary>
    /// Delivers the capture's events to the watcher, in order, in their recorded batches; completes when the last one
    /// was dispatched (the registrations' queues may still be delivering). Call once, after the watcher started and
    /// the registrations under test were made.
    /// </summary>
    /// <exception cref="InvalidOperationException">The watcher using this source has not started, or the capture was played already.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; the rest is not played.</exception>
    public async Task PlayAsync(ReplaySpeed speed = ReplaySpeed.Maximum, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_sink is null)
                throw new InvalidOperationException(_stopped ? "The watcher using this replay has stopped." : "Start a DeviceWatcher on this source before playing it.");
        }
        if (Interlocked.Exchange(ref _played, 1) != 0)
            throw new InvalidOperationException("This capture was played already; load it again to replay it.");
        // Never run the dispatch on the caller's synchronization context.
        await Task.Run(() => PlayStepsAsync(speed, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async Task PlayStepsAsync(ReplaySpeed speed, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long? firstTime = null;
        foreach (var step in _steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (speed == ReplaySpeed.Recorded && step.Time != long.MinValue)
            {
                firstTime ??= step.Time;
                var due = TimeSpan.FromTicks((step.Time - firstTime.Value) / 100);
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
            lock (_lock)
            {
                if (_stopped || _sink is null)
                    return;
                if (step.Events is { } events)
                {
                    Interlocked.Add(ref Counters.Received, events.Length);
                    _lastSeqnum = events[^1].SequenceNumber;
                    _tree = step.TreeAfter ?? _tree;
                    _sink.OnEvents(events, Stopwatch.GetTimestamp());
                }
                else
                {
                    _tree = step.TreeAfter!;
                    Interlocked.Increment(ref Counters.Overflows);
                    _sink.OnOverflow();
                }
            }
        }
    }

    internal override void Open()
    {
    }

    internal override DeviceSnapshot Enumerate()
    {
        lock (_lock)
        {
            // Before playing: everything the capture's first event follows is "after the listing".
            ulong position = _lastSeqnum != 0 ? _lastSeqnum : FirstSequenceNumber() - 1;
            return new DeviceSnapshot(_tree.ToList(), position, []);
        }
    }

    internal override void Start(IDeviceSourceSink sink)
    {
        lock (_lock)
        {
            if (!_stopped)
                _sink = sink;
        }
    }

    internal override void Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            _sink = null;
        }
    }

    private ulong FirstSequenceNumber()
    {
        foreach (var step in _steps)
        {
            if (step.Events is { Length: > 0 } events && events[0].SequenceNumber > 0)
                return events[0].SequenceNumber;
        }
        return 1;
    }
}
