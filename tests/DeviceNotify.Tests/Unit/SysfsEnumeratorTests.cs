using DeviceNotify.Linux;

namespace DeviceNotify.Tests.Unit;

/// <summary>The sysfs walk on a prepared tree (the sysfs root is a parameter).</summary>
public sealed class SysfsEnumeratorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("devnotify-sysfs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void AddDevice(string devPath, string linkDir, string uevent)
    {
        Directory.CreateDirectory(_root + devPath);
        File.WriteAllText(_root + devPath + "/uevent", uevent);
        Directory.CreateDirectory(_root + linkDir);
        int depth = linkDir.Split('/', StringSplitOptions.RemoveEmptyEntries).Length;
        var target = string.Concat(Enumerable.Repeat("../", depth)) + devPath.TrimStart('/');
        File.CreateSymbolicLink(_root + linkDir + "/" + devPath[(devPath.LastIndexOf('/') + 1)..], target);
    }

    [Fact]
    public void Walks_classes_and_buses_once_each_and_skips_vanished_devices()
    {
        AddDevice("/devices/virtual/net/lo", "/class/net", "INTERFACE=lo\nIFINDEX=1\n");
        AddDevice("/devices/pci0000:00/0000:00:02.0", "/bus/pci/devices", "DRIVER=virtio-pci\nPCI_ID=1AF4:1001\n");
        AddDevice("/devices/virtual/block/loop0", "/class/block", "MAJOR=7\nMINOR=0\nDEVNAME=loop0\nDEVTYPE=disk\n");
        // The same device listed again under /block (old spelling) is reported once.
        Directory.CreateDirectory(_root + "/block");
        File.CreateSymbolicLink(_root + "/block/loop0", "../devices/virtual/block/loop0");
        // A device that vanished mid-walk: link left, directory gone.
        Directory.CreateDirectory(_root + "/class/net");
        File.CreateSymbolicLink(_root + "/class/net/gone0", "../../devices/virtual/net/gone0");
        // A regular file in a class directory is not a device.
        File.WriteAllText(_root + "/class/net/bonding_masters", "");
        Directory.CreateDirectory(_root + "/kernel");
        File.WriteAllText(_root + "/kernel/uevent_seqnum", "4242\n");

        var devices = DeviceEnumerator.GetDevices(_root);

        Assert.Equal(["/devices/pci0000:00/0000:00:02.0", "/devices/virtual/block/loop0", "/devices/virtual/net/lo"], devices.Select(d => d.DevPath));
        var lo = devices.Single(d => d.SysName == "lo");
        Assert.Equal("net", lo.Subsystem);
        Assert.Equal("1", lo.GetProperty("IFINDEX"));
        Assert.Equal(_root + "/devices/virtual/net/lo", lo.SysPath);
        Assert.Equal("pci", devices.Single(d => d.SysName == "0000:00:02.0").Subsystem);
        Assert.Equal("virtio-pci", devices.Single(d => d.SysName == "0000:00:02.0").Driver);
        Assert.Equal(4242UL, SysfsEnumerator.ReadSequenceNumber(_root));
        Assert.Single(DeviceEnumerator.GetInterfaces(InterfaceClass.Net, _root));
    }

    [Fact]
    public void Missing_tree_gives_nothing_rather_than_throwing()
    {
        Assert.Empty(DeviceEnumerator.GetDevices(_root + "/nope"));
        Assert.Equal(0UL, SysfsEnumerator.ReadSequenceNumber(_root + "/nope"));
    }
}
