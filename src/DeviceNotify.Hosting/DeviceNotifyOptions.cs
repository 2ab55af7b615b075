using DeviceNotify.Linux;

namespace DeviceNotify.Hosting;

/// <summary>
/// Settings of the host's <see cref="DeviceWatcher"/>, bound from the <c>"DeviceNotify"</c> configuration section
/// (appsettings.json, environment variables <c>DeviceNotify__ReceiveBufferSize</c>, ...) and validated at start-up.
/// </summary>
public sealed class DeviceNotifyOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "DeviceNotify";

    /// <summary>The netlink receive buffer to ask for, in bytes (see <see cref="KernelDeviceSourceOptions.ReceiveBufferSize"/>).</summary>
    public int ReceiveBufferSize { get; set; } = KernelDeviceSourceOptions.DefaultReceiveBufferSize;

    /// <summary>Where sysfs is mounted.</summary>
    public string SysfsRoot { get; set; } = "/sys";

    /// <summary>The mount table watched for volume mount and dismount events.</summary>
    public string MountInfoPath { get; set; } = "/proc/self/mountinfo";

    /// <summary>How many notifications may wait for each registration of a <see cref="DeviceEventService"/> (see <see cref="RegistrationOptions.QueueCapacity"/>).</summary>
    public int QueueCapacity { get; set; } = RegistrationOptions.DefaultQueueCapacity;

    /// <summary>
    /// A source to use instead of the kernel (a <see cref="Simulation.SimulatedDeviceSource"/> or a
    /// <see cref="Simulation.ReplayDeviceSource"/> in tests). Set it in code; it is not read from configuration.
    /// </summary>
    public DeviceSource? Source { get; set; }
}
