using DeviceNotify.Simulation;

namespace DeviceNotify.Tests.Support;

/// <summary>Builders for simulated devices.</summary>
internal static class Sim
{
    public static Device Net(string name) => new($"/devices/virtual/net/{name}", "net",
        new Dictionary<string, string> { ["INTERFACE"] = name, ["IFINDEX"] = "7" });

    public static Device Disk(string name, string major = "8") => new($"/devices/pci0000:00/block/{name}", "block",
        new Dictionary<string, string> { ["DEVTYPE"] = "disk", ["DEVNAME"] = name, ["MAJOR"] = major, ["MINOR"] = "0" });

    public static Device Partition(string disk, string name) => new($"/devices/pci0000:00/block/{disk}/{name}", "block",
        new Dictionary<string, string> { ["DEVTYPE"] = "partition", ["DEVNAME"] = name, ["MAJOR"] = "8", ["MINOR"] = "1" });

    public static Device Tty(string name, bool real) => new(real ? $"/devices/pnp0/00:01/tty/{name}" : $"/devices/virtual/tty/{name}", "tty",
        new Dictionary<string, string> { ["DEVNAME"] = name, ["MAJOR"] = "4", ["MINOR"] = "64" });

    public static (SimulatedDeviceSource Source, DeviceWatcher Watcher) Start(params Device[] existing)
    {
        var sim = new SimulatedDeviceSource();
        foreach (var d in existing)
            sim.Add(d);
        var watcher = DeviceWatcher.StartNew(new DeviceWatcherOptions { Source = sim });
        return (sim, watcher);
    }
}
