using DeviceNotify.Simulation;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Simulation;

/// <summary>
/// Handle registrations on the simulated source. A real handle is needed for its identity: the test opens a
/// file on the root filesystem and simulates a block device with the same number.
/// </summary>
public class HandleRegistrationTests
{
    private static readonly string DiskPath = "/devices/sim/host0/block/simdisk";
    private static readonly string PartPath = DiskPath + "/simdisk1";

    private static (SimulatedDeviceSource, DeviceWatcher, SafeHandleAndId) Start()
    {
        var handle = File.OpenHandle(typeof(HandleRegistrationTests).Assembly.Location, FileMode.Open, FileAccess.Read);
        var id = HandleIdentity.Of(handle);
        var sim = new SimulatedDeviceSource();
        sim.Add(DiskPath, "block", new Dictionary<string, string> { ["DEVTYPE"] = "disk", ["DEVNAME"] = "simdisk", ["MAJOR"] = "250", ["MINOR"] = "0" });
        sim.Add(PartPath, "block", new Dictionary<string, string>
        {
            ["DEVTYPE"] = "partition", ["DEVNAME"] = "simdisk1", ["MAJOR"] = id.Major.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MINOR"] = id.Minor.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        return (sim, DeviceWatcher.StartNew(new DeviceWatcherOptions { Source = sim }), new SafeHandleAndId(handle, id));
    }

    internal sealed record SafeHandleAndId(Microsoft.Win32.SafeHandles.SafeFileHandle Handle, HandleIdentity Id);

    private static MountPoint Mount(HandleIdentity id, int mountId, string path) => new()
    {
        MountId = mountId, ParentId = 1, Major = id.Major, Minor = id.Minor, Root = "/", Path = path,
        Options = "rw", FileSystemType = "ext4", Source = "/dev/simdisk1", SuperOptions = "rw",
    };

    [Fact]
    public void Mount_table_changes_resize_eject_and_ancestor_removal_reach_the_handle_once()
    {
        var (sim, watcher, h) = Start();
        using var _ = watcher;
        using var handle = h.Handle;
        var rec = new NotificationRecorder();
        sim.SetMounts([Mount(h.Id, 40, "/already")]);
        using var reg = watcher.RegisterHandle(handle, rec.Record);

        sim.SetMounts([Mount(h.Id, 40, "/already"), Mount(h.Id, 41, "/media/x")]);
        sim.SetMounts([Mount(h.Id, 41, "/media/x")]);
        sim.Change(PartPath, new Dictionary<string, string> { ["DEVTYPE"] = "partition", ["DEVNAME"] = "simdisk1", ["MAJOR"] = h.Id.Major.ToString(System.Globalization.CultureInfo.InvariantCulture), ["MINOR"] = h.Id.Minor.ToString(System.Globalization.CultureInfo.InvariantCulture), ["RESIZE"] = "1" });
        sim.Change(PartPath, new Dictionary<string, string> { ["DEVTYPE"] = "partition", ["DEVNAME"] = "simdisk1", ["MAJOR"] = h.Id.Major.ToString(System.Globalization.CultureInfo.InvariantCulture), ["MINOR"] = h.Id.Minor.ToString(System.Globalization.CultureInfo.InvariantCulture), ["DISK_EJECT_REQUEST"] = "1" });
        sim.Remove(PartPath);          // the kernel removes children first ...
        sim.Remove(DiskPath);          // ... then the parent: still one RemoveComplete
        Assert.True(rec.WaitUntil(a => a.Count >= 5, TestTimeouts.Expected));
        Thread.Sleep(TestTimeouts.MustNotHappen);

        Assert.Equal(["VolumeMount /media/x", "VolumeDismount /already", "VolumeChangeSize", "MediaEjectRequest", "RemoveComplete"],
            rec.All.Select(n => n.Action == NotificationAction.CustomEvent
                ? VolumeEvents.NameOf(n.CustomEvent!.EventGuid) + (n.CustomEvent.MountPoint is { } m ? " " + m.Path : "")
                : n.Action.ToString()));
    }

    [Fact]
    public void Removing_only_an_ancestor_is_a_surprise_removal_too()
    {
        var (sim, watcher, h) = Start();
        using var _ = watcher;
        using var handle = h.Handle;
        var rec = new NotificationRecorder();
        using var reg = watcher.RegisterHandle(handle, rec.Record);
        sim.SimulateOverflow(() => sim.Remove(PartPath));   // the partition's own event is lost ...
        Assert.True(rec.WaitUntil(a => a.Any(n => n.Action == NotificationAction.RemoveComplete), TestTimeouts.Expected));
        Assert.Equal(NotificationOrigin.Resynchronization, rec.All.Single(n => n.Action == NotificationAction.RemoveComplete).Origin);
        sim.Remove(DiskPath);
        Thread.Sleep(TestTimeouts.MustNotHappen);
        Assert.Single(rec.All, n => n.Action == NotificationAction.RemoveComplete);
    }
}
