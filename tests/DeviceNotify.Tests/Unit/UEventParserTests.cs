using System.Text;
using DeviceNotify.Parsing;

namespace DeviceNotify.Tests.Unit;

public class UEventParserTests
{
    private static byte[] Payload(string s) => Encoding.UTF8.GetBytes(s.Replace('|', '\0'));

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "TestData"), "*.bin").Order())
            data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Captured_kernel_messages_parse(string fixture)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", fixture));
        Assert.True(UEventParser.TryParse(bytes, "/sys", out var d));
        var header = Encoding.UTF8.GetString(bytes.AsSpan(0, Array.IndexOf(bytes, (byte)0)));
        Assert.Equal(header.Split('@')[1], d!.DevPath);
        Assert.Equal(header.Split('@')[0], d.Properties["ACTION"]);
        Assert.Equal(ulong.Parse(d.Properties["SEQNUM"]), d.SequenceNumber);
        Assert.Equal(d.Properties["SUBSYSTEM"], d.Subsystem);
        Assert.NotEqual(DeviceAction.None, d.Action);
    }

    [Fact]
    public void Tap_add_fields_are_decoded()
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "00-add-devices_virtual_net_dncap0.bin"));
        Assert.True(UEventParser.TryParse(bytes, "/sys", out var d));
        Assert.Equal(DeviceAction.Add, d!.Action);
        Assert.Equal("net", d.Subsystem);
        Assert.Equal("dncap0", d.SysName);
        Assert.Equal("dncap0", d.GetProperty("INTERFACE"));
        Assert.Null(d.DevNode);
        Assert.Equal("/sys/devices/virtual/net/dncap0", d.SysPath);
    }

    [Fact]
    public void Block_device_has_node_and_numbers()
    {
        var d = Parse("change@/devices/virtual/block/loop0|ACTION=change|DEVPATH=/devices/virtual/block/loop0|SUBSYSTEM=block|MAJOR=7|MINOR=0|DEVNAME=loop0|DEVTYPE=disk|DISKSEQ=9|SEQNUM=1234|");
        Assert.Equal("/dev/loop0", d.DevNode);
        Assert.Equal(7, d.Major);
        Assert.Equal(0, d.Minor);
        Assert.Equal("disk", d.DevType);
        Assert.Equal(1234UL, d.SequenceNumber);
        Assert.True(d.PropertyEquals("DISKSEQ", "9"));
        Assert.False(d.PropertyEquals("DISKSEQ", "1"));
    }

    [Fact]
    public void Subsystem_strings_are_interned()
    {
        var a = Parse("add@/devices/x/a|ACTION=add|DEVPATH=/devices/x/a|SUBSYSTEM=net|SEQNUM=1|");
        var b = Parse("add@/devices/x/b|ACTION=add|DEVPATH=/devices/x/b|SUBSYSTEM=net|SEQNUM=2|");
        Assert.Same(a.Subsystem, b.Subsystem);
    }

    [Theory]
    [InlineData("")]
    [InlineData("libudev|\u00fe\u00ed\u00ca\u00feACTION=add|")]                              // udevd's frame, never the kernel's
    [InlineData("add/devices/x|ACTION=add|DEVPATH=/devices/x|SUBSYSTEM=net|SEQNUM=1|")]        // no '@'
    [InlineData("bogus@/devices/x|ACTION=bogus|DEVPATH=/devices/x|SUBSYSTEM=net|SEQNUM=1|")]  // unknown action
    [InlineData("add@/devices/x|ACTION=remove|DEVPATH=/devices/x|SUBSYSTEM=net|SEQNUM=1|")]   // header and field disagree
    [InlineData("add@/devices/x|ACTION=add|DEVPATH=/devices/y|SUBSYSTEM=net|SEQNUM=1|")]      // devpath disagrees
    [InlineData("add@/devices/x|ACTION=add|DEVPATH=/devices/x|SEQNUM=1|")]                    // no subsystem
    [InlineData("add@/devices/x|ACTION=add|DEVPATH=/devices/x|SUBSYSTEM=net|")]               // no seqnum
    [InlineData("add@/devices/x|ACTION=add|DEVPATH=/devices/x|SUBSYSTEM=net|SEQNUM=12a|")]    // bad seqnum
    [InlineData("add@/devices/x|ACTION=add|DEVPATH=/devices/x|SUBSYSTEM=net|SEQNUM=1|NOEQUALS|")]
    [InlineData("add@/devices/x|ACTION=add|DEVPATH=/devices/x|SUBSYSTEM=net|SEQNUM=1|=value|")]
    [InlineData("add@/devices/x|ACTION=add|DEVPATH=/devices/x|SUBSYSTEM=net|SEQNUM=1|BAD KEY=v|")]
    [InlineData("add@/devices/../etc|ACTION=add|DEVPATH=/devices/../etc|SUBSYSTEM=net|SEQNUM=1|")]
    [InlineData("add@devices/x|ACTION=add|DEVPATH=devices/x|SUBSYSTEM=net|SEQNUM=1|")]
    [InlineData("add@/devices/x|ACTION=add|DEVPATH=/devices/x|SUBSYSTEM=block|SEQNUM=1|DEVNAME=../etc/passwd|")]
    [InlineData("add@/devices/x|ACTION=add|DEVPATH=/devices/x|SUBSYSTEM=block|SEQNUM=1|DEVNAME=/etc/passwd|")]
    [InlineData("add@/devices/x|ACTION=add|DEVPATH=/devices/x|SUBSYSTEM=a/b|SEQNUM=1|")]
    public void Malformed_messages_are_rejected(string payload)
    {
        Assert.False(UEventParser.TryParse(Payload(payload), "/sys", out var d));
        Assert.Null(d);
    }

    [Fact]
    public void Oversized_message_is_rejected()
    {
        var big = "add@/devices/x|ACTION=add|DEVPATH=/devices/x|SUBSYSTEM=net|SEQNUM=1|X=" + new string('a', UEventParser.MaxMessageSize) + "|";
        Assert.False(UEventParser.TryParse(Payload(big), "/sys", out _));
    }

    [Fact]
    public void Sysfs_uevent_file_gets_devpath_and_subsystem()
    {
        Assert.True(UEventParser.TryParseSysfs("/devices/virtual/block/loop0", "block", "MAJOR=7\nMINOR=0\nDEVNAME=loop0\nDEVTYPE=disk\n"u8, "/sys", out var d));
        Assert.Equal("block", d!.Subsystem);
        Assert.Equal("/devices/virtual/block/loop0", d.Properties["DEVPATH"]);
        Assert.Equal("/dev/loop0", d.DevNode);
        Assert.Equal(DeviceAction.None, d.Action);
        Assert.False(UEventParser.TryParseSysfs("/devices/x", "net", "GARBAGE\n"u8, "/sys", out _));
    }

    [Fact]
    public void Same_properties_ignore_per_event_fields_and_order()
    {
        var ev = Parse("add@/devices/virtual/net/t0|ACTION=add|DEVPATH=/devices/virtual/net/t0|SUBSYSTEM=net|INTERFACE=t0|IFINDEX=5|SEQNUM=77|");
        Assert.True(UEventParser.TryParseSysfs("/devices/virtual/net/t0", "net", "IFINDEX=5\nINTERFACE=t0\n"u8, "/sys", out var file));
        Assert.True(ev.HasSameStateAs(file!));
        Assert.True(UEventParser.TryParseSysfs("/devices/virtual/net/t0", "net", "IFINDEX=6\nINTERFACE=t0\n"u8, "/sys", out var changed));
        Assert.False(ev.HasSameStateAs(changed!));
    }

    internal static Device Parse(string s)
    {
        Assert.True(UEventParser.TryParse(Payload(s), "/sys", out var d), s);
        return d!;
    }
}
