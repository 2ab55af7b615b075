namespace DeviceNotify;

/// <summary>
/// A device interface (the Windows symbolic link): an instance of an <see cref="InterfaceClass"/> exposed by a
/// <see cref="Device"/>, named by <see cref="Path"/> — the device node (<c>/dev/sdb1</c>) or, for devices
/// without one, the kernel name (<c>tap3</c>).
/// </summary>
public sealed class DeviceInterface
{
    /// <summary>Creates an interface record.</summary>
    public DeviceInterface(InterfaceClass interfaceClass, Device device)
    {
        ArgumentNullException.ThrowIfNull(interfaceClass);
        ArgumentNullException.ThrowIfNull(device);
        Class = interfaceClass;
        Device = device;
        Path = InterfaceClass.GetInterfacePath(device);
    }

    /// <summary>The interface class.</summary>
    public InterfaceClass Class { get; }

    /// <summary>The interface path: device node, or kernel name for devices without a node.</summary>
    public string Path { get; }

    /// <summary>The device that exposes the interface (as last seen).</summary>
    public Device Device { get; }

    /// <summary>Class name, path and devpath.</summary>
    public override string ToString() => $"{Class.Name} {Path} ({Device.DevPath})";
}
