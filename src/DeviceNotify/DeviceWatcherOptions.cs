using Microsoft.Extensions.Logging;

namespace DeviceNotify;

/// <summary>Settings of a <see cref="DeviceWatcher"/>.</summary>
public sealed class DeviceWatcherOptions
{
    /// <summary>The source of devices and events; null for the real kernel (<see cref="Linux.KernelDeviceSource"/> with defaults).</summary>
    public DeviceSource? Source { get; init; }

    /// <summary>Where warnings (overflow, resynchronisation) and errors (callback exceptions) are logged; null for none.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>
    /// Where the <c>DeviceNotify</c> meter comes from (<see cref="Diagnostics.DeviceNotifyMeter"/>): a host's factory, so the
    /// meter lives and dies with the host; null for one process-wide meter.
    /// </summary>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; init; }
}
