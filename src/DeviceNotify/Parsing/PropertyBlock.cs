namespace DeviceNotify.Parsing;

/// <summary>Indexes a block of <c>KEY=VALUE</c> fields separated by one byte (NUL in a uevent, '\n' in a sysfs <c>uevent</c> file).</summary>
internal static class PropertyBlock
{
    /// <summary>Longest key accepted; the kernel's are short upper-case words.</summary>
    internal const int MaxKeyLength = 64;

    /// <summary>
    /// Indexes <paramref name="block"/>. Empty fields (trailing separators) are skipped. Returns null when a
    /// field has no '=', an empty key, or a key that is not [A-Za-z0-9_] — a malformed block.
    /// </summary>
    internal static PropertyField[]? TryIndex(ReadOnlySpan<byte> block, byte separator)
    {
        int count = 0;
        int pos = 0;
        while (pos < block.Length)
        {
            int end = block[pos..].IndexOf(separator);
            int len = end < 0 ? block.Length - pos : end;
            if (len > 0)
                count++;
            pos += len + 1;
        }

        var fields = new PropertyField[count];
        int n = 0;
        pos = 0;
        while (pos < block.Length)
        {
            int end = block[pos..].IndexOf(separator);
            int len = end < 0 ? block.Length - pos : end;
            if (len > 0)
            {
                var field = block.Slice(pos, len);
                int eq = field.IndexOf((byte)'=');
                if (eq <= 0 || eq > MaxKeyLength || !IsKey(field[..eq]))
                    return null;
                fields[n++] = new PropertyField(pos, eq, len);
            }
            pos += len + 1;
        }
        return fields;
    }

    /// <summary>Indexes a block built by this library (known to be well formed).</summary>
    internal static PropertyField[] Index(ReadOnlySpan<byte> block, byte separator)
        => TryIndex(block, separator) ?? throw new InvalidOperationException("Internal property block is malformed.");

    private static bool IsKey(ReadOnlySpan<byte> key)
    {
        foreach (byte b in key)
        {
            if (!((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '_'))
                return false;
        }
        return true;
    }
}
