using System.Diagnostics;
using System.Security.Cryptography;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Kernel;

/// <summary>The removal negotiation (DESIGN.md §3) on real loop-backed ext4 volumes.</summary>
[Collection(KernelCollection.Name)]
public class RemovalTests
{
    private static bool Is(DeviceNotification n, Guid g) => n.CustomEvent?.EventGuid == g;

    [Fact]
    public async Task A_writer_closes_on_VolumeDismount_the_dismount_succeeds_and_the_data_is_intact()
    {
        using var ext4 = new Ext4Volume("dnsafe");
        ext4.Mount();
        using var watcher = DeviceWatcher.StartNew();
        var coordinator = new RemovalCoordinator(watcher);
        string file = Path.Combine(ext4.MountPath, "log.bin");
        var writer = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.Read);
        var written = new List<byte>();
        var gate = new object();
        var rec = new NotificationRecorder();
        using var reg = watcher.RegisterHandle(writer, n =>
        {
            rec.Record(n);
            if (Is(n, VolumeEvents.VolumeDismount) && n.Query is not null)
            {
                lock (gate)
                {
                    writer.Flush(flushToDisk: true);
                    writer.Dispose();
                }
                n.Query.Accept();
            }
        }, new RegistrationOptions { Name = "writer" });
        var rng = new Random(1);
        for (int i = 0; i < 200; i++)
        {
            var chunk = new byte[1000];
            rng.NextBytes(chunk);
            lock (gate)
                writer.Write(chunk);
            written.AddRange(chunk);
        }

        var result = await coordinator.DismountAsync(ext4.MountPath, new RemovalOptions { Deadline = TimeSpan.FromSeconds(10) });

        Assert.True(result.Succeeded, result.Error);
        Assert.False(ext4.IsMounted);
        var party = Assert.Single(result.Parties);
        Assert.Equal("writer", party.Name);
        Assert.Equal(VetoType.None, party.Veto);
        Assert.True(rec.WaitUntil(a => a.Any(n => Is(n, VolumeEvents.VolumeDismount)), TestTimeouts.Expected));
        Thread.Sleep(TestTimeouts.MustNotHappen);
        Assert.Single(rec.All, n => Is(n, VolumeEvents.VolumeDismount));   // not again when mountinfo changes

        ext4.Mount();
        Assert.Equal(SHA256.HashData(written.ToArray()), SHA256.HashData(File.ReadAllBytes(file)));
    }

    [Fact]
    public async Task A_veto_fails_the_dismount_tells_everyone_asked_and_the_vetoer_keeps_writing()
    {
        using var ext4 = new Ext4Volume("dnveto");
        ext4.Mount();
        using var watcher = DeviceWatcher.StartNew();
        var coordinator = new RemovalCoordinator(watcher);
        using var writer = new FileStream(Path.Combine(ext4.MountPath, "keep.txt"), FileMode.Create, FileAccess.Write);
        using var dev = File.OpenHandle(ext4.DevNode, FileMode.Open, FileAccess.Read);
        var vetoer = new NotificationRecorder();
        var other = new NotificationRecorder();
        using var r1 = watcher.RegisterHandle(writer.SafeFileHandle, n =>
        {
            vetoer.Record(n);
            n.Query?.Veto("transaction in progress");
        }, new RegistrationOptions { Name = "database" });
        using var r2 = watcher.RegisterHandle(dev, n => other.Record(n), new RegistrationOptions { Name = "observer" });

        var result = await coordinator.DismountAsync(ext4.DevNode, new RemovalOptions { Deadline = TimeSpan.FromSeconds(10) });

        Assert.False(result.Succeeded);
        Assert.True(ext4.IsMounted);
        var veto = Assert.Single(result.Vetoes, v => v.WasAsked);
        Assert.Equal("database", veto.Name);
        Assert.Equal(VetoType.ApplicationVeto, veto.Veto);
        Assert.Equal("transaction in progress", veto.Reason);
        Assert.Contains("database", result.Error, StringComparison.Ordinal);
        foreach (var rec in new[] { vetoer, other })
            Assert.True(rec.WaitUntil(a => a.Any(n => Is(n, VolumeEvents.VolumeDismountFailed)), TestTimeouts.Expected));
        writer.Write("still here"u8);
        writer.Flush();
        Assert.Equal(10, new FileInfo(writer.Name).Length);
    }

    [Fact]
    public async Task A_process_that_never_registered_is_an_outstanding_open_veto_with_pid_and_command()
    {
        using var ext4 = new Ext4Volume("dnhold");
        ext4.Mount();
        using var watcher = DeviceWatcher.StartNew();
        var coordinator = new RemovalCoordinator(watcher);
        using var child = Process.Start(new ProcessStartInfo("sleep", "60") { WorkingDirectory = ext4.MountPath })!;
        try
        {
            var holders = coordinator.FindHolders(ext4.MountPath);
            Assert.Contains(holders, h => h.ProcessId == child.Id && h.ProcessName == "sleep" && h.Reason!.StartsWith("cwd", StringComparison.Ordinal));

            var result = await coordinator.DismountAsync(ext4.MountPath);

            Assert.False(result.Succeeded);
            Assert.True(ext4.IsMounted);
            var veto = Assert.Single(result.Vetoes);
            Assert.Equal(VetoType.OutstandingOpen, veto.Veto);
            Assert.Equal(child.Id, veto.ProcessId);
            Assert.Equal("sleep", veto.ProcessName);
        }
        finally
        {
            child.Kill();
            child.WaitForExit();
        }
    }

    [Fact]
    public async Task Lock_waits_for_holders_is_exclusive_and_unlocks_on_dispose()
    {
        using var ext4 = new Ext4Volume("dnlock");
        using var watcher = DeviceWatcher.StartNew();
        var coordinator = new RemovalCoordinator(watcher);
        using var observed = File.OpenHandle(Path.Combine(AppContext.BaseDirectory, "devnotify.dll"), FileMode.Open, FileAccess.Read);
        var rec = new NotificationRecorder();
        var devHandle = File.OpenHandle(ext4.DevNode, FileMode.Open, FileAccess.Read);
        using var reg = watcher.RegisterHandle(devHandle, rec.Record, new RegistrationOptions { Name = "reader" });

        // A process holding the device node open: LockFailed, naming it.
        using var holder = Process.Start(new ProcessStartInfo("sh", $"-c \"exec 3<{ext4.DevNode}; sleep 60\""))!;
        try
        {
            Assert.True(SpinWait.SpinUntil(() => coordinator.FindHolders(ext4.DevNode).Any(h => h.ProcessId == holder.Id), TestTimeouts.Expected));
            devHandle.Dispose();                              // our own registered handle is closed (accepting)
            using var failed = await coordinator.LockAsync(ext4.DevNode);
            Assert.False(failed.IsHeld);
            Assert.Contains(failed.Result.Vetoes, v => v.ProcessId == holder.Id && v.Veto == VetoType.OutstandingOpen);
            Assert.True(rec.WaitUntil(a => a.Any(n => Is(n, VolumeEvents.VolumeLockFailed)), TestTimeouts.Expected));
        }
        finally
        {
            holder.Kill(entireProcessTree: true);   // the shell may have forked sleep, which inherited fd 3
            holder.WaitForExit();
        }

        using (var held = await coordinator.LockAsync(ext4.DevNode))
        {
            Assert.True(held.IsHeld, held.Result.Error);
            var mount = Shell.Run("mount", $"{ext4.DevNode} {ext4.MountPath}");
            Assert.NotEqual(0, mount.ExitCode);                // O_EXCL is real: the kernel refuses the mount
            Assert.False(ext4.IsMounted);
        }
        Assert.True(rec.WaitUntil(a => a.Any(n => Is(n, VolumeEvents.VolumeUnlock)), TestTimeouts.Expected));
        Assert.Equal([VolumeEvents.VolumeLock, VolumeEvents.VolumeLockFailed, VolumeEvents.VolumeLock, VolumeEvents.VolumeUnlock],
            rec.All.Where(n => n.CustomEvent is not null).Select(n => n.CustomEvent!.EventGuid));
        ext4.Mount();                                          // released: mounting works again
    }

    [Fact]
    public async Task Eject_of_a_loop_device_with_a_mounted_volume_dismounts_then_removes_in_order()
    {
        var ext4 = new Ext4Volume("dneject");
        try
        {
            ext4.Mount();
            using var watcher = DeviceWatcher.StartNew();
            var coordinator = new RemovalCoordinator(watcher);
            var rec = new NotificationRecorder();
            var handle = File.OpenHandle(ext4.DevNode, FileMode.Open, FileAccess.Read);
            using var reg = watcher.RegisterHandle(handle, n =>
            {
                rec.Record(n);
                if (n.Action == NotificationAction.QueryRemove)
                    handle.Dispose();                          // close, then (by returning) accept
            }, new RegistrationOptions { Name = "app" });
            string loopName = Path.GetFileName(ext4.DevNode);

            var result = await coordinator.EjectAsync(ext4.MountPath);

            Assert.True(result.Succeeded, result.Error);
            Assert.True(rec.WaitUntil(a => a.Any(n => n.Action == NotificationAction.RemoveComplete), TestTimeouts.Expected), "no RemoveComplete");
            var sequence = rec.All.Select(n => n.CustomEvent is { } c ? VolumeEvents.NameOf(c.EventGuid) : n.Action.ToString()).ToList();
            // Clearing the loop device also makes the kernel report its media gone (DISK_MEDIA_CHANGE=1, size 0);
            // apart from such kernel media/size events the order is exactly the negotiation's.
            var negotiation = sequence.Where(s => s is not ("MediaRemoval" or "VolumeChangeSize")).ToList();
            Assert.True(negotiation.SequenceEqual(["QueryRemove", "VolumeDismount", "RemovePending", "RemoveComplete"]), string.Join(", ", sequence));
            Assert.Equal(NotificationOrigin.Kernel, rec.All[^1].Origin);
            Assert.False(ext4.IsMounted);
            Assert.False(Directory.Exists("/sys/block/" + loopName));   // detached and removed
        }
        finally
        {
            ext4.Dispose();
        }
    }

    [Fact]
    public async Task A_handler_that_never_answers_is_a_timeout_veto_and_one_that_throws_a_veto_with_its_message()
    {
        using var ext4 = new Ext4Volume("dnslow");
        ext4.Mount();
        using var watcher = DeviceWatcher.StartNew();
        var coordinator = new RemovalCoordinator(watcher);
        using var a = File.OpenHandle(ext4.DevNode, FileMode.Open, FileAccess.Read);
        using var b = File.OpenHandle(ext4.DevNode, FileMode.Open, FileAccess.Read);
        using var silent = watcher.RegisterHandle(a, n => n.Query?.Defer(), new RegistrationOptions { Name = "silent" });
        using var thrower = watcher.RegisterHandle(b, n =>
        {
            if (n.Query is not null)
                throw new InvalidOperationException("cannot close now");
        }, new RegistrationOptions { Name = "thrower" });

        var started = Stopwatch.StartNew();
        var result = await coordinator.DismountAsync(ext4.MountPath, new RemovalOptions { Deadline = TimeSpan.FromMilliseconds(500) });

        Assert.False(result.Succeeded);
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(450));
        Assert.Equal(VetoType.Timeout, result.Parties.Single(p => p.Name == "silent").Veto);
        var threw = result.Parties.Single(p => p.Name == "thrower");
        Assert.Equal(VetoType.HandlerFailed, threw.Veto);
        Assert.Equal("cannot close now", threw.Reason);
        // The coordinator went on: the holders (our two open handles) were scanned too.
        Assert.Contains(result.Parties, p => p.Veto == VetoType.OutstandingOpen && p.ProcessId == Environment.ProcessId);
        Assert.True(ext4.IsMounted);
    }
}
