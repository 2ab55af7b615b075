using DeviceNotify.Dispatch;

namespace DeviceNotify.Simulation;

// Implementation notes:
// - The device tree is a dictionary keyed by devpath; every mutation bumps a sequence number and emits the
//   event the kernel would (add/remove/change/move), so the dispatcher sees the same stream shape.
// - Before the watcher opens the source, mutations only change the tree. Between Open and Start (and while
//   HoldEvents is on) events are buffered the way the kernel socket buffers them during the sysfs walk, so
//   tests can reproduce the enumerate-vs-event race deterministically.
// - After Start, events are delivered synchronously on the caller's thread, one caller at a time (_lock).
// - Volumes: SetVolume says what a probe of a block device finds, and how long the probe takes, so a slow or
//   hanging device can be simulated; probes run on the dispatcher's probe threads, as with the kernel source.
/// <summary>
/// An in-memory device tree that feeds a <see cref="DeviceWatcher"/> exactly as the kernel does: use it to test
/// hotplug code (arrival, removal, overflow, races) without hardware or root.
/// </summary>
/// <example>
/// <code>
/// var sim = new SimulatedDeviceSource();
/// using var watcher = new DeviceWatcher(new DeviceWatcherOptions { Source = sim });
/// using var reg = watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.Net), n => Console.WriteLine(n));
/// sim.Add("/devices/virtual/net/tap0", "net", new Dictionary&lt;string, string&gt; { ["INTERFACE"] = "tap0" });
/// </code>
/// </example>
public sealed class SimulatedDeviceSource : DeviceSource
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Device> _tree = new(StringComparer.Ordinal);
    private readonly List<Device> _buffer = [];
    private readonly Dictionary<string, (VolumeProbeResult Result, TimeSpan Delay)> _volumes = new(StringComparer.Ordinal);
    private IReadOnlyList<MountPoint> _mounts = [];
    private IDeviceSourceSink? _sink;
    private ulong _seqnum;
    private bool _open;
    private bool _holding;
    private bool _losing;
    private bool _stopped;

    /// <summary>The devices present now, sorted by devpath.</summary>
    public IReadOnlyList<Device> Devices
    {
        get
        {
            lock (_lock)
                return _tree.Values.OrderBy(d => d.DevPath, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>The sequence number of the last event emitted.</summary>
    public ulong SequenceNumber
    {
        get
        {
            lock (_lock)
                return _seqnum;
        }
    }

    /// <summary>Adds a device and emits <c>add</c>.</summary>
    /// <exception cref="InvalidOperationException">A device with that devpath exists.</exception>
    public Device Add(string devPath, string subsystem, IEnumerable<KeyValuePair<string, string>>? properties = null, DeviceAttributes? attributes = null)
        => Add(new Device(devPath, subsystem, properties, attributes));

    /// <summary>Adds a device and emits <c>add</c>.</summary>
    /// <exception cref="InvalidOperationException">A device with that devpath exists.</exception>
    public Device Add(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        lock (_lock)
        {
            if (_tree.ContainsKey(device.DevPath))
                throw new InvalidOperationException($"A device with devpath {device.DevPath} exists already.");
            _tree[device.DevPath] = device;
            return Emit(DeviceAction.Add, device);
        }
    }

    /// <summary>Removes a device and emits <c>remove</c> (children are not removed: remove them first, as the kernel does).</summary>
    /// <exception cref="InvalidOperationException">No such device.</exception>
    public void Remove(string devPath)
    {
        lock (_lock)
        {
            if (!_tree.Remove(devPath, out var device))
                throw new InvalidOperationException($"No device with devpath {devPath}.");
            Emit(DeviceAction.Remove, device);
        }
    }

    /// <summary>Replaces a device's properties (and, when given, its attributes) and emits <c>change</c>.</summary>
    /// <exception cref="InvalidOperationException">No such device.</exception>
    public Device Change(string devPath, IEnumerable<KeyValuePair<string, string>>? properties, DeviceAttributes? attributes = null)
    {
        lock (_lock)
        {
            if (!_tree.TryGetValue(devPath, out var old))
                throw new InvalidOperationException($"No device with devpath {devPath}.");
            var device = new Device(devPath, old.Subsystem, properties, attributes ?? old.Attributes);
            _tree[devPath] = device;
            return Emit(DeviceAction.Change, device);
        }
    }

    /// <summary>Renames a device and emits <c>move</c> with <c>DEVPATH_OLD</c>.</summary>
    /// <exception cref="InvalidOperationException">No such device, or the new devpath is taken.</exception>
    public Device Move(string oldDevPath, string newDevPath)
    {
        lock (_lock)
        {
            if (!_tree.Remove(oldDevPath, out var old))
                throw new InvalidOperationException($"No device with devpath {oldDevPath}.");
            if (_tree.ContainsKey(newDevPath))
            {
                _tree[oldDevPath] = old;
                throw new InvalidOperationException($"A device with devpath {newDevPath} exists already.");
            }
            // A rename keeps the properties; a network interface's INTERFACE is its name, so it follows the rename.
            string newName = newDevPath[(newDevPath.LastIndexOf('/') + 1)..];
            var props = old.Properties
                .Where(p => p.Key is not ("DEVPATH" or "SUBSYSTEM" or "DEVPATH_OLD"))
                .Select(p => p.Key == "INTERFACE" ? new KeyValuePair<string, string>("INTERFACE", newName) : p)
                .Append(new KeyValuePair<string, string>("DEVPATH_OLD", oldDevPath));
            var device = new Device(newDevPath, old.Subsystem, props, old.Attributes);
            _tree[newDevPath] = device;
            return Emit(DeviceAction.Move, device);
        }
    }

    /// <summary>Replaces the mount table (as a mount or umount would) and tells the watcher.</summary>
    public void SetMounts(IEnumerable<MountPoint> mounts)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        lock (_lock)
        {
            _mounts = mounts.ToList();
            if (_sink is not null && !_stopped)
                _sink.OnMountTable(_mounts);
        }
    }

    /// <summary>
    /// Says what a probe of the block device at <paramref name="devPath"/> finds (filesystem type, label, UUID) and
    /// how long it takes (<paramref name="probeDelay"/>: a slow or hanging device). A different label after a
    /// <see cref="Change"/> or <see cref="WriteVolume"/> reaches handle registrations as VolumeChange.
    /// </summary>
    public void SetVolume(string devPath, string? fileSystemType, string? label, string? uuid = null, TimeSpan probeDelay = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(devPath);
        lock (_volumes)
            _volumes[devPath] = (new VolumeProbeResult(fileSystemType, label, uuid, null), probeDelay);
    }

    /// <summary>Simulates a program closing the device node after writing to it (as e2label does): the volume is probed again.</summary>
    /// <exception cref="InvalidOperationException">No such device, or it has no device node.</exception>
    public void WriteVolume(string devPath)
    {
        lock (_lock)
        {
            if (!_tree.TryGetValue(devPath, out var device) || device.DevNode is not { } node)
                throw new InvalidOperationException($"No device with devpath {devPath} and a device node.");
            if (_sink is not null && !_stopped)
                _sink.OnVolumeWritten(node);
        }
    }

    /// <summary>
    /// Simulates the source failing after start-up (as when the kernel socket breaks): the watcher ends every
    /// registration with <paramref name="error"/>, and the source delivers nothing more.
    /// </summary>
    public void SimulateFailure(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        IDeviceSourceSink? sink;
        lock (_lock)
        {
            sink = _sink;
            _sink = null;
            _stopped = true;
        }
        sink?.OnFailed(error);
    }

    internal override VolumeProbeResult ProbeVolume(Device device)
    {
        (VolumeProbeResult Result, TimeSpan Delay) volume;
        lock (_volumes)
        {
            if (!_volumes.TryGetValue(device.DevPath, out volume))
                return new VolumeProbeResult(null, null, null, null);
        }
        if (volume.Delay > TimeSpan.Zero)
            Thread.Sleep(volume.Delay);
        return volume.Result;
    }

    /// <summary>From now on, buffer events instead of delivering them (as a socket does while nobody reads).</summary>
    public void HoldEvents()
    {
        lock (_lock)
            _holding = true;
    }

    /// <summary>Delivers the buffered events, in order, and stops buffering.</summary>
    public void ReleaseEvents()
    {
        lock (_lock)
        {
            _holding = false;
            Flush();
        }
    }

    /// <summary>
    /// Runs <paramref name="lostChanges"/> (calls to Add/Remove/Change) so that their events are lost, as when the
    /// kernel buffer overflows, then reports the overflow to the watcher, which must resynchronise.
    /// </summary>
    public void SimulateOverflow(Action lostChanges)
    {
        ArgumentNullException.ThrowIfNull(lostChanges);
        lock (_lock)
        {
            _losing = true;
            try
            {
                lostChanges();
            }
            finally
            {
                _losing = false;
            }
            Interlocked.Increment(ref Counters.Overflows);
            if (_sink is not null && !_holding)
                _sink.OnOverflow();
        }
    }

    internal override void Open()
    {
        lock (_lock)
            _open = true;
    }

    /// <summary>
    /// Test seam: runs once at the start of the next enumeration, after the source was opened. Mutations made
    /// here are both buffered as events and visible to the walk: the enumerate-vs-event race, on demand.
    /// </summary>
    internal Action? DuringNextEnumeration { get; set; }

    internal override DeviceSnapshot Enumerate()
    {
        lock (_lock)
        {
            var during = DuringNextEnumeration;
            DuringNextEnumeration = null;
            during?.Invoke();
            return new DeviceSnapshot(_tree.Values.ToList(), _seqnum, _mounts);
        }
    }

    internal override void Start(IDeviceSourceSink sink)
    {
        lock (_lock)
        {
            _sink = sink;
            if (!_holding)
                Flush();
        }
    }

    internal override void Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            _sink = null;
            _buffer.Clear();
        }
    }

    private Device Emit(DeviceAction action, Device device)
    {
        ulong seq = ++_seqnum;
        var ev = device.WithAction(action, seq);
        if (!_open || _stopped || _losing)
            return ev;
        _buffer.Add(ev);
        if (_sink is not null && !_holding)
            Flush();
        return ev;
    }

    private void Flush()
    {
        if (_sink is null || _buffer.Count == 0)
            return;
        var batch = _buffer.ToArray();
        _buffer.Clear();
        Interlocked.Add(ref Counters.Received, batch.Length);
        _sink.OnEvents(batch, System.Diagnostics.Stopwatch.GetTimestamp());
    }
}
