using System.Runtime.InteropServices;

namespace DeviceNotify.Compat;

/// <summary>
/// <c>DEV_BROADCAST_HDR</c> (dbt.h), 12 bytes: the start of every <c>DEV_BROADCAST_*</c> structure. A window
/// procedure casts <c>lParam</c> to it, checks <see cref="dbch_devicetype"/>, then casts to the full structure.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 12)]
public struct DEV_BROADCAST_HDR
{
    /// <summary>The size of the whole structure, in bytes, including its variable part.</summary>
    [FieldOffset(0)] public uint dbch_size;

    /// <summary>A <c>DBT_DEVTYP_*</c> value.</summary>
    [FieldOffset(4)] public uint dbch_devicetype;

    /// <summary>0.</summary>
    [FieldOffset(8)] public uint dbch_reserved;
}
