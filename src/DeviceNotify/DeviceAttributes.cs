using DeviceNotify.Parsing;

namespace DeviceNotify;

/// <summary>
/// Facts about a device beyond its uevent properties that the built-in interface classes need (size, partitions,
/// input capabilities). The source reads them once, when it reads the device (a uevent, the sysfs walk), so that
/// deciding class membership never does I/O; a simulated device states them directly.
/// </summary>
/// <remarks>Immutable. On Linux they come from sysfs attributes of the device's directory.</remarks>
public sealed class DeviceAttributes : IEquatable<DeviceAttributes>
{
    private ulong[]? _eventBits;
    private ulong[]? _keyBits;
    private ulong[]? _relBits;

    /// <summary>No attributes known (a device that is neither a block nor an input device, or was not read).</summary>
    public static DeviceAttributes None { get; } = new();

    /// <summary>For a block device: its size in 512-byte sectors (sysfs <c>size</c>); 0 means no media; null when unknown.</summary>
    public ulong? SizeSectors { get; init; }

    /// <summary>For a whole disk: true when it has partitions.</summary>
    public bool HasPartitions { get; init; }

    /// <summary>For an input event node: the event-type bitmap (<c>device/capabilities/ev</c>), as the kernel prints it.</summary>
    public string? InputEventBits { get; init; }

    /// <summary>For an input event node: the key bitmap (<c>device/capabilities/key</c>).</summary>
    public string? InputKeyBits { get; init; }

    /// <summary>For an input event node: the relative-axis bitmap (<c>device/capabilities/rel</c>).</summary>
    public string? InputRelBits { get; init; }

    internal ulong[] EventBits => _eventBits ??= CapabilityBitmap.Parse(InputEventBits);

    internal ulong[] KeyBits => _keyBits ??= CapabilityBitmap.Parse(InputKeyBits);

    internal ulong[] RelBits => _relBits ??= CapabilityBitmap.Parse(InputRelBits);

    /// <inheritdoc/>
    public bool Equals(DeviceAttributes? other) => other is not null
        && SizeSectors == other.SizeSectors && HasPartitions == other.HasPartitions
        && string.Equals(InputEventBits, other.InputEventBits, StringComparison.Ordinal)
        && string.Equals(InputKeyBits, other.InputKeyBits, StringComparison.Ordinal)
        && string.Equals(InputRelBits, other.InputRelBits, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as DeviceAttributes);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(SizeSectors, HasPartitions, InputEventBits, InputKeyBits, InputRelBits);

    /// <summary>The known attributes, for logs.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (SizeSectors is { } s) parts.Add($"size={s}");
        if (HasPartitions) parts.Add("partitions");
        if (InputEventBits is not null) parts.Add($"ev={InputEventBits}");
        return parts.Count == 0 ? "none" : string.Join(' ', parts);
    }
}
