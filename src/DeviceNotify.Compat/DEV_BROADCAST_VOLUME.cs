using System.Runtime.InteropServices;

namespace DeviceNotify.Compat;

/// <summary>
/// <c>DEV_BROADCAST_VOLUME</c> (dbt.h), 20 bytes: drive letters that arrived or went (bit 0 = A:). Windows
/// broadcasts it to every top-level window without registration; DeviceNotify does not send it (Linux has no drive
/// letters), the structure is here so ported code compiles.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 20)]
public struct DEV_BROADCAST_VOLUME
{
    /// <summary>20.</summary>
    [FieldOffset(0)] public uint dbcv_size;

    /// <summary><see cref="Dbt.DBT_DEVTYP_VOLUME"/>.</summary>
    [FieldOffset(4)] public uint dbcv_devicetype;

    /// <summary>0.</summary>
    [FieldOffset(8)] public uint dbcv_reserved;

    /// <summary>One bit per drive letter, bit 0 = A:.</summary>
    [FieldOffset(12)] public uint dbcv_unitmask;

    /// <summary><see cref="Dbt.DBTF_MEDIA"/>, <see cref="Dbt.DBTF_NET"/>.</summary>
    [FieldOffset(16)] public ushort dbcv_flags;
}
