namespace DeviceNotify;

/// <summary>
/// What a registration listens to: the interfaces of some classes (arrival/removal, with pairing), or the
/// kernel events of some devices (like <c>udevadm monitor</c>).
/// </summary>
public sealed class DeviceFilter
{
    private DeviceFilter(DeviceFilterKind kind, IReadOnlyList<InterfaceClass> classes, DeviceMatch? match)
    {
        Kind = kind;
        Classes = classes;
        DeviceMatch = match;
        if (kind == DeviceFilterKind.Interfaces)
        {
            Subsystems = classes.Any(c => c.IndexSubsystem is null)
                ? null
                : classes.Select(c => c.IndexSubsystem!).Distinct(StringComparer.Ordinal).ToArray();
        }
        else
        {
            Subsystems = match?.Subsystem is { } s ? [s] : null;
        }
    }

    /// <summary>The kind of filter.</summary>
    public DeviceFilterKind Kind { get; }

    /// <summary>The interface classes (for <see cref="DeviceFilterKind.Interfaces"/>).</summary>
    public IReadOnlyList<InterfaceClass> Classes { get; }

    /// <summary>The device criteria (for <see cref="DeviceFilterKind.Devices"/>); null for every device.</summary>
    public DeviceMatch? DeviceMatch { get; }

    /// <summary>The subsystems this filter can match, or null for any (lets the dispatcher skip the rest).</summary>
    internal IReadOnlyList<string>? Subsystems { get; }

    /// <summary>Interfaces of the given classes.</summary>
    /// <exception cref="ArgumentException">No class given.</exception>
    public static DeviceFilter ForInterfaces(params InterfaceClass[] classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Length == 0)
            throw new ArgumentException("Give at least one interface class.", nameof(classes));
        return new DeviceFilter(DeviceFilterKind.Interfaces, classes.Distinct().ToArray(), null);
    }

    /// <summary>Interfaces of every built-in class (<c>CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES</c>).</summary>
    public static DeviceFilter AllInterfaceClasses { get; } = new(DeviceFilterKind.Interfaces, InterfaceClass.BuiltIn, null);

    /// <summary>Every kernel event of the devices that meet <paramref name="match"/> (all devices when null).</summary>
    public static DeviceFilter ForDevices(DeviceMatch? match = null) => new(DeviceFilterKind.Devices, [], match);

    /// <summary>Every kernel event of every device (<c>CM_NOTIFY_FILTER_FLAG_ALL_DEVICE_INSTANCES</c>).</summary>
    public static DeviceFilter AllDevices { get; } = new(DeviceFilterKind.Devices, [], null);

    internal bool MatchesDevice(Device device) => DeviceMatch is null || DeviceMatch.Matches(device);

    /// <summary>Describes the filter.</summary>
    public override string ToString() => Kind == DeviceFilterKind.Interfaces
        ? "interfaces: " + string.Join(", ", Classes.Select(c => c.Name))
        : "devices: " + (DeviceMatch?.ToString() ?? "any");
}
