using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using DeviceNotify.Tests.Kernel;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Broker;

/// <summary>
/// The removal negotiation across processes (issue 7): a holder program built against the library registers its handle
/// in one process; <c>devnotify dismount/lock/eject</c> in another asks it through the broker.
/// </summary>
[Collection(KernelCollection.Name)]
public class BrokerNegotiationTests
{
    private static JsonElement AskedParty(Shell.Result r) => JsonDocument.Parse(r.StdOut).RootElement.GetProperty("parties").EnumerateArray()
        .Single(p => p.GetProperty("asked").GetBoolean());

    private static JsonElement Party(Shell.Result r, int pid) => JsonDocument.Parse(r.StdOut).RootElement.GetProperty("parties").EnumerateArray()
        .Single(p => p.GetProperty("asked").GetBoolean() && p.GetProperty("pid").GetInt32() == pid);

    [Fact]
    public void Dismount_in_another_process_asks_the_holder_which_closes_and_the_data_is_intact()
    {
        using var broker = new BrokerProcess();
        using var ext4 = new Ext4Volume("dnbk1");
        ext4.Mount();
        string file = Path.Combine(ext4.MountPath, "data.bin");
        using var holder = HolderProgram.Start(broker, "file", file, "accept");

        var r = CliProcess.Run($"dismount {ext4.MountPath} --json --timeout 10", broker.Environment);

        Assert.True(r.ExitCode == 0, $"{r.StdErr}\n{broker.Log}");
        Assert.False(ext4.IsMounted);
        Assert.True(holder.WaitForLine("event VolumeDismount"));
        Assert.True(holder.WaitForLine("closed"));
        var party = AskedParty(r);
        Assert.Equal(holder.Pid, party.GetProperty("pid").GetInt32());
        Assert.Equal(HolderProgram.ProcessName, party.GetProperty("process").GetString());
        Assert.Equal("None", party.GetProperty("veto").GetString());
        Thread.Sleep(TestTimeouts.MustNotHappen);
        Assert.Equal(1, holder.Count("event VolumeDismount"));   // not again when mountinfo changes
        Assert.DoesNotContain("event VolumeDismountFailed", holder.Lines);

        ext4.Mount();
        Assert.Equal(holder.Sha256, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))));
    }

    [Fact]
    public void A_veto_in_another_process_fails_the_dismount_naming_its_pid_process_and_reason_and_the_holder_that_closed_reopens()
    {
        using var broker = new BrokerProcess();
        using var ext4 = new Ext4Volume("dnbk2");
        ext4.Mount();
        using var closer = HolderProgram.Start(broker, "file", Path.Combine(ext4.MountPath, "log.bin"), "accept");
        using var vetoer = HolderProgram.Start(broker, "file", Path.Combine(ext4.MountPath, "db.bin"), "veto:backup in progress");

        var r = CliProcess.Run($"dismount {ext4.DevNode} --json --timeout 10", broker.Environment);

        Assert.Equal(1, r.ExitCode);
        var party = Party(r, vetoer.Pid);
        Assert.Equal(HolderProgram.ProcessName, party.GetProperty("process").GetString());
        Assert.Equal("ApplicationVeto", party.GetProperty("veto").GetString());
        Assert.Equal("backup in progress", party.GetProperty("reason").GetString());
        Assert.Equal("None", Party(r, closer.Pid).GetProperty("veto").GetString());
        Assert.Contains($"vetoed by holder db.bin (pid {vetoer.Pid})", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("backup in progress", r.StdErr, StringComparison.Ordinal);
        foreach (var holder in new[] { closer, vetoer })
            Assert.True(holder.WaitForLine("event VolumeDismountFailed"));
        Assert.True(closer.WaitForLine("reopened"));
        Assert.True(ext4.IsMounted);
    }

    [Fact]
    public void Lock_in_another_process_asks_the_holder_tells_it_VolumeUnlock_on_release_and_a_veto_is_VolumeLockFailed()
    {
        using var broker = new BrokerProcess();
        using var ext4 = new Ext4Volume("dnbk3");
        using (var holder = HolderProgram.Start(broker, "device", ext4.DevNode, "accept"))
        {
            var r = CliProcess.Run($"lock {ext4.DevNode} --for 0.5 --json --timeout 10", broker.Environment);

            Assert.True(r.ExitCode == 0, $"{r.StdErr}\n{broker.Log}");
            Assert.Contains("released", r.StdErr, StringComparison.Ordinal);
            Assert.Equal(holder.Pid, AskedParty(r).GetProperty("pid").GetInt32());
            Assert.True(holder.WaitForLine("event VolumeLock"));
            Assert.True(holder.WaitForLine("closed"));
            Assert.True(holder.WaitForLine("event VolumeUnlock"));
            Assert.True(holder.WaitForLine("reopened"));
        }
        using (var closer = HolderProgram.Start(broker, "device", ext4.DevNode, "accept"))
        using (var vetoer = HolderProgram.Start(broker, "device", ext4.DevNode, "veto:imaging"))
        {
            var r = CliProcess.Run($"lock {ext4.DevNode} --json --timeout 10", broker.Environment);

            Assert.Equal(1, r.ExitCode);
            Assert.Equal("imaging", Party(r, vetoer.Pid).GetProperty("reason").GetString());
            Assert.True(vetoer.WaitForLine("event VolumeLockFailed"));
            Assert.True(closer.WaitForLine("event VolumeLockFailed"));
            Assert.True(closer.WaitForLine("reopened"));
        }
    }

    [Fact]
    public void Eject_in_another_process_asks_QueryRemove_then_RemovePending_and_RemoveComplete_and_a_veto_keeps_the_device()
    {
        using var broker = new BrokerProcess();
        using var loop = new LoopDevice();
        string name = loop.Name;
        using (var closer = HolderProgram.Start(broker, "device", loop.DevNode, "accept"))
        using (var vetoer = HolderProgram.Start(broker, "device", loop.DevNode, "veto:still reading"))
        {
            var r = CliProcess.Run($"eject {loop.DevNode} --json --timeout 10", broker.Environment);

            Assert.Equal(1, r.ExitCode);
            Assert.Equal("still reading", Party(r, vetoer.Pid).GetProperty("reason").GetString());
            Assert.True(vetoer.WaitForLine("event QueryRemoveFailed"));
            Assert.True(closer.WaitForLine("event QueryRemoveFailed"));
            Assert.True(closer.WaitForLine("reopened"));
            Assert.True(Directory.Exists("/sys/block/" + name));
        }
        using var holder = HolderProgram.Start(broker, "device", loop.DevNode, "accept");

        var done = CliProcess.Run($"eject {loop.DevNode} --json --timeout 10", broker.Environment);

        Assert.True(done.ExitCode == 0, $"{done.StdErr}\n{broker.Log}");
        Assert.True(holder.WaitForLine("event RemoveComplete"));
        // Clearing the loop device also makes the kernel report its media gone (MediaRemoval, VolumeChangeSize): those
        // come from the holder's own watcher; the negotiation's notifications are in order around them.
        var events = holder.Lines.Where(l => l.StartsWith("event ", StringComparison.Ordinal) && l is not ("event MediaRemoval" or "event VolumeChangeSize")).ToList();
        Assert.Equal(["event QueryRemove", "event RemovePending", "event RemoveComplete"], events);
        Assert.True(SpinWait.SpinUntil(() => !Directory.Exists("/sys/block/" + name), TestTimeouts.Expected));
    }

    [Fact]
    public void A_holder_killed_while_it_is_asked_counts_as_closed_because_its_process_no_longer_holds_the_volume()
    {
        using var broker = new BrokerProcess();
        using var ext4 = new Ext4Volume("dnbk4");
        ext4.Mount();
        using var holder = HolderProgram.Start(broker, "file", Path.Combine(ext4.MountPath, "slow.bin"), "defer");
        var request = Task.Run(() => CliProcess.Run($"dismount {ext4.MountPath} --json --timeout 20", broker.Environment));
        Assert.True(holder.WaitForLine("event VolumeDismount"));

        holder.Kill();

        Assert.True(request.Wait(TestTimeouts.Expected));
        var r = request.Result;
        Assert.True(r.ExitCode == 0, $"{r.StdErr}\n{broker.Log}");
        var party = AskedParty(r);
        Assert.Equal("None", party.GetProperty("veto").GetString());
        Assert.Contains("session ended", party.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.False(ext4.IsMounted);
    }

    [Fact]
    public void The_broker_killed_mid_negotiation_unmounts_nothing_fails_the_request_tells_the_holder_and_asks_it_again_after_a_restart()
    {
        using var broker = new BrokerProcess();
        using var ext4 = new Ext4Volume("dnbk5");
        ext4.Mount();
        using var holder = HolderProgram.Start(broker, "file", Path.Combine(ext4.MountPath, "j.bin"), "defer");
        var request = Task.Run(() => CliProcess.Run($"dismount {ext4.MountPath} --timeout 30", broker.Environment));
        Assert.True(holder.WaitForLine("event VolumeDismount"));

        broker.Kill();

        Assert.True(request.Wait(TestTimeouts.Expected));
        Assert.Equal(1, request.Result.ExitCode);
        Assert.Contains("broker", request.Result.StdErr, StringComparison.Ordinal);
        Assert.True(holder.WaitForLine("event VolumeDismountFailed"));
        Assert.True(ext4.IsMounted);

        broker.Start();   // the holder reconnects and registers again by itself
        var sw = Stopwatch.StartNew();
        Shell.Result again;
        do
        {
            again = CliProcess.Run($"dismount {ext4.MountPath} --json --timeout 1", broker.Environment);
        }
        while (holder.Count("event VolumeDismount") < 2 && sw.Elapsed < TestTimeouts.Expected);
        Assert.Equal(2, holder.Count("event VolumeDismount"));
        Assert.Equal(1, again.ExitCode);
        var party = AskedParty(again);
        Assert.Equal(holder.Pid, party.GetProperty("pid").GetInt32());
        Assert.Equal("Timeout", party.GetProperty("veto").GetString());
        Assert.True(ext4.IsMounted);
    }
}
