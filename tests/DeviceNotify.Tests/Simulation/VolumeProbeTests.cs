using System.Globalization;
using DeviceNotify.Simulation;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Simulation;

/// <summary>
/// Volume events without a disk: labels come from probes (here simulated, with a delay for a slow device), media
/// and size from device attributes. A real handle supplies the identity; a simulated partition carries its number.
/// </summary>
public class VolumeProbeTests
{
    private const string DiskPath = "/devices/sim/host0/block/simdisk";
    private const string PartPath = DiskPath + "/simdisk1";

    private static bool Is(DeviceNotification n, Guid g) => n.CustomEvent?.EventGuid == g;

    private static (SimulatedDeviceSource Sim, DeviceWatcher Watcher, Microsoft.Win32.SafeHandles.SafeFileHandle Handle) Start()
    {
        var handle = File.OpenHandle(typeof(VolumeProbeTests).Assembly.Location, FileMode.Open, FileAccess.Read);
        var id = HandleIdentity.Of(handle);
        var sim = new SimulatedDeviceSource();
        sim.Add(DiskPath, "block", new Dictionary<string, string> { ["DEVTYPE"] = "disk", ["DEVNAME"] = "simdisk", ["MAJOR"] = "250", ["MINOR"] = "0" },
            new DeviceAttributes { SizeSectors = 4096, HasPartitions = true });
        sim.Add(PartPath, "block", PartitionProperties(id), new DeviceAttributes { SizeSectors = 2048 });
        return (sim, DeviceWatcher.StartNew(new DeviceWatcherOptions { Source = sim }), handle);
    }

    private static Dictionary<string, string> PartitionProperties(HandleIdentity id, params (string Key, string Value)[] extra)
    {
        var p = new Dictionary<string, string>
        {
            ["DEVTYPE"] = "partition",
            ["DEVNAME"] = "simdisk1",
            ["MAJOR"] = id.Major.ToString(CultureInfo.InvariantCulture),
            ["MINOR"] = id.Minor.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (k, v) in extra)
            p[k] = v;
        return p;
    }

    [Fact]
    public void A_slow_probe_of_one_volume_delays_no_other_notification()
    {
        var (sim, watcher, handle) = Start();
        using var _ = watcher;
        using var __ = handle;
        var id = HandleIdentity.Of(handle);
        sim.SetVolume(PartPath, "ext4", "before");
        var volume = new NotificationRecorder();
        using var onVolume = watcher.RegisterHandle(handle, volume.Record);
        var net = new NotificationRecorder();
        using var onNet = watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.Net), net.Record);

        // The volume is relabelled, and reading it now takes seconds (a CD spinning up, a dying disk).
        sim.SetVolume(PartPath, "ext4", "after", probeDelay: TimeSpan.FromSeconds(3));
        sim.Change(PartPath, PartitionProperties(id));
        sim.Add(Sim.Net("tap0"));
        sim.SetMounts([new MountPoint { MountId = 77, ParentId = 1, Major = id.Major, Minor = id.Minor, Root = "/", Path = "/media/sim",
            Options = "rw", FileSystemType = "ext4", Source = "/dev/simdisk1", SuperOptions = "rw" }]);

        // Everything else arrives while the probe is still reading the slow device ...
        Assert.True(net.WaitUntil(a => a.Any(n => n.Interface?.Path == "tap0"), TestTimeouts.Expected));
        Assert.True(volume.WaitUntil(a => a.Any(n => Is(n, VolumeEvents.VolumeMount)), TestTimeouts.Expected));
        Assert.DoesNotContain(volume.All, n => Is(n, VolumeEvents.VolumeChange));
        Assert.Equal(1, watcher.RunningDispatcher.RunningProbes);
        // ... and the label change follows when it finishes.
        Assert.True(volume.WaitUntil(a => a.Any(n => Is(n, VolumeEvents.VolumeChange)), TestTimeouts.Expected));
        var change = volume.All.Single(n => Is(n, VolumeEvents.VolumeChange)).CustomEvent!;
        Assert.Equal(("before", "after"), (change.OldLabel, change.NewLabel));
    }

    [Fact]
    public void A_relabel_seen_on_a_change_event_or_a_close_after_write_is_VolumeChange()
    {
        var (sim, watcher, handle) = Start();
        using var _ = watcher;
        using var __ = handle;
        var id = HandleIdentity.Of(handle);
        sim.SetVolume(PartPath, "ext4", "one");
        var rec = new NotificationRecorder();
        using var reg = watcher.RegisterHandle(handle, rec.Record);

        sim.SetVolume(PartPath, "ext4", "two");
        sim.Change(PartPath, PartitionProperties(id));
        Assert.True(rec.WaitUntil(a => a.Count(n => Is(n, VolumeEvents.VolumeChange)) == 1, TestTimeouts.Expected));
        sim.SetVolume(PartPath, "ext4", "three");
        sim.WriteVolume(PartPath);                        // e2label closes the node after writing: no uevent
        Assert.True(rec.WaitUntil(a => a.Count(n => Is(n, VolumeEvents.VolumeChange)) == 2, TestTimeouts.Expected));
        sim.Change(PartPath, PartitionProperties(id));    // probed again, same label: nothing to say
        Thread.Sleep(TestTimeouts.MustNotHappen);

        Assert.Equal(["one -> two", "two -> three"], rec.All.Where(n => Is(n, VolumeEvents.VolumeChange))
            .Select(n => $"{n.CustomEvent!.OldLabel} -> {n.CustomEvent.NewLabel}"));
    }

    [Fact]
    public void Media_and_size_events_come_from_the_attributes_the_source_read()
    {
        var (sim, watcher, handle) = Start();
        using var _ = watcher;
        using var __ = handle;
        var id = HandleIdentity.Of(handle);
        sim.SetVolume(PartPath, "ext4", "media");
        var rec = new NotificationRecorder();
        using var reg = watcher.RegisterHandle(handle, rec.Record);

        sim.Change(PartPath, PartitionProperties(id, ("DISK_MEDIA_CHANGE", "1")), new DeviceAttributes { SizeSectors = 0 });
        sim.SetVolume(PartPath, null, null);              // what a probe of an empty drive would say: ignored, no media
        sim.Change(PartPath, PartitionProperties(id, ("DISK_MEDIA_CHANGE", "1")), new DeviceAttributes { SizeSectors = 2048 });
        sim.Change(PartPath, PartitionProperties(id, ("RESIZE", "1")), new DeviceAttributes { SizeSectors = 4096 });
        Assert.True(rec.WaitUntil(a => a.Count >= 3, TestTimeouts.Expected));
        Thread.Sleep(TestTimeouts.MustNotHappen);

        Assert.Equal([VolumeEvents.MediaRemoval, VolumeEvents.MediaArrival, VolumeEvents.VolumeChangeSize],
            rec.All.Where(n => n.CustomEvent is { } c && c.EventGuid != VolumeEvents.VolumeChange).Select(n => n.CustomEvent!.EventGuid));
    }

    [Fact]
    public void A_whole_disk_is_a_Volume_interface_only_while_it_has_media_and_no_partitions()
    {
        var sim = new SimulatedDeviceSource();
        using var watcher = DeviceWatcher.StartNew(new DeviceWatcherOptions { Source = sim });
        var rec = new NotificationRecorder();
        using var reg = watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.Volume), rec.Record);
        sim.Add("/devices/virtual/block/card0", "block", new Dictionary<string, string> { ["DEVTYPE"] = "disk", ["DEVNAME"] = "card0" },
            new DeviceAttributes { SizeSectors = 0 });
        sim.Change("/devices/virtual/block/card0", new Dictionary<string, string> { ["DEVTYPE"] = "disk", ["DEVNAME"] = "card0" }, new DeviceAttributes { SizeSectors = 8192 });
        sim.Change("/devices/virtual/block/card0", new Dictionary<string, string> { ["DEVTYPE"] = "disk", ["DEVNAME"] = "card0" }, new DeviceAttributes { SizeSectors = 8192, HasPartitions = true });
        Assert.True(rec.WaitUntil(a => a.Count >= 2, TestTimeouts.Expected));
        Thread.Sleep(TestTimeouts.MustNotHappen);
        Assert.Equal([NotificationAction.InterfaceArrival, NotificationAction.InterfaceRemoval], rec.All.Select(n => n.Action));
    }
}
