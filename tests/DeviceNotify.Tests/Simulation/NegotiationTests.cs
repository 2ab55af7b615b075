using System.Globalization;
using DeviceNotify.Simulation;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Simulation;

/// <summary>
/// The removal protocol with a scripted platform (no disk, no root): what the round does with parties that
/// misbehave, with cancellation, with a watcher that goes away, and what it asks the platform to do.
/// </summary>
public class NegotiationTests
{
    private const string DiskPath = "/devices/sim/host0/block/loop42";

    private static bool Is(DeviceNotification n, Guid g) => n.CustomEvent?.EventGuid == g;

    private sealed record Rig(SimulatedDeviceSource Sim, DeviceWatcher Watcher, FakeRemovalPlatform Platform, RemovalCoordinator Coordinator,
        Microsoft.Win32.SafeHandles.SafeFileHandle Handle, HandleIdentity Id) : IDisposable
    {
        public void Dispose()
        {
            Watcher.Dispose();
            Handle.Dispose();
        }
    }

    /// <summary>A simulated loop disk whose number is a real open file's, so RegisterHandle binds to it.</summary>
    private static Rig Start()
    {
        var handle = File.OpenHandle(typeof(NegotiationTests).Assembly.Location, FileMode.Open, FileAccess.Read);
        var id = HandleIdentity.Of(handle);
        var sim = new SimulatedDeviceSource();
        sim.Add(DiskPath, "block", new Dictionary<string, string>
        {
            ["DEVTYPE"] = "disk", ["DEVNAME"] = "loop42",
            ["MAJOR"] = id.Major.ToString(CultureInfo.InvariantCulture), ["MINOR"] = id.Minor.ToString(CultureInfo.InvariantCulture),
        }, new DeviceAttributes { SizeSectors = 2048 });
        var watcher = DeviceWatcher.StartNew(new DeviceWatcherOptions { Source = sim });
        var platform = new FakeRemovalPlatform(id.Major, id.Minor) { Mounts = [FakeRemovalPlatform.MountOf(id.Major, id.Minor, "/media/sim")] };
        return new Rig(sim, watcher, platform, new RemovalCoordinator(watcher, platform, platform), handle, id);
    }

    [Fact]
    public async Task A_party_that_ignores_its_token_is_a_timeout_veto_and_does_not_hold_the_round()
    {
        using var rig = Start();
        using var stubborn = rig.Coordinator.AddParty(new NeverAnswers(rig.Coordinator.Resolve("x")));
        var rec = new NotificationRecorder();
        using var local = rig.Watcher.RegisterHandle(rig.Handle, rec.Record, new RegistrationOptions { Name = "local" });

        var dismount = rig.Coordinator.DismountAsync("x", new RemovalOptions { Deadline = TimeSpan.FromMilliseconds(300) });

        Assert.True(dismount.Wait(TestTimeouts.Expected), "the round waited for a party that never answers");
        var result = await dismount;
        Assert.False(result.Succeeded);
        Assert.Equal(VetoType.Timeout, result.Parties.Single(p => p.Name == "never").Veto);
        Assert.Equal(VetoType.None, result.Parties.Single(p => p.Name == "local").Veto);
        Assert.True(rec.WaitUntil(a => a.Any(n => Is(n, VolumeEvents.VolumeDismountFailed)), TestTimeouts.Expected));
        Assert.Empty(rig.Platform.Actions);
    }

    [Fact]
    public async Task An_unforced_dismount_asks_the_kernel_before_reading_all_of_proc_and_names_the_holders_when_it_refuses()
    {
        using var rig = Start();
        var rec = new NotificationRecorder();
        using var reg = rig.Watcher.RegisterHandle(rig.Handle, rec.Record);

        // Nothing holds it: one pass over the mount namespaces, then the unmount; no full scan.
        var done = await rig.Coordinator.DismountAsync("x");
        Assert.True(done.Succeeded, done.Error);
        Assert.Equal(1, rig.Platform.Scans);

        // A process holds it: the kernel refuses as busy, the full scan names the holder, the volume stays mounted.
        rig.Platform.Mounts = [FakeRemovalPlatform.MountOf(rig.Id.Major, rig.Id.Minor, "/media/sim")];
        rig.Platform.Holders.Add(new PartyResponse { Name = "vim", ProcessId = 4242, ProcessName = "vim", FoundBy = HolderKind.FileDescriptor, Veto = VetoType.OutstandingOpen, Reason = "fd 3" });
        var vetoed = await rig.Coordinator.DismountAsync("x");
        Assert.False(vetoed.Succeeded);
        Assert.Equal(RemovalFailure.Vetoed, vetoed.Failure);
        Assert.Equal(4242, Assert.Single(vetoed.Vetoes).ProcessId);
        Assert.Equal(3, rig.Platform.Scans);
        Assert.NotEmpty(rig.Platform.Mounts);
        Assert.True(rec.WaitUntil(a => a.Count(n => Is(n, VolumeEvents.VolumeDismountFailed)) == 1, TestTimeouts.Expected));

        // Forced: scanned first (the holders it overrides are named in the result), then unmounted.
        var forced = await rig.Coordinator.DismountAsync("x", new RemovalOptions { Force = true });
        Assert.True(forced.Succeeded, forced.Error);
        Assert.Equal(4, rig.Platform.Scans);
        Assert.Contains(forced.Parties, p => p.ProcessId == 4242);
    }

    [Fact]
    public async Task A_request_cancelled_before_it_starts_announces_nothing()
    {
        using var rig = Start();
        var rec = new NotificationRecorder();
        using var reg = rig.Watcher.RegisterHandle(rig.Handle, rec.Record);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rig.Coordinator.DismountAsync("x", null, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rig.Coordinator.EjectAsync("x", null, cancelled.Token));

        Thread.Sleep(TestTimeouts.MustNotHappen);
        Assert.Empty(rec.All);
    }

    [Fact]
    public async Task The_request_returns_to_its_caller_while_the_holder_scan_runs()
    {
        using var rig = Start();
        rig.Platform.ScanDelay = TimeSpan.FromSeconds(2);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var pending = rig.Coordinator.DismountAsync("x");
        var returnedAfter = sw.Elapsed;
        Assert.False(pending.IsCompleted);                       // the scan is running off the caller's thread
        Assert.True(returnedAfter < rig.Platform.ScanDelay, $"the caller was held {returnedAfter.TotalMilliseconds} ms");
        Assert.True((await pending).Succeeded);
    }

    [Fact]
    public async Task A_deferred_answer_sees_the_question_withdrawn_at_the_deadline()
    {
        using var rig = Start();
        RemovalQuery? held = null;
        using var reg = rig.Watcher.RegisterHandle(rig.Handle, n =>
        {
            if (n.Query is { } q)
            {
                held = q;
                q.Defer();
            }
        });
        var result = await rig.Coordinator.DismountAsync("x", new RemovalOptions { Deadline = TimeSpan.FromMilliseconds(200) });
        Assert.Equal(VetoType.Timeout, Assert.Single(result.Parties).Veto);
        Assert.NotNull(held);
        Assert.True(SpinWait.SpinUntil(() => held!.IsWithdrawn, TestTimeouts.Expected));   // a token callback, right after the round gave up
        Assert.True(held.Withdrawn.IsCancellationRequested);
        Assert.NotNull(held.Deadline);
        held.Accept();                                           // too late: ignored, no exception
    }

    [Fact]
    public async Task Releasing_a_lock_after_the_watcher_is_gone_does_not_throw_and_tells_who_is_left()
    {
        using var rig = Start();
        rig.Platform.Mounts = [];
        var rec = new NotificationRecorder();
        var reg = rig.Watcher.RegisterHandle(rig.Handle, rec.Record);
        var held = await rig.Coordinator.LockAsync("x");
        Assert.True(held.IsHeld, held.Result.Error);
        rig.Watcher.Dispose();

        held.Dispose();                                          // must not throw

        Assert.DoesNotContain(rec.All, n => Is(n, VolumeEvents.VolumeUnlock));   // the registration ended with the watcher
        reg.Dispose();
    }

    [Fact]
    public async Task A_handle_registered_by_identity_is_asked_and_an_observer_of_it_is_not()
    {
        using var rig = Start();
        var holder = new NotificationRecorder();
        var observer = new NotificationRecorder();
        using var held = rig.Watcher.Register(DeviceFilter.ForHandle(rig.Id), holder.Record, new RegistrationOptions { Name = "holder" });
        using var observed = rig.Watcher.Register(DeviceFilter.ObserveHandle(rig.Id), observer.Record, new RegistrationOptions { Name = "observer" });
        var result = await rig.Coordinator.DismountAsync("x");
        Assert.True(result.Succeeded);
        Assert.Equal(["holder"], result.Parties.Select(p => p.Name));   // the observer holds nothing, so it answers nothing
        Assert.Contains(holder.All, n => n.Query is not null);
        Assert.DoesNotContain(observer.All, n => n.Query is not null);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task Eject_does_not_delete_a_device_the_kernel_says_is_still_in_use(bool force, bool deletedAnyway)
    {
        using var rig = Start();
        rig.Platform.InUseReason = "/dev/loop42 is still in use (mounted in another mount namespace)";
        var result = await rig.Coordinator.EjectAsync("x", new RemovalOptions { Force = force });
        // Only a loop device may be removed while in use, and only when forced: the kernel defers its detach.
        Assert.Equal(deletedAnyway, rig.Platform.Actions.Contains("remove loop42"));
        Assert.Equal(deletedAnyway, result.Succeeded);
        if (!deletedAnyway)
            Assert.Contains("still in use", result.Error, StringComparison.Ordinal);
    }

    /// <summary>A party as a buggy broker client might be: it never answers and never looks at its token.</summary>
    private sealed class NeverAnswers(Device device) : RemovalParty
    {
        public override string Name => "never";

        public override int ProcessId => 1234;

        public override string? ProcessName => "stuck";

        public override Device? Device => device;

        public override Task<PartyAnswer> AskAsync(RemovalMessage question, CancellationToken cancellationToken)
            => new TaskCompletionSource<PartyAnswer>().Task;

        public override void Tell(RemovalMessage notice)
        {
        }
    }
}
