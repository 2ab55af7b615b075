using DeviceNotify.Tests.Support;
using DeviceNotify.Windows;
using static DeviceNotify.Interop.CfgMgr32;
using static DeviceNotify.Interop.Kernel32;

namespace DeviceNotify.Windows.Tests.Backend;

/// <summary>The coordinator on the Windows actuator (FSCTL_LOCK/DISMOUNT, CM_Request_Device_Eject, CM_Query_And_Remove_SubTree) over the fake.</summary>
public class WindowsRemovalTests
{
    private static readonly TimeSpan Expected = TestTimeouts.Expected;

    [Fact]
    public void A_path_resolves_by_storage_number_a_file_through_its_volume()
    {
        using var system = new FakeSystem();
        var actuator = new RemovalActuator(system.Native);
        Assert.Equal(((7 << 16) | 1, StorageIdentity.VolumeBit | 1), actuator.ResolveBlockNumber(@"E:\notes.txt"));
        Assert.Equal(((7 << 16) | 1, 0), actuator.ResolveBlockNumber(FakeSystem.DiskLink));
        var e = Assert.Throws<ArgumentException>(() => actuator.ResolveBlockNumber(@"Z:\nowhere"));
        Assert.Contains("Win32 error 2", e.Message, StringComparison.Ordinal);
        var mount = Assert.Single(actuator.ReadMounts());
        Assert.Equal((@"E:\", "NTFS", StorageIdentity.VolumeBit | 1), (mount.Path, mount.FileSystemType, mount.Minor));
    }

    [Fact]
    public async Task A_dismount_asks_the_registrations_then_locks_and_dismounts_the_volume()
    {
        using var system = new FakeSystem();
        var rec = new Recorder();
        using var reg = system.Watcher.Register(DeviceFilter.ForHandle(FakeSystem.VolumeIdentity), rec.Add, new RegistrationOptions { Name = "indexer" });

        var result = await system.Coordinator().DismountAsync(@"E:\", new RemovalOptions { Deadline = TimeSpan.FromSeconds(10) });

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("indexer", Assert.Single(result.Parties).Name);
        Assert.Contains(HolderFinder.Unavailable, result.Warnings);
        var controls = system.Native.Controls.Where(c => c.Code is FSCTL_LOCK_VOLUME or FSCTL_DISMOUNT_VOLUME).Select(c => c.Code).ToList();
        Assert.Equal([FSCTL_LOCK_VOLUME, FSCTL_DISMOUNT_VOLUME], controls);
        Assert.Equal(VolumeEvents.VolumeDismount, rec.All[0].CustomEvent!.EventGuid);
    }

    [Fact]
    public async Task Another_programs_open_handle_makes_the_lock_fail_with_ERROR_ACCESS_DENIED()
    {
        using var system = new FakeSystem();
        using var other = system.Native.Open(FakeSystem.VolumeLink, GENERIC_READ, out _);   // another program keeps the volume open

        var result = await system.Coordinator().DismountAsync(@"E:\", new RemovalOptions { Deadline = TimeSpan.FromSeconds(10) });

        Assert.False(result.Succeeded);
        Assert.Equal(RemovalFailure.KernelRefused, result.Failure);
        var windows = Assert.Single(result.Parties, p => p.Name == "Windows");
        Assert.Equal(ERROR_ACCESS_DENIED, windows.Errno);
        Assert.Contains("FSCTL_LOCK_VOLUME", windows.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_eject_asks_once_then_ejects_the_removable_ancestor_and_RemoveComplete_follows()
    {
        using var system = new FakeSystem();
        var rec = new Recorder();
        using var reg = system.Watcher.Register(DeviceFilter.ForHandle(FakeSystem.VolumeIdentity), rec.Add, new RegistrationOptions { Name = "player" });

        var result = await system.Coordinator().EjectAsync(@"E:\", new RemovalOptions { Deadline = TimeSpan.FromSeconds(10) });

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(FakeSystem.DiskLink, InterfaceClass.GetInterfacePath(result.Device));
        // "Safely remove": the removable ancestor (the USB device) is ejected, not just the disk.
        Assert.Equal((system.UsbDevice.InstanceId, "CM_Request_Device_Eject"), Assert.Single(system.Native.RemovalCalls));
        Assert.True(rec.WaitFor(NotificationAction.RemoveComplete, Expected));
        // Asked once: the query-remove Windows then sends to the source's watch is answered without asking again.
        Assert.Single(rec.All, n => n.Action == NotificationAction.QueryRemove);
        Assert.Empty(system.Native.Violations);
    }

    [Fact]
    public void Windows_veto_comes_back_with_its_veto_type_and_name()
    {
        using var system = new FakeSystem();
        var disk = Assert.Single(system.Watcher.GetInterfaces(InterfaceClass.Disk)).Device;
        using var other = system.Native.Open(FakeSystem.DiskLink, GENERIC_READ, out _);   // an outstanding open

        var refusal = new RemovalActuator(system.Native).Remove(disk);

        Assert.NotNull(refusal);
        Assert.Equal(RemovalFailure.Vetoed, refusal.Value.Failure);
        Assert.Equal(VetoType.OutstandingOpen, refusal.Value.Party.Veto);
        Assert.Equal(system.DiskNode.InstanceId, refusal.Value.Party.Name);
        Assert.Contains("PNP_VetoOutstandingOpen", refusal.Value.Party.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CR_ACCESS_DENIED_is_NotPermitted_and_names_the_privilege()
    {
        using var system = new FakeSystem();
        var disk = Assert.Single(system.Watcher.GetInterfaces(InterfaceClass.Disk)).Device;
        system.Native.RemovalResultOverride = () => CR_ACCESS_DENIED;

        var refusal = new RemovalActuator(system.Native).Remove(disk);

        Assert.Equal(RemovalFailure.NotPermitted, refusal!.Value.Failure);
        Assert.Contains("SeLoadDriverPrivilege", refusal.Value.Party.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_holder_scan_says_it_is_not_available_on_Windows()
    {
        using var system = new FakeSystem();
        var e = Assert.Throws<PlatformNotSupportedException>(() => system.Coordinator().FindHolders(@"E:\"));
        Assert.Contains("not available on Windows", e.Message, StringComparison.Ordinal);
    }
}
