using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Kernel;

/// <summary>Handle registrations (DBT_DEVTYP_HANDLE) on real loop devices and ext4 volumes.</summary>
[Collection(KernelCollection.Name)]
public class HandleNotificationTests
{
    private static bool IsCustom(DeviceNotification n, Guid g) => n.Action == NotificationAction.CustomEvent && n.CustomEvent!.EventGuid == g;

    [Fact]
    public void Mount_and_umount_are_VolumeMount_and_VolumeDismount_with_mount_point_and_label()
    {
        using var ext4 = new Ext4Volume("dnvolM");
        using var watcher = DeviceWatcher.StartNew();
        using var handle = File.OpenHandle(ext4.DevNode, FileMode.Open, FileAccess.Read);
        var rec = new NotificationRecorder();
        using var reg = watcher.RegisterHandle(handle, rec.Record);

        ext4.Mount();
        Assert.True(rec.WaitUntil(a => a.Any(n => IsCustom(n, VolumeEvents.VolumeMount)), TestTimeouts.Expected), "no VolumeMount");
        ext4.Unmount();
        Assert.True(rec.WaitUntil(a => a.Any(n => IsCustom(n, VolumeEvents.VolumeDismount)), TestTimeouts.Expected), "no VolumeDismount");

        var mount = rec.All.First(n => IsCustom(n, VolumeEvents.VolumeMount));
        var dismount = rec.All.First(n => IsCustom(n, VolumeEvents.VolumeDismount));
        Assert.Equal(ext4.MountPath, mount.CustomEvent!.MountPoint!.Path);
        Assert.Equal(ext4.MountPath, dismount.CustomEvent!.MountPoint!.Path);
        Assert.Equal("dnvolM", mount.CustomEvent.NewLabel);
        Assert.Equal(ext4.DevNode, mount.Device!.DevNode);
        Assert.Equal(DeviceFilterKind.Handle, reg.Filter.Kind);
        Assert.True(reg.Filter.Handle!.Value.IsDeviceNode);
    }

    [Fact]
    public void A_file_handle_is_bound_to_the_volume_that_holds_it()
    {
        using var ext4 = new Ext4Volume("dnvolF");
        ext4.Mount();
        string second = Directory.CreateTempSubdirectory("devnotify-mnt2-").FullName;
        try
        {
            using var watcher = DeviceWatcher.StartNew();
            using var file = File.OpenHandle(Path.Combine(ext4.MountPath, "data.bin"), FileMode.Create, FileAccess.ReadWrite);
            var rec = new NotificationRecorder();
            using var reg = watcher.RegisterHandle(file, rec.Record);
            var id = reg.Filter.Handle!.Value;
            Assert.False(id.IsDeviceNode);
            Assert.Equal(7, id.Major);                                 // the loop device under the file

            Shell.Check("mount", $"--bind {ext4.MountPath} {second}");   // a second mount of the same volume
            Assert.True(rec.WaitUntil(a => a.Any(n => IsCustom(n, VolumeEvents.VolumeMount) && n.CustomEvent!.MountPoint!.Path == second), TestTimeouts.Expected));
            Shell.Check("umount", second);
            Assert.True(rec.WaitUntil(a => a.Any(n => IsCustom(n, VolumeEvents.VolumeDismount) && n.CustomEvent!.MountPoint!.Path == second), TestTimeouts.Expected));
            // The first mount was there before the registration: never reported.
            Assert.DoesNotContain(rec.All, n => n.CustomEvent?.MountPoint?.Path == ext4.MountPath);
        }
        finally
        {
            Shell.Run("umount", second);
            Directory.Delete(second);
        }
    }

    [Fact]
    public void Relabeling_an_unmounted_volume_is_VolumeChange_with_old_and_new_label()
    {
        using var ext4 = new Ext4Volume("dnold");
        using var watcher = DeviceWatcher.StartNew();
        using var handle = File.OpenHandle(ext4.DevNode, FileMode.Open, FileAccess.Read);
        var rec = new NotificationRecorder();
        using var reg = watcher.RegisterHandle(handle, rec.Record);

        Shell.Check("e2label", $"{ext4.DevNode} dnnew");
        Assert.True(rec.WaitUntil(a => a.Any(n => IsCustom(n, VolumeEvents.VolumeChange)), TestTimeouts.Expected), "no VolumeChange after e2label");
        var change = rec.All.First(n => IsCustom(n, VolumeEvents.VolumeChange)).CustomEvent!;
        Assert.Equal("dnold", change.OldLabel);
        Assert.Equal("dnnew", change.NewLabel);
    }

    [Fact]
    public void Detaching_a_loop_device_removes_its_partition_as_RemoveComplete_without_a_query()
    {
        string image = Path.Combine(Path.GetTempPath(), $"devnotify-part-{Guid.NewGuid():N}.img");
        string? loop = null, attached = null;
        try
        {
            WriteImageWithOnePartition(image, 16 << 20);
            // -P (LO_FLAGS_PARTSCAN): the kernel owns the partitions and drops them when the loop is cleared.
            loop = Shell.Check("losetup", $"-P --find --show {image}").Trim();
            // This kernel may lack the MBR parser; partx adds the partition through BLKPG either way.
            string part = loop + "p1";
            attached = loop;
            if (!File.Exists(part))
                Shell.Run("partx", $"-a {loop}");
            Assert.True(SpinWait.SpinUntil(() => File.Exists(part), TestTimeouts.Expected), $"{part} did not appear");

            using var watcher = DeviceWatcher.StartNew();
            var rec = new NotificationRecorder();
            var handle = File.OpenHandle(part, FileMode.Open, FileAccess.Read);
            using var reg = watcher.RegisterHandle(handle, rec.Record);

            // The kernel defers a loop detach while the device is open (LO_FLAGS_AUTOCLEAR, loop_clr_fd): with our
            // handle open nothing is removed yet, and nothing may be reported.
            Shell.Check("losetup", $"-d {loop}");
            loop = null;
            Thread.Sleep(TestTimeouts.MustNotHappen);
            Assert.True(File.Exists(part));
            Assert.DoesNotContain(rec.All, n => n.Action == NotificationAction.RemoveComplete);

            // Closing the last opener completes the detach: the kernel removes the partition. The registration is
            // bound to the device, not to the descriptor, and reports the removal with no query first.
            handle.Dispose();
            Assert.True(rec.WaitUntil(a => a.Any(n => n.Action == NotificationAction.RemoveComplete), TestTimeouts.Expected), "no RemoveComplete");
            Thread.Sleep(TestTimeouts.MustNotHappen);
            var removal = Assert.Single(rec.All, n => n.Action == NotificationAction.RemoveComplete);
            Assert.EndsWith("p1", removal.Device!.SysName, StringComparison.Ordinal);
            Assert.Equal(NotificationOrigin.Kernel, removal.Origin);
            Assert.DoesNotContain(rec.All, n => n.Action is NotificationAction.QueryRemove or NotificationAction.RemovePending);
        }
        finally
        {
            // Never leave a partition behind: a stale loopNp1 makes loopN look partitioned to the next test.
            if (attached is not null && File.Exists(attached + "p1"))
                Shell.Run("partx", $"-d {attached}");
            if (loop is not null)
                Shell.Run("losetup", $"-d {loop}");
            File.Delete(image);
        }
    }

    /// <summary>A sparse image with an MBR holding one Linux partition from sector 2048 to the end.</summary>
    private static void WriteImageWithOnePartition(string path, int size)
    {
        var mbr = new byte[512];
        mbr[446 + 4] = 0x83;                                                       // type: Linux
        BitConverter.TryWriteBytes(mbr.AsSpan(446 + 8), 2048u);                    // first LBA (little endian)
        BitConverter.TryWriteBytes(mbr.AsSpan(446 + 12), (uint)(size / 512) - 2048u);
        mbr[510] = 0x55;
        mbr[511] = 0xAA;
        using var f = File.Create(path);
        f.SetLength(size);
        f.Write(mbr);
    }

    [Fact]
    public void A_handle_on_a_device_less_filesystem_is_refused_with_a_clear_error()
    {
        using var watcher = DeviceWatcher.StartNew();
        using var handle = File.OpenHandle("/proc/self/status", FileMode.Open, FileAccess.Read);
        var ex = Assert.Throws<ArgumentException>(() => watcher.RegisterHandle(handle, _ => { }));
        Assert.Contains("No device with number", ex.Message, StringComparison.Ordinal);
    }
}
