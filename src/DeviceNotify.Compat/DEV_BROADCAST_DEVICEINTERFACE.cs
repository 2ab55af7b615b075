using System.Runtime.InteropServices;

namespace DeviceNotify.Compat;

/// <summary>
/// <c>DEV_BROADCAST_DEVICEINTERFACE</c> (dbt.h; the Unicode layout <c>DEV_BROADCAST_DEVICEINTERFACE_W</c>):
/// 32 bytes, the class at offset 12, the NUL-terminated name at offset 28. Used as a
/// <see cref="User32.RegisterDeviceNotification"/> filter and received with interface arrival and removal.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public unsafe struct DEV_BROADCAST_DEVICEINTERFACE
{
    /// <summary>The size: at least 32; a received one covers the name and its NUL (28 + 2 × (length + 1)).</summary>
    [FieldOffset(0)] public uint dbcc_size;

    /// <summary><see cref="Dbt.DBT_DEVTYP_DEVICEINTERFACE"/>.</summary>
    [FieldOffset(4)] public uint dbcc_devicetype;

    /// <summary>0.</summary>
    [FieldOffset(8)] public uint dbcc_reserved;

    /// <summary>The interface class.</summary>
    [FieldOffset(12)] public Guid dbcc_classguid;

    /// <summary>The first character of the NUL-terminated interface name (the symbolic link).</summary>
    [FieldOffset(28)] public fixed char dbcc_name[1];
}
