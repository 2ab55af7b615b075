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

    // [broker] (issue 7)
    /// <summary>
    /// The broker's socket (<c>devnotify daemon</c>); null for <see cref="Broker.BrokerEndpoint.SocketPath"/>
    /// (<c>DEVNOTIFY_SOCKET</c>, else <c>/run/devnotify/devnotify.sock</c>). When a broker listens there, a watcher of the
    /// real kernel registers its handle registrations with it and sends its coordinator's removal requests to it.
    /// </summary>
    public string? BrokerSocketPath { get; init; }

    /// <summary>
    /// Never use a broker: handle registrations and removal requests stay in this process (the broker itself runs so).
    /// Watchers of a source passed in <see cref="Source"/> other than a <see cref="Broker.BrokerDeviceSource"/> never use one.
    /// </summary>
    public bool DisableBroker { get; init; }
}
