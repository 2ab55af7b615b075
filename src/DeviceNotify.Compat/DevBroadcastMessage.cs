namespace DeviceNotify.Compat;

/// <summary>A <c>DEV_BROADCAST_*</c> structure read by <see cref="DevBroadcast.TryDecode(ReadOnlySpan{byte}, int, out DevBroadcastMessage?, out string?)"/>.</summary>
public sealed record DevBroadcastMessage
{
    /// <summary><c>dbch_devicetype</c>: a <c>DBT_DEVTYP_*</c> value.</summary>
    public uint DeviceType { get; init; }

    /// <summary><c>dbch_size</c>: the size the structure claims (checked against the buffer).</summary>
    public uint Size { get; init; }

    /// <summary>For <c>DBT_DEVTYP_DEVICEINTERFACE</c>: the interface class.</summary>
    public Guid ClassGuid { get; init; }

    /// <summary>For <c>DBT_DEVTYP_DEVICEINTERFACE</c>: the interface name (symbolic link); for <c>DBT_DEVTYP_PORT</c>: the port name.</summary>
    public string? Name { get; init; }

    /// <summary>For <c>DBT_DEVTYP_HANDLE</c>: the registered handle.</summary>
    public long Handle { get; init; }

    /// <summary>For <c>DBT_DEVTYP_HANDLE</c>: the HDEVNOTIFY of the registration.</summary>
    public long DevNotify { get; init; }

    /// <summary>For <c>DBT_DEVTYP_HANDLE</c> of a custom event: the event GUID.</summary>
    public Guid EventGuid { get; init; }

    /// <summary>For <c>DBT_DEVTYP_HANDLE</c> of a custom event: the offset of a string in <see cref="Data"/>, or -1.</summary>
    public int NameOffset { get; init; } = -1;

    /// <summary>For <c>DBT_DEVTYP_HANDLE</c> of a custom event: its data; for <c>DBT_DEVTYP_VOLUME</c>: empty.</summary>
    public byte[] Data { get; init; } = [];

    /// <summary>For <c>DBT_DEVTYP_VOLUME</c>: the drive-letter bits.</summary>
    public uint UnitMask { get; init; }

    /// <summary>For <c>DBT_DEVTYP_VOLUME</c>: DBTF_MEDIA / DBTF_NET.</summary>
    public ushort VolumeFlags { get; init; }
}
