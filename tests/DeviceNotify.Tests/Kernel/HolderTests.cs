using System.Diagnostics;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Kernel;

/// <summary>The holder scan: the kernel's own holders, pid identity, and never hanging on a dead filesystem.</summary>
[Collection(KernelCollection.Name)]
public class HolderTests
{
    [Fact]
    public async Task A_swap_file_and_a_loop_device_backed_by_a_file_on_the_volume_are_holders()
    {
        using var ext4 = new Ext4Volume("dnkhold");
        ext4.Mount();
        using var watcher = DeviceWatcher.StartNew();
        var coordinator = new RemovalCoordinator(watcher);
        string swap = Path.Combine(ext4.MountPath, "swap file");      // a space: /proc/swaps escapes it as \040
        string backing = Path.Combine(ext4.MountPath, "backing.img");
        Shell.Check("sh", $"-c \"dd if=/dev/zero of='{swap}' bs=1M count=4 status=none && chmod 600 '{swap}' && mkswap -q '{swap}'\"");
        using (var f = File.Create(backing))
            f.SetLength(4 << 20);
        string? loop = null;
        Shell.Check("swapon", $"\"{swap}\"");
        try
        {
            loop = Shell.Check("losetup", $"--find --show {backing}").Trim();

            var holders = coordinator.FindHolders(ext4.MountPath);

            var swapHolder = Assert.Single(holders, h => h.FoundBy == HolderKind.Swap);
            Assert.Contains(swap, swapHolder.Reason, StringComparison.Ordinal);
            Assert.Equal(0, swapHolder.ProcessId);
            var loopHolder = Assert.Single(holders, h => h.FoundBy == HolderKind.LoopDevice);
            Assert.Equal(Path.GetFileName(loop), loopHolder.Name);
            Assert.Contains(backing, loopHolder.Reason, StringComparison.Ordinal);

            var vetoed = await coordinator.DismountAsync(ext4.MountPath);
            Assert.False(vetoed.Succeeded);
            Assert.Contains(vetoed.Vetoes, v => v.FoundBy == HolderKind.Swap);
            Assert.Contains(vetoed.Vetoes, v => v.FoundBy == HolderKind.LoopDevice);
            Assert.True(ext4.IsMounted);
        }
        finally
        {
            Shell.Run("swapoff", $"\"{swap}\"");
            if (loop is not null)
                Shell.Run("losetup", $"-d {loop}");
        }
        Assert.DoesNotContain(coordinator.FindHolders(ext4.MountPath), h => h.FoundBy is HolderKind.Swap or HolderKind.LoopDevice);
    }

    [Fact]
    public void A_holder_process_is_named_with_its_start_time()
    {
        using var ext4 = new Ext4Volume("dnstart");
        ext4.Mount();
        using var watcher = DeviceWatcher.StartNew();
        var coordinator = new RemovalCoordinator(watcher);
        using var child = Process.Start(new ProcessStartInfo("sleep", "60") { WorkingDirectory = ext4.MountPath })!;
        try
        {
            var holder = Assert.Single(coordinator.FindHolders(ext4.MountPath), h => h.ProcessId == child.Id);
            Assert.Equal(HolderKind.WorkingDirectory, holder.FoundBy);
            // /proc/PID/stat field 22, read independently: the scan names this process, not a pid's later owner.
            var stat = File.ReadAllText($"/proc/{child.Id}/stat");
            ulong start = ulong.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(start, holder.ProcessStartTime);
        }
        finally
        {
            child.Kill();
            child.WaitForExit();
        }
    }

    [Fact]
    public void The_scan_finishes_while_a_process_holds_a_file_on_a_fuse_mount_whose_server_is_dead()
    {
        using var ext4 = new Ext4Volume("dnfuse");
        ext4.Mount();
        using var fuse = new DeadFuse();
        using var watcher = DeviceWatcher.StartNew();
        var coordinator = new RemovalCoordinator(watcher);
        // The holder opens the FUSE file while the server still answers, and keeps it open.
        using var holder = Process.Start(new ProcessStartInfo("sh", $"-c \"exec 3<{fuse.FilePath}; echo open; exec sleep 60\"") { RedirectStandardOutput = true })!;
        try
        {
            Assert.Equal("open", holder.StandardOutput.ReadLine());
            fuse.PlayDead();
            // Proof that the server is dead: a plain stat through the holder's descriptor blocks.
            var stat = Shell.Run("timeout", $"2 stat -L /proc/{holder.Id}/fd/3");
            Assert.Equal(124, stat.ExitCode);

            var scan = Task.Run(() => coordinator.FindHolders(ext4.MountPath));

            Assert.True(scan.Wait(TestTimeouts.Expected), "the holder scan hung on the dead FUSE mount");
            Assert.DoesNotContain(scan.Result, h => h.ProcessId == holder.Id);   // it holds nothing on the ext4 volume
        }
        finally
        {
            holder.Kill();
            fuse.Dispose();       // the holder cannot finish exiting (closing its file asks the dead server) until the server is gone
            holder.WaitForExit();
        }
    }

    [Fact]
    public void A_loop_device_over_the_volume_s_own_device_node_is_a_holder()
    {
        using var ext4 = new Ext4Volume("dnovernode");
        using var watcher = DeviceWatcher.StartNew();
        var coordinator = new RemovalCoordinator(watcher);
        string loop = Shell.Check("losetup", $"--find --show {ext4.DevNode}").Trim();
        try
        {
            var holder = Assert.Single(coordinator.FindHolders(ext4.DevNode), h => h.FoundBy == HolderKind.LoopDevice);
            Assert.Equal(Path.GetFileName(loop), holder.Name);
            Assert.Contains(ext4.DevNode, holder.Reason, StringComparison.Ordinal);
        }
        finally
        {
            Shell.Run("losetup", $"-d {loop}");
        }
    }

    [Fact]
    public async Task A_mount_kept_in_a_private_namespace_is_a_holder_and_a_peer_copy_goes_with_our_unmount()
    {
        using var ext4 = new Ext4Volume("dnmntns");
        // Our own shared mount to sit on (this machine's mounts are all private), with the volume mounted on it.
        string top = Directory.CreateTempSubdirectory("devnotify-ns-").FullName;
        string m = Path.Combine(top, "m");
        var others = new List<Process>();
        Shell.Check("mount", $"-t tmpfs devnotify-ns {top}");
        try
        {
            Shell.Check("mount", $"--make-shared {top}");
            Directory.CreateDirectory(m);
            Shell.Check("mount", $"{ext4.DevNode} {m}");
            using var watcher = DeviceWatcher.StartNew();
            var coordinator = new RemovalCoordinator(watcher);

            // A namespace whose copy is private keeps the volume mounted whatever we do here.
            var keeper = StartInNewNamespace("private", others);
            var holder = Assert.Single(coordinator.FindHolders(m), h => h.FoundBy == HolderKind.Mount);
            Assert.Contains("another mount namespace", holder.Reason, StringComparison.Ordinal);
            Assert.Contains($"pid {keeper.Id}", holder.Reason, StringComparison.Ordinal);
            var vetoed = await coordinator.DismountAsync(m);
            Assert.False(vetoed.Succeeded);
            Assert.Contains(vetoed.Vetoes, v => v.FoundBy == HolderKind.Mount);
            keeper.Kill();
            keeper.WaitForExit();

            // A namespace whose copy is a peer of ours loses the mount with us: not a holder.
            var peer = StartInNewNamespace("unchanged", others);
            Assert.Contains(" " + m + " ", File.ReadAllText($"/proc/{peer.Id}/mountinfo"), StringComparison.Ordinal);
            Assert.DoesNotContain(coordinator.FindHolders(m), h => h.FoundBy == HolderKind.Mount);
            var done = await coordinator.DismountAsync(m);
            Assert.True(done.Succeeded, done.Error);
            Assert.DoesNotContain(" " + m + " ", File.ReadAllText($"/proc/{peer.Id}/mountinfo"), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var p in others)
            {
                if (!p.HasExited)
                    p.Kill();
                p.WaitForExit();
            }
            Shell.Run("umount", m);
            Shell.Run("umount", top);
            Directory.Delete(top, recursive: true);
        }
    }

    /// <summary>A `sleep` in a new mount namespace with the given propagation, once it runs there.</summary>
    private static Process StartInNewNamespace(string propagation, List<Process> started)
    {
        var p = Process.Start(new ProcessStartInfo("unshare", $"-m --propagation {propagation} sleep 60"))!;
        started.Add(p);
        string ours = new FileInfo("/proc/self/ns/mnt").LinkTarget!;
        Assert.True(SpinWait.SpinUntil(() =>
        {
            try
            {
                return File.ReadAllText($"/proc/{p.Id}/comm").Trim() == "sleep" && new FileInfo($"/proc/{p.Id}/ns/mnt").LinkTarget != ours;
            }
            catch (IOException)
            {
                return false;
            }
        }, TestTimeouts.Expected), "unshare did not start sleep in a new mount namespace");
        return p;
    }
}
