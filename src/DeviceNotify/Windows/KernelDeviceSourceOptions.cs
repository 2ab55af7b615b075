namespace DeviceNotify.Windows;

/// <summary>Options of the Windows <see cref="KernelDeviceSource"/>.</summary>
public sealed class KernelDeviceSourceOptions
{
    /// <summary>The default time DeviceNotify's registrations have to answer a query-remove that Windows sends.</summary>
    public static readonly TimeSpan DefaultQueryDeadline = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Interface classes to list and follow besides the built-in ones (their GUIDs; give each a class made with
    /// <see cref="InterfaceClass.Custom"/> and a <see cref="DeviceMatch"/> without criteria to register for it).
    /// </summary>
    public IReadOnlyList<Guid> AdditionalInterfaceClasses { get; init; } = [];

    /// <summary>
    /// How long a query-remove from Windows (another program asking to remove a device) waits for the answers of the
    /// registrations on the device; silence is a veto. Windows waits for the callback meanwhile.
    /// </summary>
    public TimeSpan QueryDeadline { get; init; } = DefaultQueryDeadline;
}
