using DeviceNotify.Negotiation;

namespace DeviceNotify;

/// <summary>The one place that picks the platform's implementations (Linux/ now; Windows/ later).</summary>
internal static class PlatformServices
{
    internal static DeviceSource CreateSource() => OperatingSystem.IsLinux()
        ? new Linux.KernelDeviceSource()
        : throw NotSupported("DeviceNotify's kernel source runs on Linux; on other systems pass a SimulatedDeviceSource");

    internal static IRemovalActuator CreateActuator() => OperatingSystem.IsLinux()
        ? new Linux.RemovalActuator()
        : throw NotSupported("Removal requests are implemented on Linux");

    internal static IHolderFinder CreateHolderFinder() => OperatingSystem.IsLinux()
        ? new Linux.HolderFinder()
        : throw NotSupported("The holder scan is implemented on Linux");

    private static PlatformNotSupportedException NotSupported(string what) => new($"{what}; this is {Environment.OSVersion}.");
}
