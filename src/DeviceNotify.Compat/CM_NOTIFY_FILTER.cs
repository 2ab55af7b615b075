using System.Runtime.InteropServices;

namespace DeviceNotify.Compat;

/// <summary>
/// <c>CM_NOTIFY_FILTER</c> (cfgmgr32.h) in its native layout: 416 bytes on x64 and x86, the union at offset 16.
/// Set <see cref="cbSize"/> to <c>sizeof(CM_NOTIFY_FILTER)</c> (416); any other value is refused with
/// <see cref="CONFIGRET.CR_INVALID_DATA"/>, as Windows does.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 416)]
public struct CM_NOTIFY_FILTER
{
    /// <summary>The size of the structure: 416.</summary>
    [FieldOffset(0)] public uint cbSize;

    /// <summary>Zero, or one of the <c>CM_NOTIFY_FILTER_FLAG_ALL_*</c> flags.</summary>
    [FieldOffset(4)] public uint Flags;

    /// <summary>Which member of <see cref="u"/> applies.</summary>
    [FieldOffset(8)] public CM_NOTIFY_FILTER_TYPE FilterType;

    /// <summary>Must be 0.</summary>
    [FieldOffset(12)] public uint Reserved;

    /// <summary>The filter's data, by <see cref="FilterType"/>.</summary>
    [FieldOffset(16)] public FilterUnion u;

    /// <summary>The union <c>u</c>: all three members start at offset 16 of the filter.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 400)]
    public struct FilterUnion
    {
        /// <summary>For <c>CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE</c>.</summary>
        [FieldOffset(0)] public InterfaceFilter DeviceInterface;

        /// <summary>For <c>CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE</c>.</summary>
        [FieldOffset(0)] public HandleFilter DeviceHandle;

        /// <summary>For <c>CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE</c>.</summary>
        [FieldOffset(0)] public InstanceFilter DeviceInstance;
    }

    /// <summary><c>u.DeviceInterface</c>.</summary>
    public struct InterfaceFilter
    {
        /// <summary>The interface class (zero with <c>CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES</c>).</summary>
        public Guid ClassGuid;
    }

    /// <summary><c>u.DeviceHandle</c>.</summary>
    public struct HandleFilter
    {
        /// <summary>An open handle to the device (from <see cref="Kernel32.CreateFile"/>).</summary>
        public nint hTarget;
    }

    /// <summary><c>u.DeviceInstance</c>.</summary>
    public unsafe struct InstanceFilter
    {
        /// <summary>The device instance ID, NUL-terminated (empty with <c>CM_NOTIFY_FILTER_FLAG_ALL_DEVICE_INSTANCES</c>).</summary>
        public fixed char InstanceId[CfgMgr32.MAX_DEVICE_ID_LEN];
    }
}
