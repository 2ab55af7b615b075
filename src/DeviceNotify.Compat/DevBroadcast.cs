using System.Buffers.Binary;

namespace DeviceNotify.Compat;

// Implementation notes (dbt.h; FACTS.md §8):
// - Header: dbch_size 0, dbch_devicetype 4, dbch_reserved 8 (12 bytes). DEVICEINTERFACE: class 12, name 28.
//   HANDLE: handle, hdevnotify, eventguid, nameoffset, data at 16/24/32/48/52 (x64) or 12/16/20/36/40 (x86).
//   VOLUME: unitmask 12, flags 16. PORT: name 12.
// - The buffer is what the caller knows is there; dbch_size must fit in it and must cover the fixed part of its
//   type; a name must end (NUL) within dbch_size; for a custom event the data is what dbch_size leaves after
//   dbch_data, less the 4 bytes Windows was seen to add (FACTS.md §8: dbch_size = offsetof(dbch_data) + N + 4),
//   and nameoffset must be -1 or inside it. Anything else is an error that says what is wrong; nothing is read
//   beyond the checked size.
/// <summary>
/// Checked reading of <c>DEV_BROADCAST_*</c> structures (what <c>lParam</c> / <c>lpEventData</c> point to), for code
/// that would rather not cast raw pointers: every size inside the structure is checked against the bytes available.
/// </summary>
public static unsafe class DevBroadcast
{
    /// <summary>A structure claiming more than this is not believed.</summary>
    public const int MaxSize = 64 * 1024;

    /// <summary>
    /// Reads a structure from <paramref name="message"/>. <paramref name="pointerSize"/> is the sender's pointer size
    /// (8 on x64, 4 on x86; <c>IntPtr.Size</c> for this process), which places the fields of
    /// <see cref="DEV_BROADCAST_HANDLE"/>.
    /// </summary>
    /// <returns>True with the message; false with an error naming what is wrong.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> message, int pointerSize, out DevBroadcastMessage? decoded, out string? error)
    {
        decoded = null;
        error = null;
        if (pointerSize is not (4 or 8))
            return Fail($"pointer size {pointerSize} is neither 4 (x86) nor 8 (x64)", out error);
        if (message.Length < 12)
            return Fail($"{message.Length} bytes are fewer than the 12-byte DEV_BROADCAST_HDR", out error);
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(message);
        uint type = BinaryPrimitives.ReadUInt32LittleEndian(message[4..]);
        if (size < 12 || size > message.Length)
            return Fail($"dbch_size {size} is {(size < 12 ? "smaller than the 12-byte header" : $"larger than the {message.Length} bytes available")}", out error);
        var body = message[..(int)size];
        switch (type)
        {
            case Dbt.DBT_DEVTYP_DEVICEINTERFACE:
                if (size < 30)
                    return Fail($"dbch_size {size} ends before the interface name (a DEV_BROADCAST_DEVICEINTERFACE is at least 30 bytes with its NUL)", out error);
                if (!DeviceNotify.Windows.Utf16.TryReadTerminated(body[28..], out string? name))
                    return Fail($"dbcc_name is not terminated within dbch_size {size}", out error);
                decoded = new DevBroadcastMessage { DeviceType = type, Size = size, ClassGuid = new Guid(body.Slice(12, 16)), Name = name };
                return true;
            case Dbt.DBT_DEVTYP_HANDLE:
                return DecodeHandle(body, size, pointerSize, out decoded, out error);
            case Dbt.DBT_DEVTYP_VOLUME:
                if (size < 18)
                    return Fail($"dbch_size {size} ends before dbcv_flags (a DEV_BROADCAST_VOLUME is 20 bytes)", out error);
                decoded = new DevBroadcastMessage
                {
                    DeviceType = type, Size = size,
                    UnitMask = BinaryPrimitives.ReadUInt32LittleEndian(body[12..]),
                    VolumeFlags = BinaryPrimitives.ReadUInt16LittleEndian(body[16..]),
                };
                return true;
            case Dbt.DBT_DEVTYP_PORT:
                if (size < 14 || !DeviceNotify.Windows.Utf16.TryReadTerminated(body[12..], out string? port))
                    return Fail($"dbcp_name is not terminated within dbch_size {size}", out error);
                decoded = new DevBroadcastMessage { DeviceType = type, Size = size, Name = port };
                return true;
            case Dbt.DBT_DEVTYP_OEM or Dbt.DBT_DEVTYP_DEVNODE or Dbt.DBT_DEVTYP_NET:
                decoded = new DevBroadcastMessage { DeviceType = type, Size = size };
                return true;
            default:
                return Fail($"dbch_devicetype {type} is not a DBT_DEVTYP_* value (0-6)", out error);
        }
    }

    /// <summary>Reads the structure at <paramref name="lParam"/>, trusting its <c>dbch_size</c> (up to <see cref="MaxSize"/>): a pointer carries no length.</summary>
    public static bool TryDecode(nint lParam, out DevBroadcastMessage? decoded, out string? error)
    {
        decoded = null;
        if (lParam == 0)
            return Fail("the pointer is null", out error);
        uint size = *(uint*)lParam;
        if (size > MaxSize)
            return Fail($"dbch_size {size} is beyond {MaxSize} bytes", out error);
        return TryDecode(new ReadOnlySpan<byte>((void*)lParam, (int)Math.Max(size, 12u)), IntPtr.Size, out decoded, out error);
    }

    private static bool DecodeHandle(ReadOnlySpan<byte> body, uint size, int pointerSize, out DevBroadcastMessage? decoded, out string? error)
    {
        decoded = null;
        int handleAt = pointerSize == 8 ? 16 : 12;
        int guidAt = handleAt + 2 * pointerSize;
        int nameOffsetAt = guidAt + 16;
        int dataAt = nameOffsetAt + 4;
        if (size < guidAt)
            return Fail($"dbch_size {size} ends before dbch_eventguid (offset {guidAt} with {pointerSize}-byte handles)", out error);
        var message = new DevBroadcastMessage
        {
            DeviceType = Dbt.DBT_DEVTYP_HANDLE,
            Size = size,
            Handle = ReadPointer(body, handleAt, pointerSize),
            DevNotify = ReadPointer(body, handleAt + pointerSize, pointerSize),
        };
        if (size < dataAt)
        {
            decoded = message;   // a filter, or a removal event: no custom part
            error = null;
            return true;
        }
        int nameOffset = BinaryPrimitives.ReadInt32LittleEndian(body[nameOffsetAt..]);
        int dataLength = Math.Max(0, (int)size - dataAt - 4);
        if (nameOffset != -1 && (nameOffset < 0 || nameOffset >= dataLength))
            return Fail($"dbch_nameoffset {nameOffset} is neither -1 nor inside the {dataLength} bytes of data", out error);
        decoded = message with
        {
            EventGuid = new Guid(body.Slice(guidAt, 16)),
            NameOffset = nameOffset,
            Data = body.Slice(dataAt, dataLength).ToArray(),
        };
        error = null;
        return true;
    }

    private static long ReadPointer(ReadOnlySpan<byte> body, int at, int pointerSize)
        => pointerSize == 8 ? BinaryPrimitives.ReadInt64LittleEndian(body[at..]) : BinaryPrimitives.ReadInt32LittleEndian(body[at..]);

    private static bool Fail(string what, out string? error)
    {
        error = "Malformed DEV_BROADCAST: " + what + ".";
        return false;
    }
}
