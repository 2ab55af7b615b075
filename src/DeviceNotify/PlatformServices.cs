using DeviceNotify.Negotiation;

namespace DeviceNotify;

/// <summary>The one place that picks the platform's implementations (Linux/ and Windows/).</summary>
internal static class PlatformServices
{
    // [broker] On Linux the kernel, unless this process cannot receive trusted kernel events (a foreign user namespace)
    // and a broker listens: then the broker relays them.
    internal static DeviceSource CreateSource(DeviceWatcherOptions options)
    {
        if (OperatingSystem.IsLinux())
            return (DeviceSource?)Broker.BrokerDeviceSource.InsteadOfKernel(options) ?? new Linux.KernelDeviceSource();
        if (OperatingSystem.IsWindows())
            return new Windows.KernelDeviceSource();
        throw NotSupported("DeviceNotify's kernel source runs on Linux and Windows; on other systems pass a SimulatedDeviceSource");
    }

    internal static IRemovalActuator CreateActuator()
    {
        if (OperatingSystem.IsLinux())
            return new Linux.RemovalActuator();
        if (OperatingSystem.IsWindows())
            return new Windows.RemovalActuator(Windows.NativeMethods.Instance);
        throw NotSupported("Removal requests are implemented on Linux and Windows");
    }

    internal static IHolderFinder CreateHolderFinder()
    {
        if (OperatingSystem.IsLinux())
            return new Linux.HolderFinder();
        if (OperatingSystem.IsWindows())
            return new Windows.HolderFinder();
        throw NotSupported("The holder scan is implemented on Linux");
    }

    private static PlatformNotSupportedException NotSupported(string what) => new($"{what}; this is {Environment.OSVersion}.");
}
