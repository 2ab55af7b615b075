using System.Buffers.Text;
using System.Collections.ObjectModel;
using System.Text;
using DeviceNotify.Parsing;

namespace DeviceNotify;

/// <summary>
/// A device instance (the Windows "device instance", identified by its kernel <see cref="DevPath"/>), as a
/// snapshot of its properties: from a kernel uevent (then <see cref="Action"/> and
/// <see cref="SequenceNumber"/> say which one) or from the device's sysfs <c>uevent</c> file.
/// </summary>
/// <remarks>
/// Properties are kept as the kernel sent them, in one byte block with an index of field offsets, and are
/// decoded to strings only when asked for: parsing a uevent allocates the block, the index and this object.
/// Instances are immutable and safe to share between threads.
/// </remarks>
public sealed class Device
{
    private const string DefaultSysfsRoot = "/sys";
    private readonly byte[] _block;
    private readonly PropertyField[] _fields;
    private readonly string _sysfsRoot;
    private string? _sysName;
    private string? _devNode;
    private IReadOnlyDictionary<string, string>? _properties;

    internal Device(byte[] block, PropertyField[] fields, string devPath, string subsystem, DeviceAction action, ulong sequenceNumber, string sysfsRoot,
        DeviceAttributes? attributes = null)
    {
        Attributes = attributes ?? DeviceAttributes.None;
        _block = block;
        _fields = fields;
        DevPath = devPath;
        Subsystem = subsystem;
        Action = action;
        SequenceNumber = sequenceNumber;
        _sysfsRoot = sysfsRoot;
        DevType = GetInterned("DEVTYPE"u8);
    }

    /// <summary>
    /// Creates a device record by hand, for the <see cref="Simulation.SimulatedDeviceSource"/> and for tests.
    /// </summary>
    /// <param name="devPath">The kernel device path, starting with <c>/devices/</c> (for example <c>/devices/virtual/net/tap0</c>).</param>
    /// <param name="subsystem">The subsystem (<c>net</c>, <c>block</c>, <c>tty</c>, ...).</param>
    /// <param name="properties">Other properties (<c>DEVTYPE</c>, <c>DEVNAME</c>, <c>MAJOR</c>, <c>MINOR</c>, <c>INTERFACE</c>, ...).
    /// <c>DEVPATH</c> and <c>SUBSYSTEM</c> are set from the parameters.</param>
    /// <param name="attributes">What the source would read beyond the properties (size, partitions, input capabilities); null for none.</param>
    /// <exception cref="ArgumentException"><paramref name="devPath"/> does not start with '/', a key is empty or holds '=' or NUL, or a value holds NUL.</exception>
    public Device(string devPath, string subsystem, IEnumerable<KeyValuePair<string, string>>? properties = null, DeviceAttributes? attributes = null)
    {
        Attributes = attributes ?? DeviceAttributes.None;
        ArgumentException.ThrowIfNullOrEmpty(devPath);
        ArgumentException.ThrowIfNullOrEmpty(subsystem);
        if (devPath[0] != '/')
            throw new ArgumentException("A devpath starts with '/', for example /devices/virtual/net/tap0.", nameof(devPath));

        var pairs = new List<KeyValuePair<string, string>> { new("DEVPATH", devPath), new("SUBSYSTEM", subsystem) };
        if (properties is not null)
        {
            foreach (var p in properties)
            {
                if (p.Key.Length == 0 || p.Key.AsSpan().IndexOfAny('=', '\0') >= 0)
                    throw new ArgumentException($"Property key '{p.Key}' is empty or holds '=' or NUL.", nameof(properties));
                if (p.Value.Contains('\0', StringComparison.Ordinal))
                    throw new ArgumentException($"Property '{p.Key}' holds a NUL character.", nameof(properties));
                if (p.Key is "DEVPATH" or "SUBSYSTEM")
                    continue;
                pairs.Add(p);
            }
        }

        var text = new StringBuilder();
        foreach (var p in pairs)
            text.Append(p.Key).Append('=').Append(p.Value).Append('\0');
        _block = Encoding.UTF8.GetBytes(text.ToString());
        _fields = PropertyBlock.Index(_block, 0);
        DevPath = devPath;
        Subsystem = subsystem;
        _sysfsRoot = DefaultSysfsRoot;
        DevType = GetInterned("DEVTYPE"u8);
    }

    /// <summary>The kernel device path below sysfs, for example <c>/devices/virtual/net/tap0</c>.</summary>
    public string DevPath { get; }

    /// <summary>The subsystem (<c>SUBSYSTEM=</c>): <c>net</c>, <c>block</c>, <c>usb</c>, <c>tty</c>, ...</summary>
    public string Subsystem { get; }

    /// <summary>The device type within its subsystem (<c>DEVTYPE=</c>): <c>disk</c>, <c>partition</c>, <c>usb_device</c>, ...; null when the kernel gives none.</summary>
    public string? DevType { get; }

    /// <summary>The kernel action this snapshot came from; <see cref="DeviceAction.None"/> for a device read from sysfs.</summary>
    public DeviceAction Action { get; }

    /// <summary>The kernel's uevent sequence number (<c>SEQNUM=</c>); 0 for a device read from sysfs.</summary>
    public ulong SequenceNumber { get; }

    /// <summary>The last element of <see cref="DevPath"/>: the kernel name (<c>tap0</c>, <c>sdb1</c>, <c>ttyUSB0</c>).</summary>
    public string SysName => _sysName ??= DevPath[(DevPath.LastIndexOf('/') + 1)..];

    /// <summary>The device's directory in sysfs (the sysfs root followed by <see cref="DevPath"/>).</summary>
    public string SysPath => _sysfsRoot + DevPath;

    /// <summary>The device node name below /dev (<c>DEVNAME=</c>), or null for devices without a node.</summary>
    public string? DevName => GetProperty("DEVNAME");

    /// <summary>The device node (<c>/dev/</c> + <see cref="DevName"/>), or null for devices without one (network interfaces).</summary>
    public string? DevNode => _devNode ??= DevName is { } name ? "/dev/" + name : null;

    /// <summary>The bound driver (<c>DRIVER=</c>), or null.</summary>
    public string? Driver => GetInterned("DRIVER"u8);

    /// <summary>The device number's major part (<c>MAJOR=</c>), or null for devices without a node.</summary>
    public int? Major => GetInt32("MAJOR"u8);

    /// <summary>The device number's minor part (<c>MINOR=</c>), or null for devices without a node.</summary>
    public int? Minor => GetInt32("MINOR"u8);

    /// <summary>Every property as the kernel gave it, including <c>DEVPATH</c> and <c>SUBSYSTEM</c> (and, for a uevent, <c>ACTION</c> and <c>SEQNUM</c>).</summary>
    public IReadOnlyDictionary<string, string> Properties => _properties ??= BuildProperties();

    /// <summary>The number of properties.</summary>
    public int PropertyCount => _fields.Length;

    /// <summary>
    /// Facts beyond the properties (size, partitions, input capabilities), read by the source when it read this
    /// record; <see cref="DeviceAttributes.None"/> for devices that have none.
    /// </summary>
    public DeviceAttributes Attributes { get; private set; }

    /// <summary>
    /// The properties as the kernel sent them, as UTF-8 key/value spans, without allocating (for writers such as
    /// a JSON formatter).
    /// </summary>
    public Utf8PropertyEnumerator EnumerateUtf8Properties() => new(this);

    /// <summary>Returns the value of property <paramref name="key"/>, or null when the device has none.</summary>
    public string? GetProperty(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> utf8 = key.Length <= 128 ? stackalloc byte[key.Length * 3] : new byte[key.Length * 3];
        int n = Encoding.UTF8.GetBytes(key, utf8);
        int i = Find(utf8[..n]);
        return i < 0 ? null : Encoding.UTF8.GetString(Value(i));
    }

    /// <summary>True when property <paramref name="key"/> exists and equals <paramref name="value"/> (ordinal). Does not allocate for short keys and values.</summary>
    public bool PropertyEquals(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        Span<byte> k = key.Length <= 128 ? stackalloc byte[key.Length * 3] : new byte[key.Length * 3];
        int kn = Encoding.UTF8.GetBytes(key, k);
        int i = Find(k[..kn]);
        if (i < 0)
            return false;
        Span<byte> v = value.Length <= 256 ? stackalloc byte[value.Length * 3] : new byte[value.Length * 3];
        int vn = Encoding.UTF8.GetBytes(value, v);
        return Value(i).SequenceEqual(v[..vn]);
    }

    /// <summary>Returns a short description: subsystem, name and devpath.</summary>
    public override string ToString() => $"{Subsystem} {SysName} ({DevPath})";

    internal ReadOnlySpan<byte> Key(int index)
    {
        var f = _fields[index];
        return _block.AsSpan(f.Start, f.KeyLength);
    }

    internal ReadOnlySpan<byte> Value(int index)
    {
        var f = _fields[index];
        return _block.AsSpan(f.ValueStart, f.ValueLength);
    }

    internal int Find(ReadOnlySpan<byte> key)
    {
        for (int i = 0; i < _fields.Length; i++)
        {
            if (Key(i).SequenceEqual(key))
                return i;
        }
        return -1;
    }

    internal string? GetInterned(ReadOnlySpan<byte> key)
    {
        int i = Find(key);
        return i < 0 ? null : Utf8StringCache.Get(Value(i));
    }

    /// <summary>The same device with another action and sequence number (used for synthesized events).</summary>
    internal Device WithAction(DeviceAction action, ulong sequenceNumber)
        => new(_block, _fields, DevPath, Subsystem, action, sequenceNumber, _sysfsRoot, Attributes) { IsListed = IsListed, InterfaceClassGuid = InterfaceClassGuid };

    /// <summary>
    /// Windows: a record of the Windows source is one device interface; this is its class, and class membership is this
    /// GUID (not the Linux predicates). Null for every Linux record.
    /// </summary>
    internal Guid? InterfaceClassGuid { get; private set; }

    /// <summary>Windows: marks a record the source has just built as an interface of <paramref name="classGuid"/> (before it is handed on).</summary>
    internal void MarkInterfaceOf(Guid classGuid) => InterfaceClassGuid = classGuid;

    /// <summary>
    /// Sets the attributes of a record the source has just parsed, before it hands the record on (the one write;
    /// the record is immutable from then on, and is published to other threads through the dispatcher's lock).
    /// </summary>
    internal void SetAttributes(DeviceAttributes attributes) => Attributes = attributes;

    /// <summary>
    /// False for a kobject that no device listing can show (a net interface's queues): its events pass through, but
    /// the device table and the views do not keep it. Set by the source before it hands the record on; true otherwise.
    /// </summary>
    internal bool IsListed { get; private set; } = true;

    /// <summary>See <see cref="IsListed"/>; the one write, by the source, before publication.</summary>
    internal void SetUnlisted() => IsListed = false;

    /// <summary>
    /// True when both records carry the same properties, ignoring the per-event ones (ACTION, SEQNUM, DEVPATH_OLD)
    /// and field order, and the same attributes. Used on resynchronisation to decide whether a device changed while
    /// events were lost.
    /// </summary>
    internal bool HasSameStateAs(Device other)
    {
        if (!Attributes.Equals(other.Attributes))
            return false;
        int mine = 0;
        for (int i = 0; i < _fields.Length; i++)
        {
            var key = Key(i);
            if (IsPerEventKey(key))
                continue;
            mine++;
            int j = other.Find(key);
            if (j < 0 || !other.Value(j).SequenceEqual(Value(i)))
                return false;
        }
        int theirs = 0;
        for (int i = 0; i < other._fields.Length; i++)
        {
            if (!IsPerEventKey(other.Key(i)))
                theirs++;
        }
        return mine == theirs;
    }

    private static bool IsPerEventKey(ReadOnlySpan<byte> key)
        => key.SequenceEqual("ACTION"u8) || key.SequenceEqual("SEQNUM"u8) || key.SequenceEqual("DEVPATH_OLD"u8);

    private int? GetInt32(ReadOnlySpan<byte> key)
    {
        int i = Find(key);
        if (i < 0)
            return null;
        return Utf8Parser.TryParse(Value(i), out int v, out int used) && used == Value(i).Length ? v : null;
    }

    private ReadOnlyDictionary<string, string> BuildProperties()
    {
        var d = new Dictionary<string, string>(_fields.Length, StringComparer.Ordinal);
        for (int i = 0; i < _fields.Length; i++)
            d.TryAdd(Encoding.UTF8.GetString(Key(i)), Encoding.UTF8.GetString(Value(i)));
        return new ReadOnlyDictionary<string, string>(d);
    }
}
