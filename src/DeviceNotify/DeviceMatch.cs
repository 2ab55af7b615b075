using DeviceNotify.Parsing;

namespace DeviceNotify;

/// <summary>
/// Which devices a custom interface class or a device filter takes: every criterion given must hold.
/// <see cref="SysName"/> and property values may use shell wildcards ('*', '?').
/// </summary>
public sealed class DeviceMatch
{
    /// <summary>The subsystem, exactly (<c>net</c>, <c>block</c>, <c>tty</c>); null for any.</summary>
    public string? Subsystem { get; init; }

    /// <summary>The device type, exactly (<c>disk</c>, <c>partition</c>); null for any.</summary>
    public string? DevType { get; init; }

    /// <summary>A wildcard pattern for the kernel name (<c>tap*</c>, <c>ttyUSB?</c>); null for any.</summary>
    public string? SysName { get; init; }

    /// <summary>Properties that must be present, with wildcard patterns for their values.</summary>
    public IReadOnlyDictionary<string, string>? Properties { get; init; }

    /// <summary>True when <paramref name="device"/> meets every criterion.</summary>
    public bool Matches(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (Subsystem is not null && !string.Equals(Subsystem, device.Subsystem, StringComparison.Ordinal))
            return false;
        if (DevType is not null && !string.Equals(DevType, device.DevType, StringComparison.Ordinal))
            return false;
        if (SysName is not null && !Glob.IsMatch(SysName, device.SysName))
            return false;
        if (Properties is not null)
        {
            foreach (var (key, pattern) in Properties)
            {
                if (Glob.HasWildcards(pattern))
                {
                    if (device.GetProperty(key) is not { } value || !Glob.IsMatch(pattern, value))
                        return false;
                }
                else if (!device.PropertyEquals(key, pattern))
                {
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>Describes the criteria, for logs and error messages.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Subsystem is not null) parts.Add($"subsystem={Subsystem}");
        if (DevType is not null) parts.Add($"devtype={DevType}");
        if (SysName is not null) parts.Add($"sysname={SysName}");
        if (Properties is not null)
        {
            foreach (var (k, v) in Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
                parts.Add($"{k}={v}");
        }
        return parts.Count == 0 ? "any" : string.Join(' ', parts);
    }
}
