using System.Diagnostics;
using DeviceNotify.Compat;
using DeviceNotify.Tests.Kernel;
using DeviceNotify.Tests.Support;
using static DeviceNotify.Compat.CfgMgr32;
using static DeviceNotify.Compat.CM_NOTIFY_ACTION;
using static DeviceNotify.Compat.CM_NOTIFY_FILTER_TYPE;
using static DeviceNotify.Compat.CONFIGRET;
using static DeviceNotify.Compat.Dbt;
using static DeviceNotify.Compat.Kernel32;
using static DeviceNotify.Compat.WinError;

namespace DeviceNotify.Windows.Tests.Kernel;

/// <summary>
/// Ported-shape code on the real Linux kernel: CM_Register_Notification callbacks reading CM_NOTIFY_EVENT_DATA
/// through the pointer, a window procedure and a HandlerEx receiving DEV_BROADCAST_* structures, volume control codes
/// driving the removal coordinator, and CM_Query_And_Remove_SubTree naming the process that holds a volume. Real taps,
/// loop devices and ext4 mounts; always cleaned up.
/// </summary>
[Collection(KernelCollection.Name)]
public unsafe class CompatKernelTests
{
    private static readonly TimeSpan Expected = TestTimeouts.Expected;

    private sealed record CmEvent(HCMNOTIFICATION Handle, nint Context, CM_NOTIFY_ACTION Action, CM_NOTIFY_FILTER_TYPE Type, Guid Guid, string Text, uint Size);

    [Fact]
    public void CM_Register_Notification_reports_a_tap_arrival_and_removal_and_may_unregister_inside_the_callback()
    {
        string tap = NetDevices.UniqueName(), later = NetDevices.UniqueName(), before = NetDevices.UniqueName();
        NetDevices.CreateTap(before);
        var seen = new CompatEventRecorder<CmEvent>();
        HCMNOTIFICATION handle = default;
        CONFIGRET unregisteredInside = CR_DEFAULT;
        PCM_NOTIFY_CALLBACK callback = (h, context, action, data, size) =>
        {
            // As in C: the symbolic link is read through the pointer, up to its NUL.
            seen.Add(new CmEvent(h, (nint)context, action, data->FilterType, data->u.DeviceInterface.ClassGuid, new string(data->u.DeviceInterface.SymbolicLink), size));
            if (action == CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL && new string(data->u.DeviceInterface.SymbolicLink) == tap)
                unregisteredInside = CM_Unregister_Notification(h);   // Windows deadlocks here; DeviceNotify returns at once
            return ERROR_SUCCESS;
        };
        CM_NOTIFY_FILTER filter = default;
        filter.cbSize = (uint)sizeof(CM_NOTIFY_FILTER);
        filter.FilterType = CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE;
        filter.u.DeviceInterface.ClassGuid = DeviceInterfaceGuids.GUID_DEVINTERFACE_NET;
        Assert.Equal(CR_SUCCESS, CM_Register_Notification(&filter, (void*)0x5EED, callback, &handle));
        var registered = handle;
        try
        {
            // Windows semantics: no arrival for an interface present at registration, but its removal is reported.
            NetDevices.Delete(before);
            Assert.True(seen.WaitFor(e => e.Text == before && e.Action == CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL, Expected));
            NetDevices.CreateTap(tap);
            Assert.True(seen.WaitFor(e => e.Text == tap && e.Action == CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL, Expected));
            NetDevices.Delete(tap);
            Assert.True(seen.WaitFor(e => e.Text == tap && e.Action == CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL, Expected));
            Assert.Equal(CR_SUCCESS, unregisteredInside);

            // Unregistered: nothing more comes.
            NetDevices.CreateTap(later);
            Thread.Sleep(TestTimeouts.MustNotHappen);
        }
        finally
        {
            NetDevices.Delete(before);
            NetDevices.Delete(tap);
            NetDevices.Delete(later);
            CM_Unregister_Notification(registered);
        }
        var events = seen.All;
        // No arrival for the interfaces already present (lo, eth0, the first tap); the first tap's removal; the second's two.
        Assert.Equal([(before, CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL), (tap, CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL), (tap, CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL)],
            events.Select(e => (e.Text, e.Action)));
        Assert.All(events, e =>
        {
            Assert.Equal(registered, e.Handle);
            Assert.Equal(0x5EED, e.Context);
            Assert.Equal(CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE, e.Type);
            Assert.Equal(DeviceInterfaceGuids.GUID_DEVINTERFACE_NET, e.Guid);
            Assert.Equal((uint)Math.Max(36, 24 + 2 * (e.Text.Length + 1)), e.Size);
        });
    }

    private sealed record DbtEvent(uint Message, uint EventType, uint DeviceType, Guid Class, string? Name, DevBroadcastMessage? Decoded);

    [Fact]
    public void A_window_procedure_gets_DBT_DEVICEARRIVAL_with_DEV_BROADCAST_DEVICEINTERFACE_for_a_tap()
    {
        string tap = NetDevices.UniqueName();
        var seen = new CompatEventRecorder<DbtEvent>();
        WNDPROC procedure = (hwnd, msg, wParam, lParam) =>
        {
            var hdr = (DEV_BROADCAST_HDR*)lParam;
            string? name = null;
            Guid cls = default;
            if (hdr->dbch_devicetype == DBT_DEVTYP_DEVICEINTERFACE)
            {
                var di = (DEV_BROADCAST_DEVICEINTERFACE*)lParam;
                name = new string(di->dbcc_name);
                cls = di->dbcc_classguid;
            }
            DevBroadcast.TryDecode(lParam, out var decoded, out _);
            seen.Add(new DbtEvent(msg, (uint)wParam, hdr->dbch_devicetype, cls, name, decoded));
            return 1;   // TRUE
        };
        nint window = MessageWindow.Create(procedure);
        var filter = new DEV_BROADCAST_DEVICEINTERFACE
        {
            dbcc_size = (uint)sizeof(DEV_BROADCAST_DEVICEINTERFACE),
            dbcc_devicetype = DBT_DEVTYP_DEVICEINTERFACE,
            dbcc_classguid = DeviceInterfaceGuids.GUID_DEVINTERFACE_NET,
        };
        var notify = User32.RegisterDeviceNotification(window, &filter, User32.DEVICE_NOTIFY_WINDOW_HANDLE);
        Assert.False(notify.IsNull, $"RegisterDeviceNotification failed: {GetLastError()}");
        try
        {
            NetDevices.CreateTap(tap);
            Assert.True(seen.WaitFor(e => e.Name == tap && e.EventType == DBT_DEVICEARRIVAL, Expected));
            NetDevices.Delete(tap);
            Assert.True(seen.WaitFor(e => e.Name == tap && e.EventType == DBT_DEVICEREMOVECOMPLETE, Expected));
        }
        finally
        {
            NetDevices.Delete(tap);
            User32.UnregisterDeviceNotification(notify);
            MessageWindow.Destroy(window);
        }
        Assert.All(seen.All, e =>
        {
            Assert.Equal(WM_DEVICECHANGE, e.Message);
            Assert.Equal(DBT_DEVTYP_DEVICEINTERFACE, e.DeviceType);
            Assert.Equal(DeviceInterfaceGuids.GUID_DEVINTERFACE_NET, e.Class);
            Assert.Equal(e.Name, e.Decoded!.Name);
            Assert.Equal((uint)Math.Max(32, 28 + 2 * (tap.Length + 1)), e.Decoded.Size);
        });
        Assert.Equal([DBT_DEVICEARRIVAL, DBT_DEVICEREMOVECOMPLETE], seen.All.Select(e => e.EventType));
    }

    private sealed record HandleEvent(uint EventType, nint Handle, nint DevNotify, Guid EventGuid, uint Size);

    /// <summary>The three shapes ported code uses for handle events, each answering "veto" or "accept".</summary>
    public enum Shape { WindowProcedure, HandlerEx, CmNotifyCallback }

    [Theory]
    [InlineData(Shape.WindowProcedure)]
    [InlineData(Shape.HandlerEx)]
    [InlineData(Shape.CmNotifyCallback)]
    public void A_handle_registration_on_a_mounted_ext4_gets_GUID_IO_VOLUME_DISMOUNT_and_its_veto_fails_the_dismount_naming_it(Shape shape)
    {
        using var ext4 = new Ext4Volume("dncompat");
        ext4.Mount();
        string path = Path.Combine(ext4.MountPath, "journal.txt");
        File.WriteAllText(path, "open while mounted");
        nint file = CreateFile(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, null, OPEN_EXISTING, 0, 0);
        Assert.NotEqual(INVALID_HANDLE_VALUE, file);
        var seen = new CompatEventRecorder<HandleEvent>();
        bool veto = true;
        nint recipient = 0;
        HDEVNOTIFY notify = default;
        HCMNOTIFICATION cm = default;
        string expectedVeto;
        // Each shape: veto the dismount while "veto" holds; otherwise close the file handle (as the seed says) and accept.
        uint Answer(uint eventType, DEV_BROADCAST_HANDLE* h)
        {
            seen.Add(new HandleEvent(eventType, h->dbch_handle, h->dbch_hdevnotify, h->dbch_eventguid, h->dbch_size));
            if (eventType != DBT_CUSTOMEVENT || h->dbch_eventguid != IoEvent.GUID_IO_VOLUME_DISMOUNT)
                return 0;
            if (veto)
                return 1;
            CloseHandle(file);
            return 0;
        }
        try
        {
            var filter = new DEV_BROADCAST_HANDLE { dbch_size = (uint)sizeof(DEV_BROADCAST_HANDLE), dbch_devicetype = DBT_DEVTYP_HANDLE, dbch_handle = file };
            switch (shape)
            {
                case Shape.WindowProcedure:
                    recipient = MessageWindow.Create((hwnd, msg, wParam, lParam) =>
                        Answer((uint)wParam, (DEV_BROADCAST_HANDLE*)lParam) == 1 ? BROADCAST_QUERY_DENY : 1);
                    notify = User32.RegisterDeviceNotification(recipient, &filter, User32.DEVICE_NOTIFY_WINDOW_HANDLE);
                    expectedVeto = "the window procedure returned BROADCAST_QUERY_DENY";
                    break;
                case Shape.HandlerEx:
                    recipient = AdvApi32.RegisterServiceCtrlHandlerEx("devnotify-test", (control, eventType, data, context) =>
                        control == AdvApi32.SERVICE_CONTROL_DEVICEEVENT && Answer(eventType, (DEV_BROADCAST_HANDLE*)data) == 1 ? ERROR_CANCELLED : NO_ERROR, null);
                    notify = User32.RegisterDeviceNotification(recipient, &filter, User32.DEVICE_NOTIFY_SERVICE_HANDLE);
                    expectedVeto = "the service's HandlerEx returned ERROR_CANCELLED";
                    break;
                default:
                    CM_NOTIFY_FILTER f = default;
                    f.cbSize = (uint)sizeof(CM_NOTIFY_FILTER);
                    f.FilterType = CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE;
                    f.u.DeviceHandle.hTarget = file;
                    PCM_NOTIFY_CALLBACK callback = (h, context, action, data, size) =>
                    {
                        if (action != CM_NOTIFY_ACTION_DEVICECUSTOMEVENT)
                            return ERROR_SUCCESS;
                        var shaped = new DEV_BROADCAST_HANDLE { dbch_handle = file, dbch_eventguid = data->u.DeviceHandle.EventGuid, dbch_size = size };
                        return Answer(DBT_CUSTOMEVENT, &shaped) == 1 ? ERROR_CANCELLED : ERROR_SUCCESS;
                    };
                    Assert.Equal(CR_SUCCESS, CM_Register_Notification(&f, null, callback, &cm));
                    GC.KeepAlive(callback);
                    expectedVeto = "the CM_NOTIFY callback returned ERROR_CANCELLED";
                    break;
            }
            Assert.True(shape == Shape.CmNotifyCallback || !notify.IsNull, $"RegisterDeviceNotification failed: {GetLastError()}");

            // A volume handle: "\\.\" + the mount point stands for "\\.\E:".
            nint volume = CreateFile(@"\\.\" + ext4.MountPath, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, null, OPEN_EXISTING, 0, 0);
            Assert.NotEqual(INVALID_HANDLE_VALUE, volume);
            try
            {
                Assert.False(DeviceIoControl(volume, FSCTL_DISMOUNT_VOLUME, null, 0, null, 0, null, null));
                Assert.Equal(ERROR_ACCESS_DENIED, GetLastError());
                Assert.True(ext4.IsMounted);
                var result = DeviceNotifyCompat.LastRemovalResult!;
                Assert.Equal(RemovalFailure.Vetoed, result.Failure);
                var vetoer = Assert.Single(result.Vetoes, p => p.WasAsked);
                Assert.Equal(VetoType.ApplicationVeto, vetoer.Veto);
                Assert.Equal(expectedVeto, vetoer.Reason);
                Assert.Equal(Environment.ProcessId, vetoer.ProcessId);
                Assert.True(seen.WaitFor(e => e.EventGuid == IoEvent.GUID_IO_VOLUME_DISMOUNT_FAILED, Expected));

                veto = false;
                Assert.True(DeviceIoControl(volume, FSCTL_DISMOUNT_VOLUME, null, 0, null, 0, null, null), DeviceNotifyCompat.LastRemovalResult?.Error);
                Assert.False(ext4.IsMounted);
            }
            finally
            {
                CloseHandle(volume);
            }

            var dismounts = seen.All.Where(e => e.EventGuid == IoEvent.GUID_IO_VOLUME_DISMOUNT).ToList();
            Assert.Equal(2, dismounts.Count);
            Assert.All(dismounts, e =>
            {
                Assert.Equal(DBT_CUSTOMEVENT, e.EventType);
                Assert.Equal(file, e.Handle);
                if (shape == Shape.CmNotifyCallback)
                    return;
                Assert.Equal(notify.Value, e.DevNotify);
                Assert.Equal((uint)sizeof(DEV_BROADCAST_HANDLE), e.Size);
            });
        }
        finally
        {
            if (!notify.IsNull)
                User32.UnregisterDeviceNotification(notify);
            if (!cm.IsNull)
                CM_Unregister_Notification(cm);
            if (shape == Shape.WindowProcedure)
                MessageWindow.Destroy(recipient);
            CloseHandle(file);
        }
    }

    [Fact]
    public void CM_Query_And_Remove_SubTree_is_vetoed_with_PNP_VetoOutstandingOpen_naming_the_process_that_holds_the_volume()
    {
        using var ext4 = new Ext4Volume("dnholder");
        ext4.Mount();
        using var holder = Process.Start(new ProcessStartInfo("sleep", "600") { WorkingDirectory = ext4.MountPath, UseShellExecute = false })!;
        try
        {
            string devPath = "/devices/virtual/block/" + Path.GetFileName(ext4.DevNode);
            uint devInst;
            fixed (char* id = devPath)
                Assert.Equal(CR_SUCCESS, CM_Locate_DevNode(&devInst, id, CM_LOCATE_DEVNODE_NORMAL));
            PNP_VETO_TYPE vetoType;
            char* vetoName = stackalloc char[260];

            var cr = CM_Query_And_Remove_SubTree(devInst, &vetoType, vetoName, 260, CM_REMOVE_UI_NOT_OK);

            Assert.Equal(CR_REMOVE_VETOED, cr);
            Assert.Equal(PNP_VETO_TYPE.PNP_VetoOutstandingOpen, vetoType);
            string name = new(vetoName);
            Assert.StartsWith($"sleep (pid {holder.Id})", name, StringComparison.Ordinal);
            Assert.Contains(ext4.MountPath, name, StringComparison.Ordinal);   // what it holds: its working directory
            Assert.True(ext4.IsMounted);
            Assert.True(Directory.Exists("/sys" + devPath));
            var result = DeviceNotifyCompat.LastRemovalResult!;
            Assert.Contains(result.Vetoes, p => p.ProcessId == holder.Id && p.FoundBy == HolderKind.WorkingDirectory);

            // A name buffer too short is cut and still terminated.
            char* shortName = stackalloc char[6];
            Assert.Equal(CR_REMOVE_VETOED, CM_Query_And_Remove_SubTree(devInst, &vetoType, shortName, 6, CM_REMOVE_UI_NOT_OK));
            Assert.Equal("sleep", new string(shortName));
        }
        finally
        {
            holder.Kill();
            holder.WaitForExit();
        }
    }

    [Fact]
    public void FSCTL_LOCK_DISMOUNT_and_UNLOCK_on_a_volume_handle_drive_the_coordinator()
    {
        using var ext4 = new Ext4Volume("dnfsctl");
        ext4.Mount();
        var seen = new CompatEventRecorder<Guid>();
        nint window = MessageWindow.Create((hwnd, msg, wParam, lParam) =>
        {
            if ((uint)wParam == DBT_CUSTOMEVENT)
                seen.Add(((DEV_BROADCAST_HANDLE*)lParam)->dbch_eventguid);
            return 1;
        });
        nint volume = CreateFile(@"\\.\" + ext4.DevNode, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, null, OPEN_EXISTING, 0, 0);
        Assert.NotEqual(INVALID_HANDLE_VALUE, volume);
        // A volume handle holds nothing itself, so it can be registered without vetoing its own lock.
        var filter = new DEV_BROADCAST_HANDLE { dbch_size = (uint)sizeof(DEV_BROADCAST_HANDLE), dbch_devicetype = DBT_DEVTYP_HANDLE, dbch_handle = volume };
        var notify = User32.RegisterDeviceNotification(window, &filter, User32.DEVICE_NOTIFY_WINDOW_HANDLE);
        Assert.False(notify.IsNull, $"RegisterDeviceNotification failed: {GetLastError()}");
        try
        {
            // Linux cannot lock a mounted filesystem's device: the mount is the holder, named.
            Assert.False(DeviceIoControl(volume, FSCTL_LOCK_VOLUME, null, 0, null, 0, null, null));
            Assert.Equal(ERROR_ACCESS_DENIED, GetLastError());
            Assert.Contains(DeviceNotifyCompat.LastRemovalResult!.Vetoes, p => p.FoundBy == HolderKind.Mount && p.Reason!.Contains(ext4.MountPath, StringComparison.Ordinal));

            Assert.True(DeviceIoControl(volume, FSCTL_DISMOUNT_VOLUME, null, 0, null, 0, null, null), DeviceNotifyCompat.LastRemovalResult?.Error);
            Assert.False(ext4.IsMounted);
            Assert.True(DeviceIoControl(volume, FSCTL_LOCK_VOLUME, null, 0, null, 0, null, null), DeviceNotifyCompat.LastRemovalResult?.Error);
            Assert.NotEqual(0, Shell.Run("mount", $"{ext4.DevNode} {ext4.MountPath}").ExitCode);   // held exclusively
            Assert.True(DeviceIoControl(volume, FSCTL_UNLOCK_VOLUME, null, 0, null, 0, null, null));
            Assert.False(DeviceIoControl(volume, FSCTL_UNLOCK_VOLUME, null, 0, null, 0, null, null));
            Assert.Equal(ERROR_NOT_LOCKED, GetLastError());
            Assert.True(seen.WaitFor(g => g == IoEvent.GUID_IO_VOLUME_UNLOCK, Expected));
            ext4.Mount();   // unlocked: it mounts again
            Assert.True(ext4.IsMounted);
        }
        finally
        {
            User32.UnregisterDeviceNotification(notify);
            MessageWindow.Destroy(window);
            CloseHandle(volume);
        }
        var events = seen.All;
        Assert.Equal([IoEvent.GUID_IO_VOLUME_LOCK, IoEvent.GUID_IO_VOLUME_LOCK_FAILED, IoEvent.GUID_IO_VOLUME_DISMOUNT, IoEvent.GUID_IO_VOLUME_LOCK, IoEvent.GUID_IO_VOLUME_UNLOCK],
            events.Where(g => g != IoEvent.GUID_IO_VOLUME_MOUNT));
    }
}
