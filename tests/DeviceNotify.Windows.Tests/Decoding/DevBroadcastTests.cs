using System.Buffers.Binary;
using System.Text;
using DeviceNotify.Compat;

namespace DeviceNotify.Windows.Tests.Decoding;

/// <summary>The compatibility layer's checked reader of DEV_BROADCAST_* on crafted buffers, for both pointer sizes.</summary>
public class DevBroadcastTests
{
    private static byte[] DeviceInterface(Guid cls, string name, uint? claimedSize = null, int? bufferSize = null)
    {
        int size = Math.Max(32, 28 + 2 * (name.Length + 1));
        var b = new byte[bufferSize ?? size];
        BinaryPrimitives.WriteUInt32LittleEndian(b, claimedSize ?? (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), Dbt.DBT_DEVTYP_DEVICEINTERFACE);
        cls.TryWriteBytes(b.AsSpan(12));
        Encoding.Unicode.GetBytes(name, b.AsSpan(28, Math.Min(2 * name.Length, b.Length - 28)));
        return b;
    }

    /// <summary>A DEV_BROADCAST_HANDLE of a custom event as Windows sends it: dbch_size = offsetof(dbch_data) + N + 4.</summary>
    private static byte[] Handle(int pointerSize, long handle, long devNotify, Guid eventGuid, byte[] data, int nameOffset = -1, uint? claimedSize = null)
    {
        int handleAt = pointerSize == 8 ? 16 : 12, dataAt = handleAt + 2 * pointerSize + 20;
        int size = dataAt + data.Length + 4;
        var b = new byte[size];
        BinaryPrimitives.WriteUInt32LittleEndian(b, claimedSize ?? (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), Dbt.DBT_DEVTYP_HANDLE);
        if (pointerSize == 8)
        {
            BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(handleAt), handle);
            BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(handleAt + 8), devNotify);
        }
        else
        {
            BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(handleAt), (int)handle);
            BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(handleAt + 4), (int)devNotify);
        }
        eventGuid.TryWriteBytes(b.AsSpan(handleAt + 2 * pointerSize));
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(handleAt + 2 * pointerSize + 16), nameOffset);
        data.CopyTo(b.AsSpan(dataAt));
        return b;
    }

    [Fact]
    public void A_device_interface_gives_the_class_and_the_name()
    {
        Assert.True(DevBroadcast.TryDecode(DeviceInterface(DeviceInterfaceGuids.GUID_DEVINTERFACE_DISK, "/dev/loop7"), 8, out var m, out var error), error);
        Assert.Equal(Dbt.DBT_DEVTYP_DEVICEINTERFACE, m!.DeviceType);
        Assert.Equal(DeviceInterfaceGuids.GUID_DEVINTERFACE_DISK, m.ClassGuid);
        Assert.Equal("/dev/loop7", m.Name);
    }

    [Theory]
    [InlineData(8, 56)]
    [InlineData(4, 44)]
    public void A_custom_event_handle_is_read_at_the_offsets_of_its_pointer_size(int pointerSize, int sizeWithoutData)
    {
        var buffer = Handle(pointerSize, 0x1234, 0x2000_0004, IoEvent.GUID_IO_VOLUME_DISMOUNT, []);
        Assert.Equal(sizeWithoutData, buffer.Length);
        Assert.True(DevBroadcast.TryDecode(buffer, pointerSize, out var m, out var error), error);
        Assert.Equal(0x1234, m!.Handle);
        Assert.Equal(0x2000_0004, m.DevNotify);
        Assert.Equal(IoEvent.GUID_IO_VOLUME_DISMOUNT, m.EventGuid);
        Assert.Equal(-1, m.NameOffset);
        Assert.Empty(m.Data);

        var withData = Handle(pointerSize, 7, 8, IoEvent.GUID_IO_MEDIA_ARRIVAL, [1, 0, 0, 0], nameOffset: 0);
        Assert.True(DevBroadcast.TryDecode(withData, pointerSize, out var d, out error), error);
        Assert.Equal([1, 0, 0, 0], d!.Data);
        Assert.Equal(0, d.NameOffset);
    }

    public static TheoryData<string, byte[], int, string> Malformed() => new()
    {
        { "shorter than the header", new byte[11], 8, "fewer than the 12-byte DEV_BROADCAST_HDR" },
        { "size larger than the buffer", DeviceInterface(Guid.Empty, "abc", claimedSize: 4096), 8, "dbch_size 4096 is larger than the 36 bytes available" },
        { "size below the header", DeviceInterface(Guid.Empty, "abc", claimedSize: 8), 8, "dbch_size 8 is smaller than the 12-byte header" },
        { "interface cut before its name", DeviceInterface(Guid.Empty, "abc", claimedSize: 28), 8, "ends before the interface name" },
        { "name without NUL within dbch_size", DeviceInterface(Guid.Empty, "abcdefgh", claimedSize: 34, bufferSize: 64), 8, "dbcc_name is not terminated within dbch_size 34" },
        { "handle cut before the event guid (x64)", Handle(8, 1, 2, Guid.Empty, [], claimedSize: 30), 8, "ends before dbch_eventguid (offset 32 with 8-byte handles)" },
        { "handle cut before the event guid (x86)", Handle(4, 1, 2, Guid.Empty, [], claimedSize: 19), 4, "ends before dbch_eventguid (offset 20 with 4-byte handles)" },
        { "name offset outside the data", Handle(8, 1, 2, IoEvent.GUID_IO_VOLUME_MOUNT, [1, 2], nameOffset: 2), 8, "dbch_nameoffset 2 is neither -1 nor inside the 2 bytes" },
        { "unknown device type", Header(9), 8, "dbch_devicetype 9 is not a DBT_DEVTYP_* value" },
        { "pointer size 2", DeviceInterface(Guid.Empty, "a"), 2, "pointer size 2 is neither 4 (x86) nor 8 (x64)" },
    };

    private static byte[] Header(uint type)
    {
        var b = new byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(b, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), type);
        return b;
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_structures_are_refused_saying_what_is_wrong(string what, byte[] buffer, int pointerSize, string expected)
    {
        Assert.False(DevBroadcast.TryDecode(buffer, pointerSize, out var m, out var error), what);
        Assert.Null(m);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_truncation_is_refused_without_reading_past_it()
    {
        var buffer = Handle(8, 1, 2, IoEvent.GUID_IO_VOLUME_CHANGE, [5, 6, 7, 8, 9]);
        for (int n = 0; n < buffer.Length; n++)
            Assert.False(DevBroadcast.TryDecode(buffer.AsSpan(0, n), 8, out _, out _), $"length {n}");
        Assert.True(DevBroadcast.TryDecode(buffer, 8, out _, out _));
    }
}
