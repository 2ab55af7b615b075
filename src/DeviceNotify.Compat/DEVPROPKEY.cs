using System.Runtime.InteropServices;

namespace DeviceNotify.Compat;

/// <summary><c>DEVPROPKEY</c> (devpropdef.h), 20 bytes: a device property's format GUID and id.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct DEVPROPKEY
{
    /// <summary>The property set.</summary>
    public Guid fmtid;

    /// <summary>The property id within the set.</summary>
    public uint pid;
}
