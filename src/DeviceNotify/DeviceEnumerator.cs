using System.Runtime.Versioning;
using DeviceNotify.Linux;

namespace DeviceNotify;

/// <summary>One-shot queries of sysfs, without a watcher (<c>SetupDiGetClassDevs</c> / <c>CM_Get_Device_Interface_List</c>).</summary>
[SupportedOSPlatform("linux")]
public static class DeviceEnumerator
{
    /// <summary>Every device sysfs lists under a subsystem, with its properties, sorted by devpath.</summary>
    /// <param name="sysfsRoot">Where sysfs is mounted.</param>
    public static IReadOnlyList<Device> GetDevices(string sysfsRoot = "/sys")
    {
        ArgumentException.ThrowIfNullOrEmpty(sysfsRoot);
        var list = SysfsEnumerator.Enumerate(sysfsRoot);
        list.Sort(static (a, b) => string.CompareOrdinal(a.DevPath, b.DevPath));
        return list;
    }

    /// <summary>The interfaces of <paramref name="interfaceClass"/> present now.</summary>
    public static IReadOnlyList<DeviceInterface> GetInterfaces(InterfaceClass interfaceClass, string sysfsRoot = "/sys")
    {
        ArgumentNullException.ThrowIfNull(interfaceClass);
        return GetDevices(sysfsRoot).Where(interfaceClass.Matches).Select(d => new DeviceInterface(interfaceClass, d)).ToList();
    }
}
