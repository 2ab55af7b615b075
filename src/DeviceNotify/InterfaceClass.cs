using System.Security.Cryptography;
using System.Text;
using DeviceNotify.Parsing;

namespace DeviceNotify;

/// <summary>
/// A device interface class: the Windows GUID and name, and the Linux predicate that says which devices
/// expose an interface of the class. The built-in classes keep the Windows GUIDs so ported code keeps its
/// constants; <see cref="Custom"/> makes classes from a <see cref="DeviceMatch"/>.
/// </summary>
public sealed class InterfaceClass : IEquatable<InterfaceClass>
{
    private readonly Func<Device, bool>? _predicate;

    private InterfaceClass(Guid guid, string name, DeviceMatch match, Func<Device, bool>? predicate)
    {
        Guid = guid;
        Name = name;
        Match = match;
        _predicate = predicate;
    }

    /// <summary>The interface class GUID (the Windows one for built-in classes).</summary>
    public Guid Guid { get; }

    /// <summary>The class name (<c>Disk</c>, <c>Net</c>, ... or the custom name).</summary>
    public string Name { get; }

    /// <summary>The property criteria of the class (built-in classes may test more, see DESIGN.md §1).</summary>
    public DeviceMatch Match { get; }

    /// <summary><c>GUID_DEVINTERFACE_DISK</c>: block devices of type disk (CD-ROM drives excluded).</summary>
    public static InterfaceClass Disk { get; } = new(new Guid("53f56307-b6bf-11d0-94f2-00a0c91efb8b"), "Disk",
        new DeviceMatch { Subsystem = "block", DevType = "disk" }, d => !IsCdRom(d));

    /// <summary><c>GUID_DEVINTERFACE_VOLUME</c>: a partition, or a whole disk with media and no partitions.</summary>
    public static InterfaceClass Volume { get; } = new(new Guid("53f5630d-b6bf-11d0-94f2-00a0c91efb8b"), "Volume",
        new DeviceMatch { Subsystem = "block" }, IsVolume);

    /// <summary><c>GUID_DEVINTERFACE_CDROM</c>: <c>sr*</c> block devices or those udev marked <c>ID_CDROM=1</c>.</summary>
    public static InterfaceClass CdRom { get; } = new(new Guid("53f56308-b6bf-11d0-94f2-00a0c91efb8b"), "CdRom",
        new DeviceMatch { Subsystem = "block", DevType = "disk" }, IsCdRom);

    /// <summary><c>GUID_DEVINTERFACE_NET</c>: network interfaces (the interface path is the interface name).</summary>
    public static InterfaceClass Net { get; } = new(new Guid("cac88484-7515-4c03-82e6-71a87abac361"), "Net",
        new DeviceMatch { Subsystem = "net" }, null);

    /// <summary><c>GUID_DEVINTERFACE_HID</c>: hidraw nodes.</summary>
    public static InterfaceClass Hid { get; } = new(new Guid("4d1e55b2-f16f-11cf-88cb-001111000030"), "Hid",
        new DeviceMatch { Subsystem = "hidraw" }, null);

    /// <summary><c>GUID_DEVINTERFACE_COMPORT</c>: tty devices with a parent device (real serial ports, not virtual consoles or ptys).</summary>
    public static InterfaceClass ComPort { get; } = new(new Guid("86e0d1e0-8089-11d0-9ce4-08003e301f73"), "ComPort",
        new DeviceMatch { Subsystem = "tty" }, d => !d.DevPath.StartsWith("/devices/virtual/", StringComparison.Ordinal));

    /// <summary><c>GUID_DEVINTERFACE_USB_DEVICE</c>: USB devices (not their interfaces).</summary>
    public static InterfaceClass UsbDevice { get; } = new(new Guid("a5dcbf10-6530-11d2-901f-00c04fb951ed"), "UsbDevice",
        new DeviceMatch { Subsystem = "usb", DevType = "usb_device" }, null);

    /// <summary><c>GUID_DEVINTERFACE_KEYBOARD</c>: input <c>event*</c> nodes whose device has the keys ESC..D (udev's input_id test).</summary>
    public static InterfaceClass Keyboard { get; } = new(new Guid("884b96c3-56ef-11d1-bc8c-00a0c91405dd"), "Keyboard",
        new DeviceMatch { Subsystem = "input", SysName = "event*" }, IsKeyboard);

    /// <summary><c>GUID_DEVINTERFACE_MOUSE</c>: input <c>event*</c> nodes with relative X/Y axes and a left button.</summary>
    public static InterfaceClass Mouse { get; } = new(new Guid("378de44c-56ef-11d1-bc8c-00a0c91405dd"), "Mouse",
        new DeviceMatch { Subsystem = "input", SysName = "event*" }, IsMouse);

    /// <summary><c>GUID_DISPLAY_DEVICE_ARRIVAL</c>: DRM cards (<c>card0</c>, not their connectors).</summary>
    public static InterfaceClass DisplayAdapter { get; } = new(new Guid("5b45201d-f2f2-4f3b-85bb-30ff1f953599"), "DisplayAdapter",
        new DeviceMatch { Subsystem = "drm", SysName = "card*" }, d => !d.SysName.Contains('-', StringComparison.Ordinal));

    /// <summary>Every built-in class, in the order of DESIGN.md §1.</summary>
    public static IReadOnlyList<InterfaceClass> BuiltIn { get; } =
        [Disk, Volume, CdRom, Net, Hid, ComPort, UsbDevice, Keyboard, Mouse, DisplayAdapter];

    /// <summary>
    /// Makes a custom interface class from property criteria. Without <paramref name="guid"/> the GUID is derived
    /// from the name (a name-based, version 5 style GUID), so the same name gives the same GUID everywhere.
    /// </summary>
    public static InterfaceClass Custom(string name, DeviceMatch match, Guid? guid = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(match);
        return new InterfaceClass(guid ?? NameBasedGuid(name), name, match, null);
    }

    /// <summary>Finds a built-in class by name (case-insensitive) or GUID.</summary>
    public static bool TryFind(string nameOrGuid, out InterfaceClass? interfaceClass)
    {
        ArgumentNullException.ThrowIfNull(nameOrGuid);
        Guid.TryParse(nameOrGuid, out var guid);
        interfaceClass = BuiltIn.FirstOrDefault(c => c.Guid == guid || string.Equals(c.Name, nameOrGuid, StringComparison.OrdinalIgnoreCase));
        return interfaceClass is not null;
    }

    /// <summary>True when <paramref name="device"/> exposes an interface of this class.</summary>
    public bool Matches(Device device) => device.InterfaceClassGuid is { } windowsClass
        ? windowsClass == Guid   // a Windows interface record: its class is its GUID
        : Match.Matches(device) && (_predicate is null || _predicate(device));

    /// <summary>
    /// The interface path for a device of this class: its device node, or its kernel name when it has none (network
    /// interfaces); on Windows the symbolic link.
    /// </summary>
    public static string GetInterfacePath(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.InterfaceClassGuid is not null && device.GetProperty(Windows.DeviceRecords.SymbolicLinkKey) is { } link)
            return link;
        return device.DevNode ?? device.SysName;
    }

    /// <summary>The subsystem every matching device has, when it is a fixed one (used to index registrations).</summary>
    internal string? IndexSubsystem => Match.Subsystem;

    /// <inheritdoc/>
    public bool Equals(InterfaceClass? other) => other is not null && other.Guid == Guid && other.Name == Name;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as InterfaceClass);

    /// <inheritdoc/>
    public override int GetHashCode() => Guid.GetHashCode();

    /// <summary>The name and GUID.</summary>
    public override string ToString() => $"{Name} {{{Guid}}}";

    private static bool IsCdRom(Device d)
        => d.SysName.StartsWith("sr", StringComparison.Ordinal) || d.PropertyEquals("ID_CDROM", "1");

    // Class membership is pure: what it needs beyond the properties was read by the source (Device.Attributes).
    private static bool IsVolume(Device d)
    {
        if (string.Equals(d.DevType, "partition", StringComparison.Ordinal))
            return true;
        if (!string.Equals(d.DevType, "disk", StringComparison.Ordinal) || IsCdRom(d))
            return false;
        // A whole disk is a volume only when it has media (unattached loop devices have size 0) and no partitions.
        return d.Attributes.SizeSectors is not 0 && !d.Attributes.HasPartitions;
    }

    // drivers/input: EV_KEY = 1, EV_REL = 2, KEY_ESC..KEY_D = bits 1..31, REL_X = 0, REL_Y = 1, BTN_LEFT = 0x110.
    private static bool IsKeyboard(Device d)
    {
        if (!CapabilityBitmap.HasBit(d.Attributes.EventBits, 1))
            return false;
        var keys = d.Attributes.KeyBits;
        for (int bit = 1; bit < 32; bit++)
        {
            if (!CapabilityBitmap.HasBit(keys, bit))
                return false;
        }
        return true;
    }

    private static bool IsMouse(Device d)
    {
        var a = d.Attributes;
        return CapabilityBitmap.HasBit(a.EventBits, 2)
            && CapabilityBitmap.HasBit(a.RelBits, 0) && CapabilityBitmap.HasBit(a.RelBits, 1)
            && CapabilityBitmap.HasBit(a.KeyBits, 0x110);
    }

    private static Guid NameBasedGuid(string name)
    {
        // RFC 4122 §4.3 with a fixed DeviceNotify namespace, so custom class GUIDs are stable across runs.
        ReadOnlySpan<byte> ns = [0x6f, 0x1d, 0x0b, 0x3a, 0x52, 0x7e, 0x4c, 0x21, 0x9a, 0x55, 0x2f, 0x44, 0x10, 0x6e, 0x83, 0xd7];
        var input = new byte[16 + Encoding.UTF8.GetByteCount(name)];
        ns.CopyTo(input);
        Encoding.UTF8.GetBytes(name, input.AsSpan(16));
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
