using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace DeviceNotify.Windows;

/// <summary>NUL-terminated UTF-16 strings inside native structures (CM_NOTIFY_EVENT_DATA, DEV_BROADCAST_*), read within a bound.</summary>
internal static class Utf16
{
    /// <summary>The string at the start of <paramref name="bytes"/>, up to its NUL; false when no NUL ends it within <paramref name="bytes"/>.</summary>
    internal static bool TryReadTerminated(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out string? text)
    {
        var chars = MemoryMarshal.Cast<byte, char>(bytes[..(bytes.Length & ~1)]);
        int end = chars.IndexOf('\0');
        text = end < 0 ? null : new string(chars[..end]);
        return text is not null;
    }
}
