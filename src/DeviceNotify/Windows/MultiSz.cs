namespace DeviceNotify.Windows;

/// <summary>REG_MULTI_SZ-style lists (cfgmgr32 interface lists, volume path names): strings, each NUL-terminated, then an empty one.</summary>
internal static class MultiSz
{
    /// <summary>The strings before the first empty one (or the end of the buffer: a list cut short keeps what is whole).</summary>
    internal static List<string> Split(ReadOnlySpan<char> buffer)
    {
        var items = new List<string>();
        while (buffer.Length > 0 && buffer[0] != '\0')
        {
            int end = buffer.IndexOf('\0');
            if (end < 0)
                break;   // not terminated: the tail is not a whole string
            items.Add(buffer[..end].ToString());
            buffer = buffer[(end + 1)..];
        }
        return items;
    }
}
