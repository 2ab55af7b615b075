namespace DeviceNotify;

/// <summary>One property of a <see cref="Device"/> as the kernel sent it, in UTF-8.</summary>
/// <param name="Key">The property name (<c>DEVNAME</c>).</param>
/// <param name="Value">The value.</param>
public readonly ref struct Utf8Property(ReadOnlySpan<byte> Key, ReadOnlySpan<byte> Value)
{
    /// <summary>The property name.</summary>
    public ReadOnlySpan<byte> Key { get; } = Key;

    /// <summary>The value.</summary>
    public ReadOnlySpan<byte> Value { get; } = Value;
}
