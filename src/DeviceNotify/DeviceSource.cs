using DeviceNotify.Dispatch;

namespace DeviceNotify;

// Implementation notes (the source contract, platform-neutral):
// - A source does all the I/O: it opens its event channel (Open) before listing devices (Enumerate) so nothing
//   between the two is lost, reads what class membership needs into Device.Attributes, and delivers events from
//   one thread at a time, in order (Start). The dispatcher above it is pure logic.
// - SequenceNumber is the source's ordering position: the kernel's SEQNUM on Linux; any increasing number a
//   source assigns elsewhere. The snapshot's position says which buffered events may repeat the listing.
// - Blocking work that can hang on a device (reading a volume's label) is ProbeVolume: the dispatcher calls it on
//   a probe thread of its own, never on the delivering thread and never under a lock.
// - Failure after Start is reported once through OnFailed; the watcher then ends every registration.
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

    /// <summary>Starts buffering events (before the listing, see guarantee 1). Throws <see cref="DeviceNotifyException"/> saying what to do.</summary>
    internal abstract void Open();

    /// <summary>Lists every device present now (with attributes), the ordering position reached after the listing, and the mount table.</summary>
    internal abstract DeviceSnapshot Enumerate();

    /// <summary>Starts delivering events (buffered ones first) to <paramref name="sink"/>, in order, from one thread at a time.</summary>
    internal abstract void Start(IDeviceSourceSink sink);

    /// <summary>Stops delivering and releases the source's resources; when it returns, no sink call is in progress or will come. Idempotent.</summary>
    internal abstract void Stop();

    /// <summary>
    /// True when a device that the last listing did not include still exists (kobjects such as net queues send
    /// uevents but appear in no subsystem directory); resynchronisation keeps such devices. May do I/O; never called
    /// under a lock.
    /// </summary>
    internal virtual bool StillExists(Device device) => false;

    /// <summary>
    /// Reads what the volume on a block device holds (filesystem type, label, UUID). Blocking and possibly slow (it
    /// reads the device): called on a probe thread, never on the delivering thread, never under a lock.
    /// </summary>
    internal virtual VolumeProbeResult ProbeVolume(Device device) => VolumeProbeResult.Unavailable("this source cannot probe volumes");

    /// <summary>Asks to be told (<see cref="IDeviceSourceSink.OnVolumeWritten"/>) when a volume's contents may change without a device event.</summary>
    internal virtual void WatchVolume(Device device)
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
