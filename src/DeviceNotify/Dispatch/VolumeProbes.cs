namespace DeviceNotify.Dispatch;

// Implementation notes:
// - Probing a volume (libblkid reading the superblock) can take seconds (a CD spinning up, a dying USB disk) or
//   hang (a dead NBD server). So it never runs on the source's delivering thread nor under the dispatcher's lock:
//   each device's probe runs on a thread of its own, and the result is handed back to the dispatcher, which
//   routes VolumeChange like any event.
// - One probe at a time per device: a request while one runs marks the device to be probed once more when it
//   ends (the device changed again). A hung device therefore holds one thread, never more, and other devices are
//   probed meanwhile. Threads start under ExecutionContext.SuppressFlow, so they carry no caller's AsyncLocals.
// - Stop drops later results; a probe that never returns keeps its (background) thread, which cannot be
//   interrupted from user space.
internal sealed class VolumeProbes
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Pending> _running = new(StringComparer.Ordinal);
    private readonly Func<Device, VolumeProbeResult> _probe;
    private readonly Action<Device, VolumeProbeResult> _completed;
    private bool _stopped;

    internal VolumeProbes(Func<Device, VolumeProbeResult> probe, Action<Device, VolumeProbeResult> completed)
    {
        _probe = probe;
        _completed = completed;
    }

    /// <summary>Probes <paramref name="device"/> soon, on a probe thread; coalesced with a probe already running for it.</summary>
    internal void Request(Device device)
    {
        lock (_lock)
        {
            if (_stopped)
                return;
            if (_running.TryGetValue(device.DevPath, out var pending))
            {
                pending.Again = device;
                return;
            }
            _running[device.DevPath] = new Pending();
        }
        using (ExecutionContext.SuppressFlow())
            new Thread(() => Run(device)) { IsBackground = true, Name = "DeviceNotify probe" }.Start();
    }

    /// <summary>Probes running now (for tests and statistics).</summary>
    internal int Running
    {
        get
        {
            lock (_lock)
                return _running.Count;
        }
    }

    internal void Stop()
    {
        lock (_lock)
            _stopped = true;
    }

    private void Run(Device device)
    {
        while (true)
        {
            VolumeProbeResult result;
            try
            {
                result = _probe(device);
            }
            catch (Exception ex)
            {
                result = VolumeProbeResult.Unavailable(ex.Message);
            }
            lock (_lock)
            {
                if (_stopped)
                    return;
            }
            _completed(device, result);
            lock (_lock)
            {
                var pending = _running[device.DevPath];
                if (pending.Again is null || _stopped)
                {
                    _running.Remove(device.DevPath);
                    return;
                }
                device = pending.Again;
                pending.Again = null;
            }
        }
    }

    private sealed class Pending
    {
        public Device? Again;
    }
}
