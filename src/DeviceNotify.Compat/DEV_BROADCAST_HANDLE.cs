using System.Runtime.InteropServices;

namespace DeviceNotify.Compat;

/// <summary>
/// <c>DEV_BROADCAST_HANDLE</c> (dbt.h): 56 bytes on x64, 44 on x86. Its two handles make the offsets depend on the
/// pointer size, so the layout is stated as sequential with the C alignment rules (the runtime computes exactly the
/// C offsets for the process's bitness: handle 16/12, hdevnotify 24/16, eventguid 32/20, nameoffset 48/36,
/// data 52/40). Used as a <see cref="User32.RegisterDeviceNotification"/> filter and received with the handle's
/// events; <see cref="dbch_eventguid"/> and the fields after it are valid only for <see cref="Dbt.DBT_CUSTOMEVENT"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct DEV_BROADCAST_HANDLE
{
    /// <summary>The size: <c>sizeof(DEV_BROADCAST_HANDLE)</c> for a filter; a received custom event covers its data.</summary>
    public uint dbch_size;

    /// <summary><see cref="Dbt.DBT_DEVTYP_HANDLE"/>.</summary>
    public uint dbch_devicetype;

    /// <summary>0.</summary>
    public uint dbch_reserved;

    /// <summary>The open handle registered (from <see cref="Kernel32.CreateFile"/>).</summary>
    public nint dbch_handle;

    /// <summary>The notification handle <see cref="User32.RegisterDeviceNotification"/> returned (not a device handle).</summary>
    public nint dbch_hdevnotify;

    /// <summary>For <see cref="Dbt.DBT_CUSTOMEVENT"/>: which event (<c>GUID_IO_VOLUME_*</c>).</summary>
    public Guid dbch_eventguid;

    /// <summary>For <see cref="Dbt.DBT_CUSTOMEVENT"/>: offset of an optional string in <see cref="dbch_data"/>; -1 when none.</summary>
    public int dbch_nameoffset;

    /// <summary>The first byte of the custom event's data.</summary>
    public fixed byte dbch_data[1];
}
