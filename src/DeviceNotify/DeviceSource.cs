using DeviceNotify.Linux;

namespace DeviceNotify;

/// <summary>
/// Where device state and events come from: the real kernel (<see cref="Linux.KernelDeviceSource"/>) or an
/// in-memory device tree (<see cref="Simulation.SimulatedDeviceSource"/>). A source serves one
/// <see cref="DeviceWatcher"/>.
/// </summary>
public abstract class DeviceSource : IDisposable
{
    private int _attached;

    private protected DeviceSource() { }

    internal SourceCounters Counters { get; } = new();

    /// <summary>Starts buffering events (the kernel socket is opened before the walk, see guarantee 1).</summary>
    internal abstract void Open();

    /// <summary>Lists every device present now, and the event sequence number reached after the walk.</summary>
    internal abstract DeviceSnapshot Enumerate();

    /// <summary>Starts delivering events (buffered ones first) to <paramref name="sink"/>, in kernel order, from one thread at a time.</summary>
    internal abstract void Start(IDeviceSourceSink sink);

    /// <summary>Stops delivering and releases the source's resources. Idempotent.</summary>
    internal abstract void Stop();

    /// <summary>
    /// True when a device that the last enumeration did not list still exists (kobjects such as net queues send
    /// uevents but appear in no subsystem directory); resynchronisation keeps such devices.
    /// </summary>
    internal virtual bool ExistsOutsideEnumeration(Device device) => false;

    /// <summary>Asks to be told (<see cref="IDeviceSourceSink.OnDeviceNodeWritten"/>) when the node is closed after writing.</summary>
    internal virtual void WatchDeviceNode(string devNode)
    {
    }

    internal void Attach()
    {
        if (Interlocked.Exchange(ref _attached, 1) != 0)
            throw new InvalidOperationException("This device source already serves a DeviceWatcher; create one source per watcher.");
    }

    /// <summary>Stops the source.</summary>
    public void Dispose()
    {
        Stop();
        GC.SuppressFinalize(this);
    }
}
