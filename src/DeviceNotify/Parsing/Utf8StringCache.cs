using System.Text;

namespace DeviceNotify.Parsing;

/// <summary>
/// Interns the few short strings that repeat in every uevent (subsystem, devtype, driver names) so that
/// parsing them does not allocate. A fixed, lock-free, direct-mapped table: a collision just replaces the
/// entry (the cost is one allocation, never a wrong answer, since the bytes are compared in full).
/// </summary>
internal static class Utf8StringCache
{
    private const int Size = 256;
    private const int MaxLength = 32;
    private static readonly Entry?[] s_entries = new Entry?[Size];

    private sealed class Entry(byte[] utf8, string value)
    {
        public readonly byte[] Utf8 = utf8;
        public readonly string Value = value;
    }

    internal static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length == 0)
            return string.Empty;
        if (utf8.Length > MaxLength)
            return Encoding.UTF8.GetString(utf8);

        uint hash = 2166136261;
        foreach (byte b in utf8)
            hash = (hash ^ b) * 16777619;
        int slot = (int)(hash % Size);

        Entry? entry = Volatile.Read(ref s_entries[slot]);
        if (entry is not null && utf8.SequenceEqual(entry.Utf8))
            return entry.Value;

        var created = new Entry(utf8.ToArray(), Encoding.UTF8.GetString(utf8));
        Volatile.Write(ref s_entries[slot], created);
        return created.Value;
    }
}
