using System.Buffers.Binary;
using System.Text;
using DeviceNotify.Windows;
using static DeviceNotify.Interop.CfgMgr32;

namespace DeviceNotify.Windows.Tests.Decoding;

/// <summary>
/// The Windows backend's reader of CM_NOTIFY_EVENT_DATA on crafted buffers: well-formed ones (including the ones the
/// compatibility layer writes), and truncated buffers and lying sizes, each refused with a message naming what is
/// wrong, never read past.
/// </summary>
public class NotifyEventDecoderTests
{
    private static readonly Guid Net = new("cac88484-7515-4c03-82e6-71a87abac361");

    internal static byte[] Interface(Guid cls, string link, uint type = CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE, int? size = null)
    {
        var b = new byte[size ?? Math.Max(36, 24 + 2 * (link.Length + 1))];
        BinaryPrimitives.WriteUInt32LittleEndian(b, type);
        cls.TryWriteBytes(b.AsSpan(8));
        var text = Encoding.Unicode.GetBytes(link);
        text.AsSpan(0, Math.Min(text.Length, Math.Max(0, b.Length - 24))).CopyTo(b.AsSpan(Math.Min(24, b.Length)));
        return b;
    }

    internal static byte[] Custom(Guid eventGuid, byte[] data, int nameOffset = -1, uint? dataSize = null, int? size = null)
    {
        var b = new byte[Math.Max(36, 32 + data.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(b, CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE);
        eventGuid.TryWriteBytes(b.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(24), nameOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(28), dataSize ?? (uint)data.Length);
        data.CopyTo(b.AsSpan(32));
        return b[..(size ?? 32 + data.Length)];
    }

    [Fact]
    public void An_interface_arrival_gives_the_class_and_the_symbolic_link()
    {
        const string link = @"\\?\USB#VID_0781&PID_5583#4C530001#{a5dcbf10-6530-11d2-901f-00c04fb951ed}";
        Assert.True(NotifyEventDecoder.TryDecode(Interface(Net, link), CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL, out var e, out var error), error);
        Assert.Equal(Net, e.Guid);
        Assert.Equal(link, e.Text);
        Assert.Equal(CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE, e.FilterType);
    }

    [Fact]
    public void A_custom_event_gives_the_guid_the_name_offset_and_exactly_DataSize_bytes()
    {
        byte[] data = [1, 2, 3, 4, 0, 0];
        Assert.True(NotifyEventDecoder.TryDecode(Custom(VolumeEvents.VolumeMount, data, nameOffset: 4), CM_NOTIFY_ACTION_DEVICECUSTOMEVENT, out var e, out var error), error);
        Assert.Equal(VolumeEvents.VolumeMount, e.Guid);
        Assert.Equal(4, e.NameOffset);
        Assert.Equal(data, e.Data);
    }

    [Fact]
    public void Handle_events_without_data_and_instance_events_decode()
    {
        var handle = new byte[36];
        BinaryPrimitives.WriteUInt32LittleEndian(handle, CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE);
        Assert.True(NotifyEventDecoder.TryDecode(handle, CM_NOTIFY_ACTION_DEVICEQUERYREMOVE, out var q, out _));
        Assert.Equal(CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE, q.FilterType);

        var instance = new byte[8 + 2 * 20];
        BinaryPrimitives.WriteUInt32LittleEndian(instance, CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE);
        Encoding.Unicode.GetBytes(@"USB\VID_1&PID_2\3", instance.AsSpan(8));
        Assert.True(NotifyEventDecoder.TryDecode(instance, 7, out var i, out var error), error);
        Assert.Equal(@"USB\VID_1&PID_2\3", i.Text);
    }

    public static TheoryData<string, byte[], uint, string> Malformed() => new()
    {
        { "empty", [], CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL, "shorter than the 8-byte header" },
        { "header cut", new byte[7], CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL, "shorter than the 8-byte header" },
        { "ends before the link", Interface(Net, "x", size: 25), CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL, "ends before the symbolic link" },
        { "link without NUL", Interface(Net, "tap123456789", size: 24 + 2 * 12), CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL, "not terminated within EventDataSize 48" },
        { "empty link", Interface(Net, "", size: 36), CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL, "symbolic link is empty" },
        { "filter type of another action", Interface(Net, "tap0", type: CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE), CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL, "FilterType 1 does not go with action 0" },
        { "unknown filter type", Interface(Net, "tap0", type: 7), CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL, "FilterType 7" },
        { "action out of range", Interface(Net, "tap0"), 10, "action 10 is not a CM_NOTIFY_ACTION" },
        { "custom event cut before its data", Custom(VolumeEvents.VolumeLock, [], size: 31), CM_NOTIFY_ACTION_DEVICECUSTOMEVENT, "ends before the custom event's data" },
        { "DataSize larger than the buffer", Custom(VolumeEvents.VolumeLock, [1, 2], dataSize: 200), CM_NOTIFY_ACTION_DEVICECUSTOMEVENT, "DataSize 200 runs past EventDataSize 34" },
        { "DataSize near 4 GiB", Custom(VolumeEvents.VolumeLock, [1], dataSize: uint.MaxValue), CM_NOTIFY_ACTION_DEVICECUSTOMEVENT, "DataSize 4294967295 runs past" },
        { "NameOffset outside the data", Custom(VolumeEvents.VolumeLock, [1, 2, 3], nameOffset: 3), CM_NOTIFY_ACTION_DEVICECUSTOMEVENT, "NameOffset 3 is neither -1 nor inside the 3 bytes" },
        { "negative NameOffset", Custom(VolumeEvents.VolumeLock, [1], nameOffset: -5), CM_NOTIFY_ACTION_DEVICECUSTOMEVENT, "NameOffset -5" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_buffers_are_refused_saying_what_is_wrong(string what, byte[] buffer, uint action, string expected)
    {
        Assert.False(NotifyEventDecoder.TryDecode(buffer, action, out _, out var error), what);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.StartsWith("Malformed CM_NOTIFY_EVENT_DATA: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_truncation_of_a_good_buffer_is_refused_or_decoded_within_it()
    {
        // Cut a well-formed arrival and custom event at every length: no exception, and nothing read past the cut
        // (the decoder gets a span of exactly that length, which would throw on an overrun).
        var arrival = Interface(Net, @"\\?\ROOT#NET#0000#{cac88484-7515-4c03-82e6-71a87abac361}");
        var custom = Custom(VolumeEvents.VolumeChange, [9, 8, 7, 6, 5, 4, 3, 2]);
        for (int n = 0; n <= arrival.Length; n++)
        {
            // The link's NUL is the buffer's last two bytes: only the whole buffer decodes.
            bool ok = NotifyEventDecoder.TryDecode(arrival.AsSpan(0, n), CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL, out _, out var error);
            Assert.True(ok == (n == arrival.Length), $"length {n}: {error}");
        }
        for (int n = 0; n <= custom.Length; n++)
        {
            bool ok = NotifyEventDecoder.TryDecode(custom.AsSpan(0, n), CM_NOTIFY_ACTION_DEVICECUSTOMEVENT, out _, out var error);
            Assert.Equal(n == custom.Length, ok);
            Assert.True(ok || error!.Length > 0);
        }
    }
}
