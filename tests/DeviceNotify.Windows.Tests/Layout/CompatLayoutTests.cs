using DeviceNotify.Compat;
using static DeviceNotify.Windows.Tests.Layout.CLayout;

namespace DeviceNotify.Windows.Tests.Layout;

/// <summary>
/// Golden layouts: every structure of the compatibility layer against the Windows SDK's numbers (cfgmgr32.h, dbt.h,
/// devpropdef.h; FACTS.md §2, §4, §8, computed there with clang's MSVC targets and gcc). Each structure is checked
/// three ways: the SDK's x64 and x86 numbers (written out below), the C layout rules applied to the SDK's declaration
/// (CLayout, for both pointer sizes), and the C# structure as the runtime lays it out here (x64). The x86 numbers are
/// computed, not run: this machine has no 32-bit runtime.
/// </summary>
public unsafe class CompatLayoutTests
{
    private static readonly Struct CmNotifyFilter = new(("cbSize", DWORD), ("Flags", DWORD), ("FilterType", DWORD), ("Reserved", DWORD),
        ("u", new Union(("DeviceInterface", new Struct(("ClassGuid", GUID))), ("DeviceHandle", new Struct(("hTarget", HANDLE))),
            ("DeviceInstance", new Struct(("InstanceId", new CArray(WCHAR, 200)))))));

    private static readonly Struct CmNotifyEventData = new(("FilterType", DWORD), ("Reserved", DWORD),
        ("u", new Union(
            ("DeviceInterface", new Struct(("ClassGuid", GUID), ("SymbolicLink", new CArray(WCHAR, 1)))),
            ("DeviceHandle", new Struct(("EventGuid", GUID), ("NameOffset", LONG), ("DataSize", DWORD), ("Data", new CArray(BYTE, 1)))),
            ("DeviceInstance", new Struct(("InstanceId", new CArray(WCHAR, 1)))))));

    private static readonly Struct DevBroadcastHdr = new(("dbch_size", DWORD), ("dbch_devicetype", DWORD), ("dbch_reserved", DWORD));

    private static readonly Struct DevBroadcastHandle = new(("dbch_size", DWORD), ("dbch_devicetype", DWORD), ("dbch_reserved", DWORD),
        ("dbch_handle", HANDLE), ("dbch_hdevnotify", HANDLE), ("dbch_eventguid", GUID), ("dbch_nameoffset", LONG), ("dbch_data", new CArray(BYTE, 1)));

    private static readonly Struct DevBroadcastDeviceInterface = new(("dbcc_size", DWORD), ("dbcc_devicetype", DWORD), ("dbcc_reserved", DWORD),
        ("dbcc_classguid", GUID), ("dbcc_name", new CArray(WCHAR, 1)));

    private static readonly Struct DevBroadcastVolume = new(("dbcv_size", DWORD), ("dbcv_devicetype", DWORD), ("dbcv_reserved", DWORD),
        ("dbcv_unitmask", DWORD), ("dbcv_flags", WORD));

    private static readonly Struct DevPropKey = new(("fmtid", GUID), ("pid", DWORD));

    /// <summary>Checks the SDK's numbers against the C rules for both pointer sizes, and against the runtime (x64).</summary>
    private static void Check(Struct declaration, int sdkSize64, int sdkSize86, (string Member, int X64, int X86)[] sdkOffsets, int actualSize, Dictionary<string, int> actualOffsets)
    {
        var (o64, s64, _) = declaration.Lay(8);
        var (o86, s86, _) = declaration.Lay(4);
        Assert.Equal(sdkSize64, s64);
        Assert.Equal(sdkSize86, s86);
        foreach (var (member, x64, x86) in sdkOffsets)
        {
            Assert.True(o64[member] == x64, $"{member}: C rules give {o64[member]} on x64, the SDK {x64}");
            Assert.True(o86[member] == x86, $"{member}: C rules give {o86[member]} on x86, the SDK {x86}");
        }
        Assert.Equal(8, IntPtr.Size);   // the runtime checks below are the x64 layout
        Assert.Equal(sdkSize64, actualSize);
        foreach (var (member, offset) in actualOffsets)
            Assert.True(o64[member] == offset, $"{member}: the C# structure has it at {offset}, the SDK at {o64[member]}");
        Assert.Equal(sdkOffsets.Select(o => o.Member).Order(), sdkOffsets.Select(o => o.Member).Where(actualOffsets.ContainsKey).Order());
    }

    [Fact]
    public void CM_NOTIFY_FILTER_is_416_bytes_with_the_union_at_16_on_x64_and_x86()
    {
        CM_NOTIFY_FILTER f = default;
        byte* b = (byte*)&f;
        Check(CmNotifyFilter, 416, 416,
            [("cbSize", 0, 0), ("Flags", 4, 4), ("FilterType", 8, 8), ("Reserved", 12, 12), ("u", 16, 16),
             ("u.DeviceInterface.ClassGuid", 16, 16), ("u.DeviceHandle.hTarget", 16, 16), ("u.DeviceInstance.InstanceId", 16, 16)],
            sizeof(CM_NOTIFY_FILTER),
            new()
            {
                ["cbSize"] = (int)((byte*)&f.cbSize - b), ["Flags"] = (int)((byte*)&f.Flags - b), ["FilterType"] = (int)((byte*)&f.FilterType - b),
                ["Reserved"] = (int)((byte*)&f.Reserved - b), ["u"] = (int)((byte*)&f.u - b),
                ["u.DeviceInterface.ClassGuid"] = (int)((byte*)&f.u.DeviceInterface.ClassGuid - b),
                ["u.DeviceHandle.hTarget"] = (int)((byte*)&f.u.DeviceHandle.hTarget - b),
                ["u.DeviceInstance.InstanceId"] = (int)((byte*)f.u.DeviceInstance.InstanceId - b),
            });
    }

    [Fact]
    public void CM_NOTIFY_EVENT_DATA_is_36_bytes_with_offsets_0_4_8_24_28_32_on_both()
    {
        CM_NOTIFY_EVENT_DATA d = default;
        byte* b = (byte*)&d;
        Check(CmNotifyEventData, 36, 36,
            [("FilterType", 0, 0), ("Reserved", 4, 4), ("u", 8, 8), ("u.DeviceInterface.ClassGuid", 8, 8), ("u.DeviceInterface.SymbolicLink", 24, 24),
             ("u.DeviceHandle.EventGuid", 8, 8), ("u.DeviceHandle.NameOffset", 24, 24), ("u.DeviceHandle.DataSize", 28, 28), ("u.DeviceHandle.Data", 32, 32),
             ("u.DeviceInstance.InstanceId", 8, 8)],
            sizeof(CM_NOTIFY_EVENT_DATA),
            new()
            {
                ["FilterType"] = (int)((byte*)&d.FilterType - b), ["Reserved"] = (int)((byte*)&d.Reserved - b), ["u"] = (int)((byte*)&d.u - b),
                ["u.DeviceInterface.ClassGuid"] = (int)((byte*)&d.u.DeviceInterface.ClassGuid - b),
                ["u.DeviceInterface.SymbolicLink"] = (int)((byte*)d.u.DeviceInterface.SymbolicLink - b),
                ["u.DeviceHandle.EventGuid"] = (int)((byte*)&d.u.DeviceHandle.EventGuid - b),
                ["u.DeviceHandle.NameOffset"] = (int)((byte*)&d.u.DeviceHandle.NameOffset - b),
                ["u.DeviceHandle.DataSize"] = (int)((byte*)&d.u.DeviceHandle.DataSize - b),
                ["u.DeviceHandle.Data"] = (int)(d.u.DeviceHandle.Data - b),
                ["u.DeviceInstance.InstanceId"] = (int)((byte*)d.u.DeviceInstance.InstanceId - b),
            });
        Assert.Equal(28, sizeof(CM_NOTIFY_EVENT_DATA.EventUnion));
    }

    [Fact]
    public void DEV_BROADCAST_HANDLE_is_56_bytes_on_x64_and_44_on_x86()
    {
        DEV_BROADCAST_HANDLE h = default;
        byte* b = (byte*)&h;
        Check(DevBroadcastHandle, 56, 44,
            [("dbch_size", 0, 0), ("dbch_devicetype", 4, 4), ("dbch_reserved", 8, 8), ("dbch_handle", 16, 12), ("dbch_hdevnotify", 24, 16),
             ("dbch_eventguid", 32, 20), ("dbch_nameoffset", 48, 36), ("dbch_data", 52, 40)],
            sizeof(DEV_BROADCAST_HANDLE),
            new()
            {
                ["dbch_size"] = (int)((byte*)&h.dbch_size - b), ["dbch_devicetype"] = (int)((byte*)&h.dbch_devicetype - b),
                ["dbch_reserved"] = (int)((byte*)&h.dbch_reserved - b), ["dbch_handle"] = (int)((byte*)&h.dbch_handle - b),
                ["dbch_hdevnotify"] = (int)((byte*)&h.dbch_hdevnotify - b), ["dbch_eventguid"] = (int)((byte*)&h.dbch_eventguid - b),
                ["dbch_nameoffset"] = (int)((byte*)&h.dbch_nameoffset - b), ["dbch_data"] = (int)(h.dbch_data - b),
            });
    }

    [Fact]
    public void DEV_BROADCAST_HDR_DEVICEINTERFACE_VOLUME_and_DEVPROPKEY_match_the_SDK()
    {
        DEV_BROADCAST_HDR hdr = default;
        byte* h = (byte*)&hdr;
        Check(DevBroadcastHdr, 12, 12, [("dbch_size", 0, 0), ("dbch_devicetype", 4, 4), ("dbch_reserved", 8, 8)], sizeof(DEV_BROADCAST_HDR),
            new() { ["dbch_size"] = (int)((byte*)&hdr.dbch_size - h), ["dbch_devicetype"] = (int)((byte*)&hdr.dbch_devicetype - h), ["dbch_reserved"] = (int)((byte*)&hdr.dbch_reserved - h) });

        DEV_BROADCAST_DEVICEINTERFACE di = default;
        byte* d = (byte*)&di;
        Check(DevBroadcastDeviceInterface, 32, 32,
            [("dbcc_size", 0, 0), ("dbcc_devicetype", 4, 4), ("dbcc_reserved", 8, 8), ("dbcc_classguid", 12, 12), ("dbcc_name", 28, 28)],
            sizeof(DEV_BROADCAST_DEVICEINTERFACE),
            new()
            {
                ["dbcc_size"] = (int)((byte*)&di.dbcc_size - d), ["dbcc_devicetype"] = (int)((byte*)&di.dbcc_devicetype - d),
                ["dbcc_reserved"] = (int)((byte*)&di.dbcc_reserved - d), ["dbcc_classguid"] = (int)((byte*)&di.dbcc_classguid - d),
                ["dbcc_name"] = (int)((byte*)di.dbcc_name - d),
            });

        DEV_BROADCAST_VOLUME vol = default;
        byte* v = (byte*)&vol;
        Check(DevBroadcastVolume, 20, 20,
            [("dbcv_size", 0, 0), ("dbcv_devicetype", 4, 4), ("dbcv_reserved", 8, 8), ("dbcv_unitmask", 12, 12), ("dbcv_flags", 16, 16)],
            sizeof(DEV_BROADCAST_VOLUME),
            new()
            {
                ["dbcv_size"] = (int)((byte*)&vol.dbcv_size - v), ["dbcv_devicetype"] = (int)((byte*)&vol.dbcv_devicetype - v),
                ["dbcv_reserved"] = (int)((byte*)&vol.dbcv_reserved - v), ["dbcv_unitmask"] = (int)((byte*)&vol.dbcv_unitmask - v),
                ["dbcv_flags"] = (int)((byte*)&vol.dbcv_flags - v),
            });

        DEVPROPKEY key = default;
        byte* k = (byte*)&key;
        Check(DevPropKey, 20, 20, [("fmtid", 0, 0), ("pid", 16, 16)], sizeof(DEVPROPKEY),
            new() { ["fmtid"] = (int)((byte*)&key.fmtid - k), ["pid"] = (int)((byte*)&key.pid - k) });
    }

    [Fact]
    public void The_handles_and_enums_are_the_SDKs_sizes()
    {
        Assert.Equal(IntPtr.Size, sizeof(HCMNOTIFICATION));
        Assert.Equal(IntPtr.Size, sizeof(HDEVNOTIFY));
        Assert.Equal(4, sizeof(CONFIGRET));
        Assert.Equal(4, sizeof(CM_NOTIFY_ACTION));
        Assert.Equal(4, sizeof(CM_NOTIFY_FILTER_TYPE));
        Assert.Equal(4, sizeof(PNP_VETO_TYPE));
    }

    [Fact]
    public void The_C_rules_reproduce_the_SDKs_x86_trap_for_64_bit_fields()
    {
        // DEV_BROADCAST_HANDLE64 (ULONG64 handles): 56 bytes under MSVC x86 too (FACTS.md §8: gcc -m32 gives 52 because
        // SysV i386 aligns 8-byte fields to 4). CLayout follows MSVC: an 8-byte scalar is aligned to 8.
        var handle64 = new Struct(("dbch_size", DWORD), ("dbch_devicetype", DWORD), ("dbch_reserved", DWORD), ("dbch_handle", new Scalar(8)),
            ("dbch_hdevnotify", new Scalar(8)), ("dbch_eventguid", GUID), ("dbch_nameoffset", LONG), ("dbch_data", new CArray(BYTE, 1)));
        Assert.Equal(56, handle64.Lay(4).Size);
        Assert.Equal(16, handle64.Lay(4).Offsets["dbch_handle"]);
    }
}
