using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Kernel;

/// <summary>
/// DESIGN.md §3 safety rules on real loop-backed ext4 volumes: act only on the target, every path ends, answers are
/// cheap. Each of these failed on the code before issue 6 (see the "Tests").
/// </summary>
[Collection(KernelCollection.Name)]
public class NegotiationSafetyTests
{
    private static bool Is(DeviceNotification n, Guid g) => n.CustomEvent?.EventGuid == g;

    [Fact]
    public async Task Dismount_of_a_covered_volume_refuses_names_the_cover_and_leaves_both_mounted()
    {
        using var a = new Ext4Volume("dncova");
        using var b = new Ext4Volume("dncovb");
        a.Mount();
        File.WriteAllText(Path.Combine(a.MountPath, "a.txt"), "data of A");
        Shell.Check("mount", $"{b.DevNode} {a.MountPath}");     // B over A, at the same path
        try
        {
            using var watcher = DeviceWatcher.StartNew();
            var coordinator = new RemovalCoordinator(watcher);

            var result = await coordinator.DismountAsync(a.DevNode);

            Assert.False(result.Succeeded);
            Assert.Equal(RemovalFailure.MountCovered, result.Failure);
            Assert.Contains(b.DevNode, result.Error, StringComparison.Ordinal);
            var cover = Assert.Single(result.Vetoes);
            Assert.Equal((b.DevNode, HolderKind.Mount), (cover.Name, cover.FoundBy));
            Assert.Equal([a.MountPath], MountInfo.MountPointsOf(b.DevNode));   // B untouched
            Assert.Equal([a.MountPath], MountInfo.MountPointsOf(a.DevNode));   // A still mounted below it
        }
        finally
        {
            Shell.Check("umount", b.DevNode);
        }
        Assert.Equal("data of A", File.ReadAllText(Path.Combine(a.MountPath, "a.txt")));
    }

    [Fact]
    public async Task Dismount_refuses_while_another_filesystem_is_mounted_inside_the_volume()
    {
        using var a = new Ext4Volume("dnpara");
        using var c = new Ext4Volume("dnchild");
        a.Mount();
        string sub = Path.Combine(a.MountPath, "sub");
        Directory.CreateDirectory(sub);
        Shell.Check("mount", $"{c.DevNode} {sub}");
        try
        {
            using var watcher = DeviceWatcher.StartNew();
            var coordinator = new RemovalCoordinator(watcher);

            var forced = await coordinator.DismountAsync(a.DevNode, new RemovalOptions { Force = true });

            // Even forced: a lazy unmount of A would detach C with it.
            Assert.False(forced.Succeeded);
            Assert.Equal(RemovalFailure.MountCovered, forced.Failure);
            Assert.Contains(sub, forced.Error, StringComparison.Ordinal);
            Assert.Equal([sub], MountInfo.MountPointsOf(c.DevNode));
            Assert.Equal([a.MountPath], MountInfo.MountPointsOf(a.DevNode));
        }
        finally
        {
            Shell.Run("umount", c.DevNode);
        }
    }

    [Fact]
    public async Task An_async_stream_consumer_that_closes_and_moves_on_accepts()
    {
        using var ext4 = new Ext4Volume("dnasync");
        ext4.Mount();
        using var watcher = DeviceWatcher.StartNew();
        var coordinator = new RemovalCoordinator(watcher);
        var file = new FileStream(Path.Combine(ext4.MountPath, "f.bin"), FileMode.Create);
        var filter = DeviceFilter.ForHandle(file.SafeFileHandle);
        using var cts = new CancellationTokenSource();
        int questions = 0;
        var consumer = Task.Run(async () =>
        {
            await foreach (var n in watcher.WatchAsync(filter, null, cts.Token))
            {
                if (n.Query is not null)
                {
                    Interlocked.Increment(ref questions);
                    file.Dispose();          // close, then simply ask for the next notification: that accepts
                }
            }
        });
        Assert.True(SpinWait.SpinUntil(() => watcher.GetStatistics().Registrations == 1, TestTimeouts.Expected));

        var result = await coordinator.DismountAsync(ext4.MountPath, new RemovalOptions { Deadline = TimeSpan.FromSeconds(20) });

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(1, Volatile.Read(ref questions));
        Assert.DoesNotContain(result.Parties, p => p.Veto == VetoType.Timeout);
        Assert.False(ext4.IsMounted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consumer);
    }

    [Fact]
    public async Task A_registration_disposed_with_a_queued_question_answers_it()
    {
        using var ext4 = new Ext4Volume("dnqueued");
        ext4.Mount();
        string second = Directory.CreateTempSubdirectory("devnotify-mnt2-").FullName;
        try
        {
            using var watcher = DeviceWatcher.StartNew();
            var coordinator = new RemovalCoordinator(watcher);
            var file = File.OpenHandle(Path.Combine(ext4.MountPath, "f.bin"), FileMode.Create, FileAccess.ReadWrite);
            using var gate = new ManualResetEventSlim();
            int blocked = 0;
            var reg = watcher.RegisterHandle(file, n =>
            {
                if (n.Query is null && Interlocked.Increment(ref blocked) == 1)
                    gate.Wait();
            }, new RegistrationOptions { Name = "busy" });
            Shell.Check("mount", $"--bind {ext4.MountPath} {second}");    // VolumeMount: the callback blocks in it
            Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref blocked) == 1, TestTimeouts.Expected));
            var dismount = coordinator.DismountAsync(ext4.DevNode, new RemovalOptions { Deadline = TimeSpan.FromSeconds(20) });
            Assert.True(SpinWait.SpinUntil(() => reg.QueuedNotifications == 1, TestTimeouts.Expected));   // the question waits behind it

            file.Dispose();
            var disposed = reg.DisposeAsync();
            gate.Set();
            await disposed;
            var result = await dismount;

            Assert.True(result.Succeeded, result.Error);
            var busy = Assert.Single(result.Parties, p => p.Name == "busy");
            Assert.Equal(VetoType.None, busy.Veto);
        }
        finally
        {
            Shell.Run("umount", second);
            Directory.Delete(second);
        }
    }

    [Fact]
    public async Task A_cancelled_negotiation_tells_everyone_asked_and_a_later_umount_is_still_reported()
    {
        using var ext4 = new Ext4Volume("dncancel");
        ext4.Mount();
        using var watcher = DeviceWatcher.StartNew();
        var coordinator = new RemovalCoordinator(watcher);
        using var h1 = File.OpenHandle(ext4.DevNode, FileMode.Open, FileAccess.Read);
        using var h2 = File.OpenHandle(ext4.DevNode, FileMode.Open, FileAccess.Read);
        var deferring = new NotificationRecorder();
        var other = new NotificationRecorder();
        using var r1 = watcher.RegisterHandle(h1, n => { deferring.Record(n); n.Query?.Defer(); }, new RegistrationOptions { Name = "deferring" });
        using var r2 = watcher.RegisterHandle(h2, other.Record, new RegistrationOptions { Name = "other" });
        using var cts = new CancellationTokenSource();

        var dismount = coordinator.DismountAsync(ext4.MountPath, new RemovalOptions { Deadline = TimeSpan.FromSeconds(30) }, cts.Token);
        foreach (var rec in new[] { deferring, other })
            Assert.True(rec.WaitUntil(a => a.Any(n => Is(n, VolumeEvents.VolumeDismount)), TestTimeouts.Expected));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dismount);
        foreach (var rec in new[] { deferring, other })
            Assert.True(rec.WaitUntil(a => a.Any(n => Is(n, VolumeEvents.VolumeDismountFailed)), TestTimeouts.Expected), "no VolumeDismountFailed");
        Assert.True(ext4.IsMounted);
        ext4.Unmount();   // an external umount after the failed negotiation is reported, not swallowed
        Assert.True(other.WaitUntil(a => a.Count(n => Is(n, VolumeEvents.VolumeDismount)) == 2, TestTimeouts.Expected), "the external umount was not reported");
        Assert.Equal(NotificationOrigin.Kernel, other.All.Last(n => Is(n, VolumeEvents.VolumeDismount)).Origin);
    }

    [Fact]
    public async Task An_invalid_deadline_throws_before_anyone_is_asked()
    {
        using var ext4 = new Ext4Volume("dnbaddl");
        ext4.Mount();
        using var watcher = DeviceWatcher.StartNew();
        var coordinator = new RemovalCoordinator(watcher);
        using var h = File.OpenHandle(ext4.DevNode, FileMode.Open, FileAccess.Read);
        var rec = new NotificationRecorder();
        using var r = watcher.RegisterHandle(h, rec.Record);

        foreach (var deadline in new[] { TimeSpan.FromSeconds(-2), TimeSpan.Zero, TimeSpan.FromDays(2) })
        {
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => coordinator.DismountAsync(ext4.MountPath, new RemovalOptions { Deadline = deadline }));
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => coordinator.LockAsync(ext4.DevNode, new RemovalOptions { Deadline = deadline }));
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => coordinator.EjectAsync(ext4.DevNode, new RemovalOptions { Deadline = deadline }));
        }

        Thread.Sleep(TestTimeouts.MustNotHappen);
        Assert.Empty(rec.All);
        Assert.True(ext4.IsMounted);
    }

    [Fact]
    public async Task A_party_added_from_outside_is_asked_and_its_veto_names_its_process()
    {
        using var ext4 = new Ext4Volume("dnparty");
        ext4.Mount();
        using var watcher = DeviceWatcher.StartNew();
        var coordinator = new RemovalCoordinator(watcher);
        var remote = new ScriptedParty(coordinator.Resolve(ext4.DevNode), PartyAnswer.Vetoed("remote transaction open"));
        using (coordinator.AddParty(remote))
        {
            var vetoed = await coordinator.DismountAsync(ext4.MountPath);

            Assert.False(vetoed.Succeeded);
            var party = Assert.Single(vetoed.Vetoes);
            Assert.Equal((4242, "remoteproc", "remote transaction open"), (party.ProcessId, party.ProcessName, party.Reason));
            Assert.Equal(["question VolumeDismount", "notice VolumeDismountFailed"], remote.Heard);
        }
        var done = await coordinator.DismountAsync(ext4.MountPath);   // removed: nobody left to ask
        Assert.True(done.Succeeded, done.Error);
        Assert.Empty(done.Parties);
    }

    /// <summary>A party as a broker would add one for another process: answers from a script.</summary>
    private sealed class ScriptedParty(Device device, PartyAnswer answer) : RemovalParty
    {
        public List<string> Heard { get; } = [];

        public override string Name => "remote";

        public override int ProcessId => 4242;

        public override string? ProcessName => "remoteproc";

        public override Device? Device => device;

        public override Task<PartyAnswer> AskAsync(RemovalMessage question, CancellationToken cancellationToken)
        {
            lock (Heard)
                Heard.Add("question " + VolumeEvents.NameOf(question.EventGuid!.Value));
            return Task.FromResult(answer);
        }

        public override void Tell(RemovalMessage notice)
        {
            lock (Heard)
                Heard.Add("notice " + (notice.EventGuid is { } g ? VolumeEvents.NameOf(g) : notice.Action.ToString()));
        }
    }
}
