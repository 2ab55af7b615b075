using DeviceNotify.Simulation;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Simulation;

/// <summary>Guarantees 2, 3 and 5 of DESIGN.md §2 on the simulated source.</summary>
public class DeliveryTests
{
    private static readonly DeviceFilter NetFilter = DeviceFilter.ForInterfaces(InterfaceClass.Net);

    public enum Delivery { ThreadPool, DedicatedThread, Inline }

    [Theory]
    [InlineData(Delivery.ThreadPool)]
    [InlineData(Delivery.DedicatedThread)]
    [InlineData(Delivery.Inline)]
    public void Callbacks_arrive_one_at_a_time_in_kernel_order(Delivery delivery)
    {
        var (sim, watcher) = Sim.Start();
        using var _ = watcher;
        var seen = new List<string>();
        int inside = 0, overlaps = 0;
        using var reg = watcher.Register(NetFilter, n =>
        {
            if (Interlocked.Increment(ref inside) > 1)
                Interlocked.Increment(ref overlaps);
            lock (seen)
                seen.Add(n.Action + " " + n.Interface!.Path);
            Thread.SpinWait(200);
            Interlocked.Decrement(ref inside);
        }, new RegistrationOptions { DedicatedThread = delivery == Delivery.DedicatedThread, InlineDelivery = delivery == Delivery.Inline });
        var expected = new List<string>();
        for (int i = 0; i < 300; i++)
        {
            sim.Add(Sim.Net("t" + i));
            expected.Add("InterfaceArrival t" + i);
            if (i % 3 == 0)
            {
                sim.Remove("/devices/virtual/net/t" + i);
                expected.Add("InterfaceRemoval t" + i);
            }
        }
        Assert.True(SpinWait.SpinUntil(() => { lock (seen) return seen.Count == expected.Count; }, TestTimeouts.Expected));
        Assert.Equal(expected, seen);
        Assert.Equal(0, overlaps);
    }

    [Fact]
    public void Pairing_holds_and_devices_present_before_registration_are_not_removed_unannounced()
    {
        var (sim, watcher) = Sim.Start(Sim.Net("old0"));
        using var _ = watcher;
        var rec = new NotificationRecorder();
        using var reg = watcher.Register(NetFilter, rec.Record);
        sim.Remove("/devices/virtual/net/old0");          // never announced: no removal owed
        for (int i = 0; i < 5; i++)
        {
            sim.Add(Sim.Net("flap"));
            sim.Remove("/devices/virtual/net/flap");
        }
        sim.Add(Sim.Net("last"));
        Assert.True(rec.WaitUntil(a => a.Any(n => n.Interface!.Path == "last"), TestTimeouts.Expected));
        Assert.Empty(rec.Violations);
        Assert.DoesNotContain(rec.All, n => n.Interface!.Path == "old0");
        Assert.Equal(10, rec.All.Count(n => n.Interface!.Path == "flap"));
        Assert.Equal(["last"], rec.ViewPaths);
    }

    [Fact]
    public void A_change_that_ends_a_class_match_is_a_removal_and_one_that_starts_it_an_arrival()
    {
        var cls = InterfaceClass.Custom("Up", new DeviceMatch { Subsystem = "net", Properties = new Dictionary<string, string> { ["STATE"] = "up" } });
        var (sim, watcher) = Sim.Start();
        using var _ = watcher;
        var rec = new NotificationRecorder();
        using var reg = watcher.Register(DeviceFilter.ForInterfaces(cls), rec.Record);
        sim.Add("/devices/virtual/net/e0", "net", new Dictionary<string, string> { ["STATE"] = "down" });
        sim.Change("/devices/virtual/net/e0", new Dictionary<string, string> { ["STATE"] = "up" });
        sim.Change("/devices/virtual/net/e0", new Dictionary<string, string> { ["STATE"] = "up", ["X"] = "1" });
        sim.Change("/devices/virtual/net/e0", new Dictionary<string, string> { ["STATE"] = "down" });
        Assert.True(rec.WaitUntil(a => a.Count >= 2, TestTimeouts.Expected));
        Thread.Sleep(TestTimeouts.MustNotHappen);
        Assert.Equal([NotificationAction.InterfaceArrival, NotificationAction.InterfaceRemoval], rec.All.Select(n => n.Action));
        Assert.All(rec.All, n => Assert.Equal(DeviceAction.Change, n.KernelAction));
    }

    [Fact]
    public void A_rename_is_a_removal_of_the_old_name_then_an_arrival_of_the_new()
    {
        var (sim, watcher) = Sim.Start(Sim.Net("eth9"));
        using var _ = watcher;
        var rec = new NotificationRecorder();
        using var reg = watcher.Register(NetFilter, rec.Record, new RegistrationOptions { IncludeExisting = true });
        sim.Move("/devices/virtual/net/eth9", "/devices/virtual/net/wan0");
        Assert.True(rec.WaitUntil(a => a.Count == 3, TestTimeouts.Expected));
        Assert.Equal(["InterfaceArrival eth9", "InterfaceRemoval eth9", "InterfaceArrival wan0"], rec.All.Select(n => n.Action + " " + n.Interface!.Path));
        Assert.Empty(rec.Violations);
    }

    [Fact]
    public void Exact_name_registrations_are_indexed_and_still_follow_a_rename()
    {
        var (sim, watcher) = Sim.Start(Sim.Net("eth9"));
        using var _ = watcher;
        var old = new NotificationRecorder();
        var neu = new NotificationRecorder();
        var other = new NotificationRecorder();
        using var r1 = watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.Custom("eth9", new DeviceMatch { Subsystem = "net", SysName = "eth9" })), old.Record, new RegistrationOptions { IncludeExisting = true });
        using var r2 = watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.Custom("wan0", new DeviceMatch { Subsystem = "net", SysName = "wan0" })), neu.Record);
        using var r3 = watcher.Register(DeviceFilter.ForDevices(new DeviceMatch { Subsystem = "net", SysName = "zzz" }), other.Record);
        sim.Move("/devices/virtual/net/eth9", "/devices/virtual/net/wan0");
        sim.Add(Sim.Net("eth9"));
        Assert.True(old.WaitUntil(a => a.Count == 3, TestTimeouts.Expected));
        Assert.True(neu.WaitUntil(a => a.Count == 1, TestTimeouts.Expected));
        Assert.Equal(["InterfaceArrival eth9", "InterfaceRemoval eth9", "InterfaceArrival eth9"], old.All.Select(n => n.Action + " " + n.Interface!.Path));
        Assert.Equal("InterfaceArrival wan0", neu.All.Single().Action + " " + neu.All.Single().Interface!.Path);
        Thread.Sleep(TestTimeouts.MustNotHappen);
        Assert.Empty(other.All);
        Assert.Empty(old.Violations);
    }

    [Fact]
    public void Device_filter_passes_every_kernel_action_through()
    {
        var (sim, watcher) = Sim.Start();
        using var _ = watcher;
        var rec = new NotificationRecorder();
        using var reg = watcher.Register(DeviceFilter.AllDevices, rec.Record);
        sim.Add(Sim.Disk("sdq"));
        sim.Change("/devices/pci0000:00/block/sdq", new Dictionary<string, string> { ["DEVTYPE"] = "disk", ["DISK_MEDIA_CHANGE"] = "1" });
        sim.Remove("/devices/pci0000:00/block/sdq");
        Assert.True(rec.WaitUntil(a => a.Count == 3, TestTimeouts.Expected));
        Assert.Equal([NotificationAction.InstanceEnumerated, NotificationAction.InstanceChanged, NotificationAction.InstanceRemoved], rec.All.Select(n => n.Action));
        Assert.Equal([DeviceAction.Add, DeviceAction.Change, DeviceAction.Remove], rec.All.Select(n => n.KernelAction));
        Assert.All(rec.All, n => Assert.Null(n.Interface));
        Assert.Equal([1UL, 2UL, 3UL], rec.All.Select(n => n.SequenceNumber));
    }

    [Fact]
    public void Registrations_for_other_subsystems_see_nothing()
    {
        var (sim, watcher) = Sim.Start();
        using var _ = watcher;
        var disks = new NotificationRecorder();
        var nets = new NotificationRecorder();
        using var r1 = watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.Disk), disks.Record);
        using var r2 = watcher.Register(NetFilter, nets.Record);
        sim.Add(Sim.Net("n0"));
        Assert.True(nets.WaitUntil(a => a.Count == 1, TestTimeouts.Expected));
        Thread.Sleep(TestTimeouts.MustNotHappen);
        Assert.Empty(disks.All);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dispose_from_inside_the_callback_does_not_block_and_stops_delivery(bool dedicatedThread)
    {
        var (sim, watcher) = Sim.Start();
        using var _ = watcher;
        int calls = 0;
        var returned = new ManualResetEventSlim();
        DeviceRegistration? reg = null;
        var ready = new ManualResetEventSlim();
        reg = watcher.Register(NetFilter, n =>
        {
            ready.Wait();
            Interlocked.Increment(ref calls);
            reg!.Dispose();
            reg.Dispose(); // double dispose is a no-op
            returned.Set();
        }, new RegistrationOptions { DedicatedThread = dedicatedThread });
        ready.Set();
        sim.Add(Sim.Net("a"));
        sim.Add(Sim.Net("b"));
        Assert.True(returned.Wait(TestTimeouts.Expected), "Dispose inside the callback blocked");
        sim.Add(Sim.Net("c"));
        Thread.Sleep(TestTimeouts.MustNotHappen);
        Assert.Equal(1, calls);
        Assert.True(reg.IsDisposed);
        Assert.Equal(0, watcher.GetStatistics().Registrations);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dispose_from_another_thread_waits_for_the_callback_in_flight_then_none_follow(bool dedicatedThread)
    {
        var (sim, watcher) = Sim.Start();
        using var _ = watcher;
        var entered = new ManualResetEventSlim();
        var release = new ManualResetEventSlim();
        int calls = 0, finished = 0;
        var reg = watcher.Register(NetFilter, n =>
        {
            Interlocked.Increment(ref calls);
            entered.Set();
            release.Wait();
            Interlocked.Increment(ref finished);
        }, new RegistrationOptions { DedicatedThread = dedicatedThread });
        sim.Add(Sim.Net("a"));
        sim.Add(Sim.Net("b"));
        Assert.True(entered.Wait(TestTimeouts.Expected));
        // A dedicated thread, not the pool: the pool may be busy with other tests' callbacks.
        var disposeCalled = new ManualResetEventSlim();
        var disposer = new Thread(() =>
        {
            disposeCalled.Set();
            reg.Dispose();
        });
        disposer.Start();
        Assert.True(disposeCalled.Wait(TestTimeouts.Expected));
        Assert.False(disposer.Join(TestTimeouts.MustNotHappen), "Dispose returned while a callback was still running");
        release.Set();
        Assert.True(disposer.Join(TestTimeouts.Expected));
        Assert.Equal(1, Volatile.Read(ref finished));
        sim.Add(Sim.Net("c"));
        Thread.Sleep(TestTimeouts.MustNotHappen);
        Assert.Equal(1, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task DisposeAsync_completes_after_the_callback_in_flight()
    {
        var (sim, watcher) = Sim.Start();
        using var _ = watcher;
        var entered = new ManualResetEventSlim();
        var release = new ManualResetEventSlim();
        int finished = 0;
        var reg = watcher.Register(NetFilter, n =>
        {
            entered.Set();
            release.Wait();
            Interlocked.Increment(ref finished);
        });
        sim.Add(Sim.Net("a"));
        Assert.True(entered.Wait(TestTimeouts.Expected));
        var disposing = reg.DisposeAsync().AsTask();
        await Task.Delay(TestTimeouts.MustNotHappen);
        Assert.False(disposing.IsCompleted);
        release.Set();
        await disposing.WaitAsync(TestTimeouts.Expected);
        Assert.Equal(1, finished);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_throwing_callback_is_contained_reported_and_affects_only_its_registration(bool dedicatedThread)
    {
        var (sim, watcher) = Sim.Start();
        using var _ = watcher;
        int errors = 0;
        watcher.Error += (_, e) =>
        {
            Assert.IsType<InvalidOperationException>(e.Exception);
            Assert.Equal("thrower", e.Registration!.Name);
            Interlocked.Increment(ref errors);
        };
        int throwerCalls = 0;
        var good = new NotificationRecorder();
        using var bad = watcher.Register(NetFilter, n =>
        {
            Interlocked.Increment(ref throwerCalls);
            throw new InvalidOperationException("boom");
        }, new RegistrationOptions { Name = "thrower", DedicatedThread = dedicatedThread });
        using var ok = watcher.Register(NetFilter, good.Record);
        for (int i = 0; i < 10; i++)
            sim.Add(Sim.Net("x" + i));
        Assert.True(good.WaitUntil(a => a.Count == 10, TestTimeouts.Expected));
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref errors) == 10, TestTimeouts.Expected));
        Assert.Equal(10, throwerCalls);
        Assert.Equal(10, watcher.GetStatistics().CallbackErrors);
    }

    [Fact]
    public void A_slow_callback_delays_only_its_own_registration()
    {
        var (sim, watcher) = Sim.Start();
        using var _ = watcher;
        var release = new ManualResetEventSlim();
        int slowCalls = 0;
        var fast = new NotificationRecorder();
        using var slow = watcher.Register(NetFilter, n =>
        {
            Interlocked.Increment(ref slowCalls);
            release.Wait(TestTimeouts.Expected);
        });
        using var quick = watcher.Register(NetFilter, fast.Record);
        for (int i = 0; i < 20; i++)
            sim.Add(Sim.Net("s" + i));
        Assert.True(fast.WaitUntil(a => a.Count == 20, TestTimeouts.Expected));
        // The slow registration's pump starts on its own schedule; once in its first callback it stays there.
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref slowCalls) == 1, TestTimeouts.Expected));
        Assert.Equal(19, slow.QueuedNotifications);
        Assert.Equal(1, Volatile.Read(ref slowCalls));
        release.Set();
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref slowCalls) == 20, TestTimeouts.Expected));
    }

    [Fact]
    public async Task Async_stream_delivers_existing_then_live_and_unregisters_when_cancelled()
    {
        var (sim, watcher) = Sim.Start(Sim.Net("pre"));
        using var _ = watcher;
        using var cts = new CancellationTokenSource(TestTimeouts.Expected);
        var seen = new List<string>();
        var stream = watcher.WatchAsync(NetFilter, new RegistrationOptions { IncludeExisting = true }, cts.Token);
        var consume = Task.Run(async () =>
        {
            try
            {
                await foreach (var n in stream)
                {
                    seen.Add(n.Action + " " + n.Interface!.Path + " " + n.Origin);
                    if (seen.Count == 2)
                        await cts.CancelAsync();
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        Assert.True(SpinWait.SpinUntil(() => watcher.GetStatistics().Registrations == 1, TestTimeouts.Expected));
        sim.Add(Sim.Net("live"));
        await consume.WaitAsync(TestTimeouts.Expected);
        Assert.Equal(["InterfaceArrival pre Enumeration", "InterfaceArrival live Kernel"], seen);
        Assert.Equal(0, watcher.GetStatistics().Registrations);
    }

    [Fact]
    public void A_source_serves_one_watcher()
    {
        var sim = new SimulatedDeviceSource();
        using var w = DeviceWatcher.StartNew(new DeviceWatcherOptions { Source = sim });
        Assert.Throws<InvalidOperationException>(() => DeviceWatcher.StartNew(new DeviceWatcherOptions { Source = sim }));
    }
}
