using System.Buffers.Text;
using System.Text;

namespace DeviceNotify.Parsing;

/// <summary>
/// Parses a kernel uevent datagram: <c>ACTION@DEVPATH\0KEY=VALUE\0...</c> (lib/kobject_uevent.c builds it: the
/// header, then the environment in <c>env-&gt;buf</c>, at most UEVENT_BUFFER_SIZE = 2048 bytes of it).
/// </summary>
/// <remarks>
/// Pure: no I/O, no exceptions for any input. A message is accepted only when it is the kernel's shape:
/// a known action, a devpath that starts with '/' and has no '.' or '..' segments, ACTION/DEVPATH fields that
/// agree with the header, a SUBSYSTEM, a numeric SEQNUM, well-formed keys, and a DEVNAME (if any) that stays
/// below /dev. Anything else — including libudev's "libudev\0" frames, which never come from the kernel — is
/// rejected so the caller can count and drop it.
/// </remarks>
internal static class UEventParser
{
    /// <summary>Largest datagram accepted (the receive slot size; the kernel's own limit is smaller).</summary>
    internal const int MaxMessageSize = 8192;

    internal static bool TryParse(ReadOnlySpan<byte> payload, string sysfsRoot, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Device? device)
    {
        device = null;
        if (payload.Length < 4 || payload.Length > MaxMessageSize)
            return false;

        int headerEnd = payload.IndexOf((byte)0);
        if (headerEnd <= 0)
            return false;
        var header = payload[..headerEnd];
        int at = header.IndexOf((byte)'@');
        if (at <= 0)
            return false;
        var actionWord = header[..at];
        var headerPath = header[(at + 1)..];
        if (!DeviceActions.TryParse(actionWord, out var action) || !IsSafeDevPath(headerPath))
            return false;

        var blockSpan = payload[(headerEnd + 1)..];
        var fields = PropertyBlock.TryIndex(blockSpan, 0);
        if (fields is null)
            return false;

        ReadOnlySpan<byte> actionValue = default, devPath = default, subsystem = default, seqnum = default;
        bool hasAction = false, hasDevPath = false, hasSubsystem = false, hasSeqnum = false;
        foreach (var f in fields)
        {
            var key = blockSpan.Slice(f.Start, f.KeyLength);
            var value = blockSpan.Slice(f.ValueStart, f.ValueLength);
            switch (key.Length)
            {
                case 6 when key.SequenceEqual("ACTION"u8): actionValue = value; hasAction = true; break;
                case 7 when key.SequenceEqual("DEVPATH"u8): devPath = value; hasDevPath = true; break;
                case 9 when key.SequenceEqual("SUBSYSTEM"u8): subsystem = value; hasSubsystem = true; break;
                case 6 when key.SequenceEqual("SEQNUM"u8): seqnum = value; hasSeqnum = true; break;
                case 7 when key.SequenceEqual("DEVNAME"u8):
                    if (!IsSafeDevName(value))
                        return false;
                    break;
                case 11 when key.SequenceEqual("DEVPATH_OLD"u8):
                    if (!IsSafeDevPath(value))
                        return false;
                    break;
            }
        }

        if (!hasAction || !hasDevPath || !hasSubsystem || !hasSeqnum)
            return false;
        if (!actionValue.SequenceEqual(actionWord) || !devPath.SequenceEqual(headerPath) || subsystem.IsEmpty)
            return false;
        if (!Utf8Parser.TryParse(seqnum, out ulong sequenceNumber, out int used) || used != seqnum.Length)
            return false;
        if (subsystem.IndexOfAny((byte)'/', (byte)0) >= 0)
            return false;

        device = new Device(
            blockSpan.ToArray(),
            fields,
            Encoding.UTF8.GetString(devPath),
            Utf8StringCache.Get(subsystem),
            action,
            sequenceNumber,
            sysfsRoot);
        return true;
    }

    /// <summary>
    /// Builds a device from its sysfs <c>uevent</c> file (newline-separated <c>KEY=VALUE</c>), adding the
    /// DEVPATH and SUBSYSTEM fields the file does not contain. Returns false for a malformed file.
    /// </summary>
    internal static bool TryParseSysfs(string devPath, string subsystem, ReadOnlySpan<byte> ueventFile, string sysfsRoot, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Device? device)
    {
        device = null;
        int prefixLength = "DEVPATH=".Length + Encoding.UTF8.GetByteCount(devPath) + 1 + "SUBSYSTEM=".Length + Encoding.UTF8.GetByteCount(subsystem) + 1;
        var block = new byte[prefixLength + ueventFile.Length];
        int p = 0;
        p += Encoding.UTF8.GetBytes("DEVPATH=", block.AsSpan(p));
        p += Encoding.UTF8.GetBytes(devPath, block.AsSpan(p));
        block[p++] = 0;
        p += Encoding.UTF8.GetBytes("SUBSYSTEM=", block.AsSpan(p));
        p += Encoding.UTF8.GetBytes(subsystem, block.AsSpan(p));
        block[p++] = 0;
        ueventFile.CopyTo(block.AsSpan(p));
        // A NUL inside the file would split a field differently than the kernel meant: reject.
        if (ueventFile.IndexOf((byte)0) >= 0)
            return false;
        block.AsSpan(p).Replace((byte)'\n', (byte)0);

        var fields = PropertyBlock.TryIndex(block, 0);
        if (fields is null)
            return false;
        device = new Device(block, fields, devPath, subsystem, DeviceAction.None, 0, sysfsRoot);
        return true;
    }

    /// <summary>A devpath is absolute, has no empty, '.' or '..' segments, and no NUL.</summary>
    internal static bool IsSafeDevPath(ReadOnlySpan<byte> path)
    {
        if (path.Length < 2 || path[0] != '/' || path.IndexOf((byte)0) >= 0)
            return false;
        var rest = path[1..];
        while (true)
        {
            int slash = rest.IndexOf((byte)'/');
            var segment = slash < 0 ? rest : rest[..slash];
            if (segment.IsEmpty || segment.SequenceEqual("."u8) || segment.SequenceEqual(".."u8))
                return false;
            if (slash < 0)
                return true;
            rest = rest[(slash + 1)..];
        }
    }

    /// <summary>A DEVNAME is relative to /dev and must not climb out of it.</summary>
    private static bool IsSafeDevName(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name[0] == '/')
            return false;
        var rest = name;
        while (true)
        {
            int slash = rest.IndexOf((byte)'/');
            var segment = slash < 0 ? rest : rest[..slash];
            if (segment.IsEmpty || segment.SequenceEqual(".."u8))
                return false;
            if (slash < 0)
                return true;
            rest = rest[(slash + 1)..];
        }
    }
}
