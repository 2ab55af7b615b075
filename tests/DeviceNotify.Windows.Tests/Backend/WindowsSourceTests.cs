using DeviceNotify.Tests.Support;
using DeviceNotify.Windows;
using static DeviceNotify.Interop.CfgMgr32;

namespace DeviceNotify.Windows.Tests.Backend;

/// <summary>
/// The Windows backend's source on the fake cfgmgr32: every notification goes through the real
/// [UnmanagedCallersOnly] trampoline with a GCHandle context and a native buffer, on the fake's callback threads.
/// </summary>
public class WindowsSourceTests
{
    private static readonly TimeSpan Expected = TestTimeouts.Expected;

    [Fact]
    public void The_listing_gives_the_symbolic_links_the_device_tree_and_volumes_under_their_disk()
    {
        using var system = new FakeSystem();
        var disk = Assert.Single(system.Watcher.GetInterfaces(InterfaceClass.Disk));
        var volume = Assert.Single(system.Watcher.GetInterfaces(InterfaceClass.Volume));
        var net = Assert.Single(system.Watcher.GetInterfaces(InterfaceClass.Net));
        Assert.Empty(system.Watcher.GetInterfaces(InterfaceClass.Hid));

        Assert.Equal(FakeSystem.DiskLink, disk.Path);
        Assert.Equal(@"/PCI\VEN_8086&DEV_A36D&SUBSYS_00000000&REV_10\3&11583659&0&A0/USB\VID_0781&PID_5583\4C530001/USBSTOR\DISK&VEN_FAKE&PROD_STICK\0001/" + FakeSystem.DiskLink,
            disk.Device.DevPath);
        Assert.Equal(("block", "disk", (7 << 16) | 1, 0), (disk.Device.Subsystem, disk.Device.DevType, disk.Device.Major, disk.Device.Minor));
        // A volume is the volume manager's child on Windows; it is filed under its disk (same disk number).
        Assert.Equal(disk.Device.DevPath + "/" + FakeSystem.VolumeLink, volume.Device.DevPath);
        Assert.Equal(("partition", StorageIdentity.VolumeBit | 1), (volume.Device.DevType, volume.Device.Minor));
        Assert.Equal(FakeSystem.VolumeName, volume.Device.GetProperty("VOLUME_NAME"));
        Assert.Equal(@"STORAGE\VOLUME\{7D1A2B3C-0000-0000-0000-100000000000}", volume.Device.GetProperty("DEVICE_INSTANCE_ID"));
        Assert.Equal(FakeSystem.NetLink, net.Path);
        Assert.Equal("net", net.Device.Subsystem);
        // Membership is by GUID: a Windows record is never taken for another class, whatever Linux predicates say.
        Assert.False(InterfaceClass.CdRom.Matches(disk.Device));
        Assert.True(InterfaceClass.Disk.Matches(disk.Device));
    }

    [Fact]
    public void Arrival_and_removal_come_through_the_real_trampoline_in_order()
    {
        using var system = new FakeSystem();
        var rec = new Recorder();
        var every = new Recorder();
        using var reg = system.Watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.Net), rec.Add);
        using var all = system.Watcher.Register(DeviceFilter.ForDevices(), every.Add);
        const string link = @"\\?\ROOT#NET#0001#{cac88484-7515-4c03-82e6-71a87abac361}";
        var node = system.Native.AddNode(@"ROOT\NET\0001");

        system.Native.Arrive(InterfaceClass.Net.Guid, link, node);
        Assert.True(rec.WaitFor(NotificationAction.InterfaceArrival, Expected));
        system.Native.Depart(InterfaceClass.Net.Guid, link);
        Assert.True(rec.WaitFor(NotificationAction.InterfaceRemoval, Expected));

        Assert.Equal([NotificationAction.InterfaceArrival, NotificationAction.InterfaceRemoval], rec.Actions);
        Assert.All(rec.All, n => Assert.Equal(link, n.Interface!.Path));
        Assert.Equal(@"/ROOT\NET\0001/" + link, rec.All[0].Device!.DevPath);
        Assert.True(rec.All[0].SequenceNumber < rec.All[1].SequenceNumber);

        // A class the source does not follow (not built in, not configured) is not taken into the table.
        system.Native.Arrive(Guid.NewGuid(), @"\\?\SWD#OTHER#1#{00000000-1111-2222-3333-444444444444}", node);
        Thread.Sleep(TestTimeouts.MustNotHappen);
        Assert.Equal(2, every.All.Count);   // the net arrival and removal only
        Assert.Empty(system.Native.Violations);
    }

    [Fact]
    public void An_interface_that_arrives_during_the_listing_is_reported_once_and_the_list_is_asked_again()
    {
        const string late = @"\\?\USBSTOR#Disk&Ven_Late#0002#{53f56307-b6bf-11d0-94f2-00a0c91efb8b}";
        using var system = new FakeSystem(native =>
        {
            var node = native.AddNode(@"USBSTOR\DISK&VEN_LATE\0002");
            // Between CM_Get_Device_Interface_List_Size and CM_Get_Device_Interface_List: the list grew (CR_BUFFER_SMALL
            // then a retry), and the arrival was announced to the registration made in Open.
            native.BetweenSizeAndList = () => native.Arrive(InterfaceClass.Disk.Guid, late, node, new FakeWindows.Storage(7, 2, 0, false, null));
        });
        var rec = new Recorder();
        using var reg = system.Watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.Disk), rec.Add, new RegistrationOptions { IncludeExisting = true });
        Assert.True(rec.WaitFor(a => a.Count(n => n.Interface?.Path == late) >= 1, Expected));
        Thread.Sleep(TestTimeouts.MustNotHappen);
        Assert.Single(rec.All, n => n.Interface?.Path == late);
        Assert.True(system.Watcher.GetStatistics().ReconciledDuplicates >= 1);
    }

    [Fact]
    public void A_query_remove_from_Windows_is_vetoed_by_a_registration_and_the_watch_registers_again_off_the_callback_thread()
    {
        using var system = new FakeSystem();
        var rec = new Recorder();
        using var reg = system.Watcher.Register(DeviceFilter.ForHandle(FakeSystem.VolumeIdentity), n =>
        {
            rec.Add(n);
            n.Query?.Veto("writing the journal");
        });
        var watch = Assert.Single(system.Native.LiveRegistrations, r => r.Filter.FilterType == CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE);
        Assert.Equal(FakeSystem.VolumeLink, watch.Target);
        Assert.Equal(1, system.Native.OpenHandles(FakeSystem.VolumeLink));

        var (result, vetoType, vetoName) = system.Native.RequestRemoval(system.UsbDevice);

        Assert.Equal(CR_REMOVE_VETOED, result);
        Assert.Equal(3, vetoType);   // PNP_VetoWindowsApp: an application returned ERROR_CANCELLED
        Assert.NotEmpty(vetoName);
        Assert.True(rec.WaitFor(NotificationAction.QueryRemoveFailed, Expected));
        Assert.Equal([NotificationAction.QueryRemove, NotificationAction.QueryRemoveFailed], rec.Actions);
        // Per the seed's table: unregister the old registration from a deferred routine, register anew on a new handle.
        Assert.True(SpinWait.SpinUntil(() => system.Native.LiveRegistrations.Any(r => r.Filter.FilterType == CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE && r.Handle != watch.Handle), Expected));
        Assert.True(watch.Removed);
        Assert.Contains(system.Native.Unregistrations, u => u.Registration == watch.Handle && !u.OnCallbackThread);
        Assert.DoesNotContain(system.Native.Unregistrations, u => u.OnCallbackThread);
        Assert.Equal(1, system.Native.OpenHandles(FakeSystem.VolumeLink));
        Assert.Empty(system.Native.Violations);
    }

    [Fact]
    public void An_accepted_query_remove_closes_the_sources_handle_and_RemovePending_and_RemoveComplete_follow()
    {
        using var system = new FakeSystem();
        var rec = new Recorder();
        var interfaces = new Recorder();
        using var reg = system.Watcher.Register(DeviceFilter.ForHandle(FakeSystem.VolumeIdentity), rec.Add);   // returns without answering: accepts
        using var ifs = system.Watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.Volume), interfaces.Add, new RegistrationOptions { IncludeExisting = true });
        var watch = Assert.Single(system.Native.LiveRegistrations, r => r.Filter.FilterType == CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE);

        var (result, _, vetoName) = system.Native.RequestRemoval(system.UsbDevice);

        Assert.True(result == CR_SUCCESS, $"vetoed: {vetoName}");   // the source's own handle did not hold the device
        Assert.True(rec.WaitFor(NotificationAction.RemoveComplete, Expected));
        Assert.Equal([NotificationAction.QueryRemove, NotificationAction.RemovePending, NotificationAction.RemoveComplete], rec.Actions);
        Assert.True(interfaces.WaitFor(NotificationAction.InterfaceRemoval, Expected));
        Assert.True(SpinWait.SpinUntil(() => watch.Removed, Expected));
        Assert.DoesNotContain(system.Native.Unregistrations, u => u.OnCallbackThread);
        Assert.Equal(0, system.Native.OpenHandles(FakeSystem.VolumeLink));
        Assert.Empty(system.Watcher.GetInterfaces(InterfaceClass.Volume));
        Assert.Empty(system.Native.Violations);
    }

    [Fact]
    public void A_registration_may_unregister_inside_its_own_callback_while_Windows_waits()
    {
        using var system = new FakeSystem();
        var rec = new Recorder();
        DeviceRegistration? self = null;
        self = system.Watcher.Register(DeviceFilter.ForHandle(FakeSystem.VolumeIdentity), n =>
        {
            rec.Add(n);
            if (n.Action == NotificationAction.QueryRemove)
                self!.Dispose();   // Windows deadlocks here (CM_Unregister_Notification waits for this callback)
        });

        var removal = Task.Run(() => system.Native.RequestRemoval(system.UsbDevice));

        Assert.True(removal.Wait(Expected), "the removal request did not come back: a deadlock");
        Assert.Equal(CR_SUCCESS, removal.Result.Result);   // a registration that is gone holds nothing: it accepted
        Assert.True(self.IsDisposed);
        Assert.Equal([NotificationAction.QueryRemove], rec.Actions);
        Assert.Empty(system.Native.Violations);
    }

    [Fact]
    public void Disposing_the_watcher_inside_a_callback_ends_the_question_and_unregisters_everything_without_deadlock()
    {
        var system = new FakeSystem();
        try
        {
            var rec = new Recorder();
            using var reg = system.Watcher.Register(DeviceFilter.ForHandle(FakeSystem.VolumeIdentity), n =>
            {
                rec.Add(n);
                if (n.Action == NotificationAction.QueryRemove)
                {
                    n.Query!.Defer();           // keep Windows' callback waiting...
                    system.Watcher.Dispose();   // ...and stop the source, which must unregister that very registration
                }
            });

            var removal = Task.Run(() => system.Native.RequestRemoval(system.UsbDevice));

            Assert.True(removal.Wait(Expected), "the removal request did not come back: a deadlock");
            Assert.True(SpinWait.SpinUntil(() => system.Native.LiveRegistrations.Count == 0, Expected), "registrations left after Stop");
            Assert.DoesNotContain(system.Native.Unregistrations, u => u.OnCallbackThread);
            Assert.Empty(system.Native.Violations);
            Assert.False(system.Watcher.IsRunning);
        }
        finally
        {
            system.Dispose();
        }
    }

    [Fact]
    public void A_malformed_buffer_from_Windows_is_counted_and_dropped()
    {
        using var system = new FakeSystem();
        var rec = new Recorder();
        using var reg = system.Watcher.Register(DeviceFilter.ForDevices(), rec.Add);
        var lying = FakeWindows.InterfaceData(InterfaceClass.Net.Guid, @"\\?\ROOT#NET#0009#{cac88484-7515-4c03-82e6-71a87abac361}")[..40];   // the link's NUL cut off

        var results = system.Native.SendRaw(CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL, lying);

        Assert.Equal([0u], results);
        Assert.Equal(1, system.Watcher.GetStatistics().Malformed);
        Thread.Sleep(TestTimeouts.MustNotHappen);
        Assert.Empty(rec.All);
    }

    [Fact]
    public void Volume_events_from_Windows_reach_the_registrations_and_the_watch_steps_aside_for_another_programs_lock()
    {
        using var system = new FakeSystem();
        var rec = new Recorder();
        using var reg = system.Watcher.Register(DeviceFilter.ForHandle(FakeSystem.VolumeIdentity), rec.Add);

        system.Native.CustomEvent(FakeSystem.VolumeLink, VolumeEvents.VolumeMount);
        // Another program locks the volume: the file system announces GUID_IO_VOLUME_LOCK, the watch closes its handle,
        // and the lock is granted (the watch's handle would otherwise make it fail with ERROR_ACCESS_DENIED).
        using var locker = system.Native.Open(StorageIdentity.VolumeOf(FakeSystem.VolumeName)!, Interop.Kernel32.GENERIC_READ | Interop.Kernel32.GENERIC_WRITE, out _)!;
        bool locked = system.Native.IoControl(locker, Interop.Kernel32.FSCTL_LOCK_VOLUME, [], out _, out int error);

        Assert.True(locked, $"the lock failed with Win32 error {error}");
        Assert.True(rec.WaitFor(a => a.Count(n => n.Action == NotificationAction.CustomEvent) == 2, Expected));
        Assert.Equal([VolumeEvents.VolumeMount, VolumeEvents.VolumeLock], rec.All.Select(n => n.CustomEvent!.EventGuid));
        Assert.Equal(0, system.Native.OpenHandles(FakeSystem.VolumeLink));
        // The unlock reopens the watch's handle.
        system.Native.CustomEvent(FakeSystem.VolumeLink, VolumeEvents.VolumeUnlock);
        Assert.True(SpinWait.SpinUntil(() => system.Native.OpenHandles(FakeSystem.VolumeLink) == 1, Expected));
    }

    [Fact]
    public void Storage_identity_tells_a_volume_from_its_disk_even_when_both_say_partition_0()
    {
        using var native = new FakeWindows();
        var node = native.AddNode(@"USBSTOR\DISK&VEN_FLOPPY\1");
        native.AddInterface(InterfaceClass.Disk.Guid, "disk", node, new FakeWindows.Storage(7, 3, 0, false, null));
        native.AddInterface(InterfaceClass.Volume.Guid, "superfloppy", node, new FakeWindows.Storage(7, 3, 0, true, @"\\?\Volume{bbbbbbbb-0000-0000-0000-000000000002}\"));
        using var disk = native.Open("disk", 0, out _)!;
        using var volume = native.Open("superfloppy", 0, out _)!;
        var d = StorageIdentity.Read(native, disk);
        var v = StorageIdentity.Read(native, volume);
        Assert.Equal(new HandleIdentity((7 << 16) | 3, 0, true, true), d);
        Assert.Equal(new HandleIdentity((7 << 16) | 3, StorageIdentity.VolumeBit, true, true), v);
    }
}
