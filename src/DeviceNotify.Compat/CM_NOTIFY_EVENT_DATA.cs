using System.Runtime.InteropServices;

namespace DeviceNotify.Compat;

/// <summary>
/// <c>CM_NOTIFY_EVENT_DATA</c> (cfgmgr32.h) in its native layout (36 bytes; the same on x64 and x86). The callback
/// receives a pointer to it and its true size (<c>EventDataSize</c>): the variable parts (the symbolic link, the
/// instance ID, the custom data) run past the declared size, so read them through the pointer, as in C:
/// <c>new string(EventData-&gt;u.DeviceInterface.SymbolicLink)</c>.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 36)]
public struct CM_NOTIFY_EVENT_DATA
{
    /// <summary>The filter type of the registration.</summary>
    [FieldOffset(0)] public CM_NOTIFY_FILTER_TYPE FilterType;

    /// <summary>0.</summary>
    [FieldOffset(4)] public uint Reserved;

    /// <summary>The event's data, by <see cref="FilterType"/>.</summary>
    [FieldOffset(8)] public EventUnion u;

    /// <summary>The union <c>u</c> (28 bytes, at offset 8).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 28)]
    public struct EventUnion
    {
        /// <summary>For interface filters: the class and the symbolic link.</summary>
        [FieldOffset(0)] public InterfaceData DeviceInterface;

        /// <summary>For handle filters' custom events: the event GUID and its data.</summary>
        [FieldOffset(0)] public HandleData DeviceHandle;

        /// <summary>For instance filters: the instance ID.</summary>
        [FieldOffset(0)] public InstanceData DeviceInstance;
    }

    /// <summary><c>u.DeviceInterface</c>: ClassGuid at offset 8, SymbolicLink at offset 24.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct InterfaceData
    {
        /// <summary>The interface class.</summary>
        public Guid ClassGuid;

        /// <summary>The first character of the NUL-terminated symbolic link (the interface path).</summary>
        public fixed char SymbolicLink[1];
    }

    /// <summary><c>u.DeviceHandle</c>: EventGuid at 8, NameOffset at 24, DataSize at 28, Data at 32.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct HandleData
    {
        /// <summary>The custom event (<c>GUID_IO_VOLUME_*</c>).</summary>
        public Guid EventGuid;

        /// <summary>Offset of an optional string in <see cref="Data"/>; -1 when none.</summary>
        public int NameOffset;

        /// <summary>How many bytes <see cref="Data"/> holds.</summary>
        public uint DataSize;

        /// <summary>The first byte of the event's data.</summary>
        public fixed byte Data[1];
    }

    /// <summary><c>u.DeviceInstance</c>: InstanceId at offset 8.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct InstanceData
    {
        /// <summary>The first character of the NUL-terminated device instance ID.</summary>
        public fixed char InstanceId[1];
    }
}
