using System.Globalization;
using static DeviceNotify.Interop.CfgMgr32;

namespace DeviceNotify.Windows;

// Implementation notes (how a Windows device interface becomes a Device record):
// - One record per interface (symbolic link). Its devpath is the chain of device instance IDs from the top of the
//   device tree down to the interface's device, then the link: "/PCI\VEN_…/USBSTOR\DISK&…/\\?\USBSTOR#DISK&…#{53f5…}".
//   So a device's removal reaches every record below it by path, as a devpath does on Linux. Path elements escape
//   '%' and '/'. A volume is a child of the volume manager, not of its disk; a volume on a basic disk is therefore
//   filed under its disk's record (found by the disk number), so a disk's "partitions" are its volumes.
// - Subsystem and DEVTYPE are the built-in class's (block/disk, block/partition, net, hidraw, ...), so registrations
//   are indexed as on Linux; class membership is by GUID (Device.InterfaceClassGuid), never by Linux predicates. A
//   GUID that is not built-in gets subsystem "pnp".
// - Disks, CD-ROMs and volumes get MAJOR/MINOR from their storage numbers (StorageIdentity), volumes their
//   \\?\Volume{…}\ name; all of it is read when the interface arrives (I/O, on the source's thread, never in the
//   cfgmgr32 callback) and kept, because at removal the device can no longer be asked.
internal sealed class DeviceRecords(INativeMethods native)
{
    internal const string InterfaceClassKey = "INTERFACE_CLASS_GUID";
    internal const string SymbolicLinkKey = "SYMBOLIC_LINK";
    internal const string InstanceIdKey = "DEVICE_INSTANCE_ID";
    internal const string VolumeNameKey = "VOLUME_NAME";
    private const int MaxDepth = 64;

    private readonly Dictionary<string, Device> _byLink = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Builds (doing the I/O) and remembers the record of an interface that is present.</summary>
    internal Device Arrived(Guid classGuid, string link, ulong sequenceNumber)
    {
        var builtIn = InterfaceClass.BuiltIn.FirstOrDefault(c => c.Guid == classGuid);
        var properties = new List<KeyValuePair<string, string>>
        {
            new(InterfaceClassKey, classGuid.ToString()),
            new(SymbolicLinkKey, link),
        };
        string? devType = builtIn == InterfaceClass.Volume ? "partition" : builtIn?.Match.DevType;
        if (devType is not null)
            properties.Add(new("DEVTYPE", devType));

        var chain = new List<string>();
        if (native.GetInterfaceInstanceId(link, out string? instanceId) == CR_SUCCESS && instanceId is not null)
        {
            properties.Add(new(InstanceIdKey, instanceId));
            chain = Ancestry(instanceId);
        }
        string? parentPath = null;
        if (builtIn == InterfaceClass.Disk || builtIn == InterfaceClass.CdRom || builtIn == InterfaceClass.Volume)
        {
            HandleIdentity? number;
            using (var handle = native.Open(link, 0, out _))
                number = handle is null ? null : StorageIdentity.Read(native, handle);
            if (number is { } n)
            {
                properties.Add(new("MAJOR", n.Major.ToString(CultureInfo.InvariantCulture)));
                properties.Add(new("MINOR", n.Minor.ToString(CultureInfo.InvariantCulture)));
                if (builtIn == InterfaceClass.Volume)
                    parentPath = DiskOf(n)?.DevPath;
            }
            if (builtIn == InterfaceClass.Volume && native.GetVolumeName(link + @"\") is { } volumeName)
                properties.Add(new(VolumeNameKey, volumeName));
        }
        parentPath ??= chain.Count == 0 ? "" : "/" + string.Join('/', chain.Select(Escape));
        var device = new Device(parentPath + "/" + Escape(link), builtIn?.IndexSubsystem ?? "pnp", properties);
        device.MarkInterfaceOf(classGuid);
        device = device.WithAction(DeviceAction.Add, sequenceNumber);
        lock (_byLink)
            _byLink[link] = device;
        return device;
    }

    /// <summary>The record of an interface that went, as a removal; null when it was never known.</summary>
    internal Device? Removed(string link, ulong sequenceNumber)
    {
        Device? known;
        lock (_byLink)
            _byLink.Remove(link, out known);
        return known?.WithAction(DeviceAction.Remove, sequenceNumber);
    }

    /// <summary>Forgets every record (before a fresh listing).</summary>
    internal void Clear()
    {
        lock (_byLink)
            _byLink.Clear();
    }

    /// <summary>Device instance IDs from the top of the tree (below the root) down to <paramref name="instanceId"/>.</summary>
    private List<string> Ancestry(string instanceId)
    {
        var chain = new List<string> { instanceId };
        if (native.LocateDevNode(instanceId, out uint devInst) != CR_SUCCESS)
            return chain;
        for (int depth = 0; depth < MaxDepth && native.GetParent(devInst, out uint parent) == CR_SUCCESS; depth++)
        {
            if (native.GetDeviceId(parent, out string? id) != CR_SUCCESS || id is null || id.StartsWith(@"HTREE\ROOT", StringComparison.OrdinalIgnoreCase))
                break;
            chain.Add(id);
            devInst = parent;
        }
        chain.Reverse();
        return chain;
    }

    private Device? DiskOf(HandleIdentity volume)
    {
        lock (_byLink)
            return _byLink.Values.FirstOrDefault(d => d.Major == volume.Major && d.Minor == 0 && d.DevType == "disk");
    }

    private static string Escape(string element) => element.Replace("%", "%25", StringComparison.Ordinal).Replace("/", "%2F", StringComparison.Ordinal);
}
