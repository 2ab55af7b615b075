using DeviceNotify.Compat;
using static DeviceNotify.Compat.CfgMgr32;
using static DeviceNotify.Compat.CM_NOTIFY_FILTER_TYPE;
using static DeviceNotify.Compat.CONFIGRET;
using static DeviceNotify.Compat.WinError;

namespace DeviceNotify.Windows.Tests.CompatLayer;

/// <summary>
/// What the compatibility functions say to bad arguments: the cases Windows was seen to answer (FACTS.md §2, §7:
/// Wine's conformance tests, which run on Windows) give Windows' codes; the rest give the codes the README lists as
/// our choice. No device is created here; the shared watcher reads the real sysfs.
/// </summary>
public unsafe class CompatValidationTests
{
    private static uint Silent(HCMNOTIFICATION h, void* c, CM_NOTIFY_ACTION a, CM_NOTIFY_EVENT_DATA* d, uint n) => 0;

    private static readonly PCM_NOTIFY_CALLBACK s_callback = Silent;

    private static CM_NOTIFY_FILTER Filter(CM_NOTIFY_FILTER_TYPE type, uint flags = 0, Guid? cls = null)
    {
        CM_NOTIFY_FILTER f = default;
        f.cbSize = (uint)sizeof(CM_NOTIFY_FILTER);
        f.FilterType = type;
        f.Flags = flags;
        f.u.DeviceInterface.ClassGuid = cls ?? Guid.Empty;
        return f;
    }

    private static (CONFIGRET Result, HCMNOTIFICATION Handle) Register(CM_NOTIFY_FILTER f, PCM_NOTIFY_CALLBACK? callback = null)
    {
        var h = new HCMNOTIFICATION(unchecked((nint)0xBAD));   // must be reset to null on failure
        var r = CM_Register_Notification(&f, null, callback ?? s_callback, &h);
        return (r, h);
    }

    [Fact]
    public void The_cases_Windows_was_seen_to_answer_give_its_codes_and_leave_the_handle_null()
    {
        var f = Filter(CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE, CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES);
        Assert.Equal(CR_FAILURE, CM_Register_Notification(&f, null, s_callback, null));
        var h = new HCMNOTIFICATION(1);
        Assert.Equal(CR_INVALID_DATA, CM_Register_Notification(null, null, null, &h));
        Assert.True(h.IsNull);
        f.cbSize = 0;
        Assert.Equal((CR_INVALID_DATA, default(HCMNOTIFICATION)), Register(f));
        f.cbSize = (uint)sizeof(CM_NOTIFY_FILTER) + 1;
        Assert.Equal((CR_INVALID_DATA, default(HCMNOTIFICATION)), Register(f));
        Assert.Equal(CR_INVALID_DATA, Register(Filter(CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE, CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES, DeviceInterfaceGuids.GUID_DEVINTERFACE_NET)).Result);

        var (ok, handle) = Register(Filter(CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE, CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES));
        Assert.Equal(CR_SUCCESS, ok);
        Assert.False(handle.IsNull);
        Assert.Equal(CR_SUCCESS, CM_Unregister_Notification(handle));
        Assert.Equal(CR_INVALID_POINTER, CM_Unregister_Notification(handle));   // unregistered: no longer a handle

        var (one, oneHandle) = Register(Filter(CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE, 0, DeviceInterfaceGuids.GUID_DEVINTERFACE_DISPLAY_ADAPTER));
        Assert.Equal(CR_SUCCESS, one);
        Assert.Equal(CR_SUCCESS, CM_Unregister_Notification(oneHandle));
    }

    [Fact]
    public void Our_choices_for_the_cases_nobody_verified_are_stable()
    {
        Assert.Equal(CR_INVALID_FLAG, Register(Filter(CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE, 0x4)).Result);
        Assert.Equal(CR_INVALID_FLAG, Register(Filter(CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE, 0x3)).Result);
        Assert.Equal(CR_INVALID_FLAG, Register(Filter(CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE, CM_NOTIFY_FILTER_FLAG_ALL_DEVICE_INSTANCES)).Result);
        Assert.Equal(CR_INVALID_DATA, Register(Filter(CM_NOTIFY_FILTER_TYPE_MAX)).Result);
        var reserved = Filter(CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE, 0, DeviceInterfaceGuids.GUID_DEVINTERFACE_NET);
        reserved.Reserved = 1;
        Assert.Equal(CR_INVALID_DATA, Register(reserved).Result);
        var badHandle = Filter(CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE);
        badHandle.u.DeviceHandle.hTarget = 987654;
        Assert.Equal(CR_INVALID_DATA, Register(badHandle).Result);
        var unterminated = Filter(CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE);
        for (int i = 0; i < MAX_DEVICE_ID_LEN; i++)
            unterminated.u.DeviceInstance.InstanceId[i] = 'x';
        Assert.Equal(CR_INVALID_DATA, Register(unterminated).Result);
        var allWithId = Filter(CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE, CM_NOTIFY_FILTER_FLAG_ALL_DEVICE_INSTANCES);
        allWithId.u.DeviceInstance.InstanceId[0] = '/';
        Assert.Equal(CR_INVALID_DATA, Register(allWithId).Result);
        Assert.Equal(CR_INVALID_POINTER, CM_Unregister_Notification(default));
    }

    [Fact]
    public void Lists_use_MULTI_SZ_sizes_and_refuse_small_buffers()
    {
        var unknown = Guid.NewGuid();
        uint length = 99;
        Assert.Equal(CR_SUCCESS, CM_Get_Device_Interface_List_Size(&length, &unknown, null, CM_GET_DEVICE_INTERFACE_LIST_PRESENT));
        Assert.Equal(1u, length);   // a lone NUL: no interfaces
        Assert.Equal(CR_INVALID_FLAG, CM_Get_Device_Interface_List_Size(&length, &unknown, null, 2));
        Assert.Equal(CR_INVALID_POINTER, CM_Get_Device_Interface_List_Size(null, &unknown, null, 0));

        var net = DeviceInterfaceGuids.GUID_DEVINTERFACE_NET;
        Assert.Equal(CR_SUCCESS, CM_Get_Device_Interface_List_Size(&length, &net, null, 0));
        var buffer = new char[length];
        fixed (char* b = buffer)
        {
            Assert.Equal(CR_BUFFER_SMALL, CM_Get_Device_Interface_List(&net, null, b, length - 1, 0));
            Assert.Equal(CR_SUCCESS, CM_Get_Device_Interface_List(&net, null, b, length, 0));
        }
        var names = new string(buffer).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("lo", names);
        Assert.Equal('\0', buffer[^1]);
        Assert.Equal('\0', buffer[^2]);
    }

    [Fact]
    public void Device_instances_are_devpaths_and_an_interface_names_its_instance()
    {
        uint dn;
        fixed (char* lo = "/devices/virtual/net/lo")
            Assert.Equal(CR_SUCCESS, CM_Locate_DevNode(&dn, lo, CM_LOCATE_DEVNODE_NORMAL));
        fixed (char* none = "/devices/virtual/net/nothing-here")
        {
            uint missing;
            Assert.Equal(CR_NO_SUCH_DEVNODE, CM_Locate_DevNode(&missing, none, 0));
        }
        uint length;
        Assert.Equal(CR_SUCCESS, CM_Get_Device_ID_Size(&length, dn, 0));
        Assert.Equal((uint)"/devices/virtual/net/lo".Length, length);
        var id = new char[length + 1];
        fixed (char* b = id)
        {
            Assert.Equal(CR_BUFFER_SMALL, CM_Get_Device_ID(dn, b, 8, 0));
            Assert.Equal("/devices", new string(b, 0, 8));   // as much as fits
            Assert.Equal(CR_SUCCESS, CM_Get_Device_ID(dn, b, length + 1, 0));
            Assert.Equal("/devices/virtual/net/lo", new string(b));
        }
        Assert.Equal(CR_INVALID_DEVNODE, CM_Get_Device_ID_Size(&length, 0xFFFF, 0));

        DEVPROPKEY key = DEVPKEY_Device_InstanceId;
        uint type, size = 4;
        var value = new byte[512];
        fixed (char* lo = "lo")
        fixed (byte* v = value)
        {
            Assert.Equal(CR_BUFFER_SMALL, CM_Get_Device_Interface_Property(lo, &key, &type, v, &size, 0));
            Assert.Equal((uint)("/devices/virtual/net/lo".Length + 1) * 2, size);
            size = (uint)value.Length;
            Assert.Equal(CR_SUCCESS, CM_Get_Device_Interface_Property(lo, &key, &type, v, &size, 0));
            Assert.Equal(DEVPROP_TYPE_STRING, type);
            Assert.Equal("/devices/virtual/net/lo", new string((char*)v));
            var other = new DEVPROPKEY { fmtid = Guid.NewGuid(), pid = 2 };
            Assert.Equal(CR_NO_SUCH_VALUE, CM_Get_Device_Interface_Property(lo, &other, &type, v, &size, 0));
        }
        fixed (char* none = "no-such-interface")
            Assert.Equal(CR_NO_SUCH_DEVICE_INTERFACE, CM_Get_Device_Interface_Property(none, &key, &type, null, &size, 0));
    }

    [Fact]
    public void RegisterDeviceNotification_refuses_what_Windows_refuses_with_GetLastError()
    {
        nint window = MessageWindow.Create((h, m, w, l) => 0);
        try
        {
            Assert.True(User32.RegisterDeviceNotification(window, null, User32.DEVICE_NOTIFY_WINDOW_HANDLE).IsNull);
            Assert.Equal(ERROR_INVALID_PARAMETER, Kernel32.GetLastError());
            var volume = new DEV_BROADCAST_VOLUME { dbcv_size = 20, dbcv_devicetype = Dbt.DBT_DEVTYP_VOLUME };
            Assert.True(User32.RegisterDeviceNotification(window, &volume, 0).IsNull);
            Assert.Equal(ERROR_INVALID_DATA, Kernel32.GetLastError());
            var iface = new DEV_BROADCAST_DEVICEINTERFACE { dbcc_size = (uint)sizeof(DEV_BROADCAST_DEVICEINTERFACE), dbcc_devicetype = Dbt.DBT_DEVTYP_DEVICEINTERFACE };
            Assert.True(User32.RegisterDeviceNotification(0x1234, &iface, 0).IsNull);
            Assert.Equal(ERROR_INVALID_WINDOW_HANDLE, Kernel32.GetLastError());
            Assert.True(User32.RegisterDeviceNotification(window, &iface, User32.DEVICE_NOTIFY_SERVICE_HANDLE).IsNull);
            Assert.Equal(ERROR_INVALID_HANDLE, Kernel32.GetLastError());
            iface.dbcc_size = 16;
            Assert.True(User32.RegisterDeviceNotification(window, &iface, 0).IsNull);
            Assert.Equal(ERROR_INVALID_DATA, Kernel32.GetLastError());
            var handle = new DEV_BROADCAST_HANDLE { dbch_size = (uint)sizeof(DEV_BROADCAST_HANDLE), dbch_devicetype = Dbt.DBT_DEVTYP_HANDLE, dbch_handle = 987654 };
            Assert.True(User32.RegisterDeviceNotification(window, &handle, 0).IsNull);
            Assert.Equal(ERROR_INVALID_HANDLE, Kernel32.GetLastError());

            iface.dbcc_size = (uint)sizeof(DEV_BROADCAST_DEVICEINTERFACE);
            var ok = User32.RegisterDeviceNotification(window, &iface, User32.DEVICE_NOTIFY_ALL_INTERFACE_CLASSES);
            Assert.False(ok.IsNull);
            Assert.True(User32.UnregisterDeviceNotification(ok));
            Assert.False(User32.UnregisterDeviceNotification(ok));
            Assert.Equal(ERROR_INVALID_HANDLE, Kernel32.GetLastError());
        }
        finally
        {
            Assert.True(MessageWindow.Destroy(window));
        }
        Assert.False(MessageWindow.Destroy(window));
    }

    [Fact]
    public void Handles_and_control_codes_fail_with_the_Win32_codes()
    {
        Assert.Equal(Kernel32.INVALID_HANDLE_VALUE, Kernel32.CreateFile("/proc/no-such-file", Kernel32.GENERIC_READ, 0, null, Kernel32.OPEN_EXISTING, 0, 0));
        Assert.Equal(ERROR_FILE_NOT_FOUND, Kernel32.GetLastError());
        Assert.Equal(Kernel32.INVALID_HANDLE_VALUE, Kernel32.CreateFile("/no/such/directory/file", Kernel32.GENERIC_READ, 0, null, Kernel32.OPEN_EXISTING, 0, 0));
        Assert.Equal(ERROR_PATH_NOT_FOUND, Kernel32.GetLastError());
        Assert.Equal(Kernel32.INVALID_HANDLE_VALUE, Kernel32.CreateFile("/dev/null", Kernel32.GENERIC_READ, 0, null, 2 /* CREATE_ALWAYS */, 0, 0));
        Assert.Equal(ERROR_NOT_SUPPORTED, Kernel32.GetLastError());
        Assert.Equal(Kernel32.INVALID_HANDLE_VALUE, Kernel32.CreateFile(@"\\.\/no/such/volume", 0, 0, null, Kernel32.OPEN_EXISTING, 0, 0));
        Assert.False(Kernel32.CloseHandle(123456));
        Assert.Equal(ERROR_INVALID_HANDLE, Kernel32.GetLastError());

        nint file = Kernel32.CreateFile("/proc/self/status", Kernel32.GENERIC_READ, Kernel32.FILE_SHARE_READ, null, Kernel32.OPEN_EXISTING, 0, 0);
        Assert.NotEqual(Kernel32.INVALID_HANDLE_VALUE, file);
        Assert.False(Kernel32.DeviceIoControl(file, Kernel32.FSCTL_LOCK_VOLUME, null, 0, null, 0, null, null));
        Assert.Equal(ERROR_INVALID_FUNCTION, Kernel32.GetLastError());   // not a volume handle
        Assert.True(Kernel32.CloseHandle(file));

        nint volume = Kernel32.CreateFile(@"\\.\/", 0, 0, null, Kernel32.OPEN_EXISTING, 0, 0);
        Assert.NotEqual(Kernel32.INVALID_HANDLE_VALUE, volume);
        Assert.False(Kernel32.DeviceIoControl(volume, 0x002D4808 /* IOCTL_STORAGE_EJECT_MEDIA */, null, 0, null, 0, null, null));
        Assert.Equal(ERROR_INVALID_FUNCTION, Kernel32.GetLastError());
        Assert.False(Kernel32.DeviceIoControl(volume, Kernel32.FSCTL_UNLOCK_VOLUME, null, 0, null, 0, null, null));
        Assert.Equal(ERROR_NOT_LOCKED, Kernel32.GetLastError());
        Assert.True(Kernel32.CloseHandle(volume));
    }

    [Theory]
    [InlineData(0u, false, null)]
    [InlineData(1223u, true, "the CM_NOTIFY callback returned ERROR_CANCELLED")]
    [InlineData(5u, true, "the CM_NOTIFY callback returned 5 (only ERROR_SUCCESS and ERROR_CANCELLED are defined; anything else is taken as a veto)")]
    public void A_QUERYREMOVE_callback_answers_with_0_or_1223_and_anything_else_vetoes_saying_so(uint returned, bool vetoes, string? reason)
    {
        var device = new Device("/devices/virtual/block/loop99", "block", [new("DEVNAME", "loop99"), new("DEVTYPE", "disk")]);
        var query = new RemovalQuery(RemovalOperation.Eject);
        var notification = new DeviceNotification(NotificationAction.QueryRemove, device, null, DeviceAction.None, NotificationOrigin.Coordinator, 0, query: query);
        CM_NOTIFY_ACTION seen = CM_NOTIFY_ACTION.CM_NOTIFY_ACTION_MAX;
        uint size = 0;
        var cm = new DeviceNotify.Compat.Linux.CmNotification((h, c, action, data, n) =>
        {
            seen = action;
            size = n;
            return returned;
        }, 0, CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE);

        cm.OnNotification(notification);

        Assert.True(query.Answer.Wait(DeviceNotify.Tests.Support.TestTimeouts.Expected));
        var answer = query.Answer.Result;
        Assert.Equal(CM_NOTIFY_ACTION.CM_NOTIFY_ACTION_DEVICEQUERYREMOVE, seen);
        Assert.Equal((uint)sizeof(CM_NOTIFY_EVENT_DATA), size);
        Assert.Equal(vetoes, answer.IsVeto);
        Assert.Equal(reason, answer.Reason);
    }
}
