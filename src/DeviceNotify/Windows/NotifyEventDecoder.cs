using System.Buffers.Binary;
using static DeviceNotify.Interop.CfgMgr32;

namespace DeviceNotify.Windows;

// Implementation notes (CM_NOTIFY_EVENT_DATA, cfgmgr32.h; offsets are the same on x64 and x86, FACTS.md §4):
//   FilterType 0, Reserved 4, union 8: interface → ClassGuid 8, SymbolicLink 24 (UTF-16, NUL-terminated);
//   handle → EventGuid 8, NameOffset 24, DataSize 28, Data 32; instance → InstanceId 8.
// - The buffer is EventDataSize bytes, as cfgmgr32 says; nothing is read past it. Every length inside it is
//   checked against it: a string must end (NUL) inside the buffer, DataSize must fit after offset 32, NameOffset
//   must be -1 or point inside the data. The filter type must be one of the three and must be the one the action
//   belongs to. A buffer that fails any check is reported with what was wrong and dropped, never half-read.
// - Little-endian reads (every Windows target is little-endian), so the decoder is the same code on any host.
internal static class NotifyEventDecoder
{
    internal const int HeaderSize = 8;
    internal const int SymbolicLinkOffset = 24;
    internal const int NameOffsetOffset = 24;
    internal const int DataSizeOffset = 28;
    internal const int DataOffset = 32;
    internal const int StructureSize = 36;

    internal static bool TryDecode(ReadOnlySpan<byte> buffer, uint action, out NotifyEvent decoded, out string? error)
    {
        decoded = default;
        error = null;
        if (action >= CM_NOTIFY_ACTION_MAX)
            return Fail($"action {action} is not a CM_NOTIFY_ACTION (0-9)", out error);
        if (buffer.Length < HeaderSize)
            return Fail($"EventDataSize {buffer.Length} is shorter than the 8-byte header", out error);
        uint type = BinaryPrimitives.ReadUInt32LittleEndian(buffer);
        uint expected = action switch
        {
            <= CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL => CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE,
            <= CM_NOTIFY_ACTION_DEVICECUSTOMEVENT => CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE,
            _ => CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE,
        };
        if (type != expected)
            return Fail($"FilterType {type} does not go with action {action} (expected {expected})", out error);

        switch (type)
        {
            case CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE:
                if (buffer.Length < SymbolicLinkOffset + 2)
                    return Fail($"EventDataSize {buffer.Length} ends before the symbolic link (offset 24)", out error);
                if (!Utf16.TryReadTerminated(buffer[SymbolicLinkOffset..], out string? link))
                    return Fail($"the symbolic link is not terminated within EventDataSize {buffer.Length}", out error);
                if (link.Length == 0)
                    return Fail("the symbolic link is empty", out error);
                decoded = new NotifyEvent(type, new Guid(buffer.Slice(HeaderSize, 16)), link, -1, []);
                return true;
            case CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE when action == CM_NOTIFY_ACTION_DEVICECUSTOMEVENT:
                if (buffer.Length < DataOffset)
                    return Fail($"EventDataSize {buffer.Length} ends before the custom event's data (offset 32)", out error);
                int nameOffset = BinaryPrimitives.ReadInt32LittleEndian(buffer[NameOffsetOffset..]);
                uint dataSize = BinaryPrimitives.ReadUInt32LittleEndian(buffer[DataSizeOffset..]);
                if (dataSize > (uint)(buffer.Length - DataOffset))
                    return Fail($"DataSize {dataSize} runs past EventDataSize {buffer.Length} (at most {buffer.Length - DataOffset} bytes follow offset 32)", out error);
                if (nameOffset != -1 && (nameOffset < 0 || nameOffset >= dataSize))
                    return Fail($"NameOffset {nameOffset} is neither -1 nor inside the {dataSize} bytes of data", out error);
                decoded = new NotifyEvent(type, new Guid(buffer.Slice(HeaderSize, 16)), null, nameOffset, buffer.Slice(DataOffset, (int)dataSize).ToArray());
                return true;
            case CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE:
                decoded = new NotifyEvent(type, Guid.Empty, null, -1, []);
                return true;
            default:
                if (!Utf16.TryReadTerminated(buffer[HeaderSize..], out string? id))
                    return Fail($"the instance ID is not terminated within EventDataSize {buffer.Length}", out error);
                if (id.Length == 0)
                    return Fail("the instance ID is empty", out error);
                decoded = new NotifyEvent(type, Guid.Empty, id, -1, []);
                return true;
        }
    }

    private static bool Fail(string what, out string? error)
    {
        error = "Malformed CM_NOTIFY_EVENT_DATA: " + what + ".";
        return false;
    }
}
