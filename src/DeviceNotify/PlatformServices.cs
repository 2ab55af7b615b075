using DeviceNotify.Negotiation;

namespace DeviceNotify;

/// <summary>The one place that picks the platform's implementations (Linux/ now; Windows/ later).</summary>
internal static class PlatformServices
{
    // [broker] The kernel, unless this process cannot receive trusted kernel events (a foreign user namespace) and a
    // broker listens: then the broker relays them.
    internal static DeviceSource CreateSource(DeviceWatcherOptions options) => OperatingSystem.IsLinux()
        ? (DeviceSource?)Broker.BrokerDeviceSource.InsteadOfKernel(options) ?? new Linux.KernelDeviceSource()
        : throw NotSupported("DeviceNotify's kernel source runs on Linux; on other systems pass a SimulatedDeviceSource");

    internal static IRemovalActuator CreateActuator() => OperatingSystem.IsLinux()
        ? new Linux.RemovalActuator()
        : throw NotSupported("Removal requests are implemented on Linux");

    internal static IHolderFinder CreateHolderFinder() => OperatingSystem.IsLinux()
        ? new Linux.HolderFinder()
        : throw NotSupported("The holder scan is implemented on Linux");

    private static PlatformNotSupportedException NotSupported(string what) => new($"{what}; this is {Environment.OSVersion}.");
}
