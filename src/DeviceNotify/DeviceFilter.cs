namespace DeviceNotify;

/// <summary>
/// What a registration listens to: the interfaces of some classes (arrival/removal, with pairing), or the
/// kernel events of some devices (like <c>udevadm monitor</c>).
/// </summary>
public sealed class DeviceFilter
{
    private DeviceFilter(DeviceFilterKind kind, IReadOnlyList<InterfaceClass> classes, DeviceMatch? match, HandleIdentity? handle = null, bool handleIsHere = false)
    {
        HandleIsHere = handleIsHere;
        Handle = handle;
        Kind = kind;
        Classes = classes;
        DeviceMatch = match;
        IndexKeys = ComputeIndexKeys(kind, classes, match);
    }

    /// <summary>The handle's identity (for <see cref="DeviceFilterKind.Handle"/>).</summary>
    public HandleIdentity? Handle { get; }

    /// <summary>
    /// Notifications about the device behind an open handle: a device node's own device, or the volume holding
    /// an open file. Read once, now: the registration stays bound to that device.
    /// </summary>
    /// <exception cref="ArgumentException">The handle is closed or invalid.</exception>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    public static DeviceFilter ForHandle(System.Runtime.InteropServices.SafeHandle handle)
        => new(DeviceFilterKind.Handle, [], null, HandleIdentity.Of(handle), handleIsHere: true);

    /// <summary>
    /// Notifications about the device a handle's identity names (read earlier with <see cref="HandleIdentity.Of"/>),
    /// for a process that holds the handle and may close and reopen it while the registration lives. As with
    /// <see cref="ForHandle(System.Runtime.InteropServices.SafeHandle)"/>, the removal coordinator asks this
    /// registration before the device or volume goes.
    /// </summary>
    public static DeviceFilter ForHandle(HandleIdentity identity) => new(DeviceFilterKind.Handle, [], null, identity, handleIsHere: true);

    /// <summary>
    /// The same notifications, for a process that holds no handle itself (a broker forwarding them to the process
    /// that does). The removal coordinator does not ask such a registration: the holder is the party (a broker adds
    /// it with <see cref="RemovalCoordinator.AddParty"/>).
    /// </summary>
    public static DeviceFilter ObserveHandle(HandleIdentity identity) => new(DeviceFilterKind.Handle, [], null, identity);

    /// <summary>The kind of filter.</summary>
    public DeviceFilterKind Kind { get; }

    /// <summary>The interface classes (for <see cref="DeviceFilterKind.Interfaces"/>).</summary>
    public IReadOnlyList<InterfaceClass> Classes { get; }

    /// <summary>The device criteria (for <see cref="DeviceFilterKind.Devices"/>); null for every device.</summary>
    public DeviceMatch? DeviceMatch { get; }

    /// <summary>
    /// Where the dispatcher files this filter: null for "any event"; otherwise keys "subsystem" (any device of it)
    /// or "subsystem/sysname" (one exact kernel name). An event reaches a filter through at most one key, except a
    /// rename, whose old and new names are both looked up.
    /// </summary>
    internal IReadOnlyList<string>? IndexKeys { get; }

    internal static string NameKey(string subsystem, string sysName) => subsystem + "/" + sysName;

    private static string[]? ComputeIndexKeys(DeviceFilterKind kind, IReadOnlyList<InterfaceClass> classes, DeviceMatch? match)
    {
        if (kind == DeviceFilterKind.Handle)
            return null; // an ancestor's removal concerns it too, whatever the ancestor's subsystem
        var matches = kind == DeviceFilterKind.Interfaces ? classes.Select(c => c.Match).ToList() : [match ?? new DeviceMatch()];
        if (matches.Any(m => m.Subsystem is null))
            return null;
        var keys = new List<string>();
        foreach (var group in matches.GroupBy(m => m.Subsystem!, StringComparer.Ordinal))
        {
            // Exact names only when every criterion on this subsystem names one device; otherwise the whole subsystem.
            if (group.All(m => m.SysName is { } n && !Parsing.Glob.HasWildcards(n)))
                keys.AddRange(group.Select(m => NameKey(group.Key, m.SysName!)).Distinct(StringComparer.Ordinal));
            else
                keys.Add(group.Key);
        }
        return keys.ToArray();
    }

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

    /// <summary>For a handle filter: true when this process holds the handle (so its registration is a removal party).</summary>
    internal bool HandleIsHere { get; }

    /// <summary>Describes the filter.</summary>
    public override string ToString() => Kind switch
    {
        DeviceFilterKind.Interfaces => "interfaces: " + string.Join(", ", Classes.Select(c => c.Name)),
        DeviceFilterKind.Handle => "handle on " + Handle,
        _ => "devices: " + (DeviceMatch?.ToString() ?? "any"),
    };
}
