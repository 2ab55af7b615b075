using DeviceNotify.Linux;
using DeviceNotify.Parsing;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Unit;

public class GlobAndMatchTests
{
    [Theory]
    [InlineData("tap*", "tap0", true)]
    [InlineData("tap*", "tap", true)]
    [InlineData("tap*", "xtap0", false)]
    [InlineData("tty??", "ttyS0", true)]
    [InlineData("tty??", "ttyS10", false)]
    [InlineData("*a*b", "xxaxxb", true)]
    [InlineData("*a*b", "xxaxxbc", false)]
    [InlineData("", "", true)]
    [InlineData("*", "", true)]
    public void Glob(string pattern, string text, bool expected) => Assert.Equal(expected, Parsing.Glob.IsMatch(pattern, text));

    [Fact]
    public void Device_match_checks_every_criterion()
    {
        var tap = Sim.Net("tap3");
        Assert.True(new DeviceMatch { Subsystem = "net", SysName = "tap*" }.Matches(tap));
        Assert.False(new DeviceMatch { Subsystem = "block" }.Matches(tap));
        Assert.True(new DeviceMatch { Properties = new Dictionary<string, string> { ["INTERFACE"] = "tap?" } }.Matches(tap));
        Assert.False(new DeviceMatch { Properties = new Dictionary<string, string> { ["INTERFACE"] = "eth0" } }.Matches(tap));
        Assert.False(new DeviceMatch { Properties = new Dictionary<string, string> { ["MISSING"] = "*" } }.Matches(tap));
    }

    [Fact]
    public void Built_in_classes_follow_the_design_table()
    {
        Assert.True(InterfaceClass.Net.Matches(Sim.Net("eth0")));
        Assert.True(InterfaceClass.ComPort.Matches(Sim.Tty("ttyS0", real: true)));
        Assert.False(InterfaceClass.ComPort.Matches(Sim.Tty("tty1", real: false)));
        Assert.True(InterfaceClass.Disk.Matches(Sim.Disk("sdz")));
        Assert.False(InterfaceClass.Disk.Matches(Sim.Disk("sr0")));
        Assert.True(InterfaceClass.CdRom.Matches(Sim.Disk("sr0")));
        Assert.True(InterfaceClass.Volume.Matches(Sim.Partition("sdz", "sdz1")));
        Assert.Equal(new Guid("53f56307-b6bf-11d0-94f2-00a0c91efb8b"), InterfaceClass.Disk.Guid);
        Assert.True(InterfaceClass.TryFind("net", out var byName));
        Assert.Same(InterfaceClass.Net, byName);
        Assert.True(InterfaceClass.TryFind("cac88484-7515-4c03-82e6-71a87abac361", out var byGuid));
        Assert.Same(InterfaceClass.Net, byGuid);
        Assert.False(InterfaceClass.TryFind("nope", out _));
        Assert.Equal("/dev/sdz", InterfaceClass.GetInterfacePath(Sim.Disk("sdz")));
        Assert.Equal("eth0", InterfaceClass.GetInterfacePath(Sim.Net("eth0")));
    }

    [Fact]
    public void Custom_class_guid_is_stable_and_name_based()
    {
        var a = InterfaceClass.Custom("MyTaps", new DeviceMatch { Subsystem = "net", SysName = "tap*" });
        var b = InterfaceClass.Custom("MyTaps", new DeviceMatch { Subsystem = "net" });
        var c = InterfaceClass.Custom("Other", new DeviceMatch { Subsystem = "net" });
        Assert.Equal(a.Guid, b.Guid);
        Assert.NotEqual(a.Guid, c.Guid);
        Assert.Equal(5, a.Guid.ToByteArray(bigEndian: true)[6] >> 4);
    }

    [Theory]
    [InlineData("/class/net", "../../devices/virtual/net/lo", "/devices/virtual/net/lo")]
    [InlineData("/bus/pci/devices", "../../../devices/pci0000:00/0000:00:02.0", "/devices/pci0000:00/0000:00:02.0")]
    [InlineData("/class/net", "/absolute", null)]
    [InlineData("/class", "../../../x", null)]
    public void Link_targets_resolve_to_devpaths(string dir, string target, string? expected)
        => Assert.Equal(expected, SysfsEnumerator.ResolveRelative(dir, target));

    [Theory]
    [InlineData("120013", 0, true)]
    [InlineData("120013 0", 0, false)]
    [InlineData("0 0 0 fffffffffffffffe", 1, true)]
    [InlineData("0 0 0 fffffffffffffffe", 0, false)]
    [InlineData("1 0", 64, true)]
    [InlineData("3", 1, true)]
    [InlineData("3", 2, false)]
    public void Capability_bitmaps_are_read_most_significant_word_first(string bitmap, int bit, bool expected)
        => Assert.Equal(expected, DeviceNotify.Parsing.CapabilityBitmap.HasBit(DeviceNotify.Parsing.CapabilityBitmap.Parse(bitmap), bit));
}
