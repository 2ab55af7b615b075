namespace DeviceNotify.Dispatch;

// Implementation notes:
// - Probing a volume (libblkid reading the superblock) can take seconds (a CD spinning up, a dying USB disk) or
//   hang (a dead NBD server). So it never runs on the source's delivering thread nor under the dispatcher's lock:
//   each device's probe runs on a thread of its own, and the result is handed back to the dispatcher, which
//   routes VolumeChange like any event.
// - One probe at a time per device: a request while one runs marks the device to be probed once more when it
//   ends (the device changed again). A hung device therefore holds one thread, never more, and other devices are
//   probed meanwhile. Threads start under ExecutionContext.SuppressFlow, so they carry no caller's AsyncLocals.
// - Request returns a task that completes when the device's current round of probing has reported (whoever waits
//   for a first label can bound the wait). Forget drops what a running probe would report (the device went away:
//   its result describes a device that no longer exists). Stop drops everything later; a probe that never returns
//   keeps its (background) thread, which cannot be interrupted from user space.
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

    /// <summary>
    /// Probes <paramref name="device"/> soon, on a probe thread; coalesced with a probe already running for it. The
    /// task completes once a result for it has been reported (or dropped).
    /// </summary>
    internal Task Request(Device device)
    {
        Pending pending;
        lock (_lock)
        {
            if (_stopped)
                return Task.CompletedTask;
            if (_running.TryGetValue(device.DevPath, out var running))
            {
                running.Again = device;
                running.Forgotten = false;
                return running.Reported.Task;
            }
            _running[device.DevPath] = pending = new Pending();
        }
        using (ExecutionContext.SuppressFlow())
            new Thread(() => Run(device, pending)) { IsBackground = true, Name = "DeviceNotify probe" }.Start();
        return pending.Reported.Task;
    }

    /// <summary>The device at <paramref name="devPath"/> went away: a running probe's result is not reported.</summary>
    internal void Forget(string devPath)
    {
        lock (_lock)
        {
            if (_running.TryGetValue(devPath, out var pending))
            {
                pending.Forgotten = true;
                pending.Again = null;
            }
        }
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

    private void Run(Device device, Pending pending)
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
            bool report;
            lock (_lock)
                report = !_stopped && !pending.Forgotten;
            if (report)
            {
                try
                {
                    _completed(device, result);
                }
                catch (Exception)
                {
                    // The dispatcher's own code; nothing may kill a probe thread and leave the device marked as running.
                }
            }
            TaskCompletionSource? reported = null;
            lock (_lock)
            {
                if (pending.Again is null || _stopped)
                {
                    _running.Remove(device.DevPath);
                    reported = pending.Reported;
                }
                else
                {
                    device = pending.Again;
                    pending.Again = null;
                    pending.Forgotten = false;
                }
            }
            if (reported is not null)
            {
                reported.TrySetResult();
                return;
            }
        }
    }

    private sealed class Pending
    {
        public Device? Again;
        public bool Forgotten;
        public readonly TaskCompletionSource Reported = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
