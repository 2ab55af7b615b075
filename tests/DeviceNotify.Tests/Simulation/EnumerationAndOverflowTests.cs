using DeviceNotify.Simulation;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Simulation;

/// <summary>Guarantees 1 and 4 of DESIGN.md §2 on the simulated source, where the races are deterministic.</summary>
public class EnumerationAndOverflowTests
{
    private static readonly DeviceFilter NetFilter = DeviceFilter.ForInterfaces(InterfaceClass.Net);

    [Fact]
    public void Events_buffered_during_the_walk_are_reconciled_not_reported_twice()
    {
        var sim = new SimulatedDeviceSource();
        sim.Add(Sim.Net("stay"));
        sim.Add(Sim.Net("goes"));
        // During the walk: one arrives, one leaves. The walk sees the result and the socket holds the events.
        sim.DuringNextEnumeration = () =>
        {
            sim.Add(Sim.Net("came"));
            sim.Remove("/devices/virtual/net/goes");
        };
        sim.HoldEvents();
        using var watcher = DeviceWatcher.StartNew(new DeviceWatcherOptions { Source = sim });
        var rec = new NotificationRecorder();
        using var reg = watcher.Register(NetFilter, rec.Record, new RegistrationOptions { IncludeExisting = true });
        sim.ReleaseEvents();            // the buffered add/remove reach the dispatcher after the registration exists
        sim.Add(Sim.Net("after"));

        Assert.True(rec.WaitUntil(a => a.Any(n => n.Interface!.Path == "after"), TestTimeouts.Expected));
        Thread.Sleep(TestTimeouts.MustNotHappen);
        Assert.Empty(rec.Violations);
        Assert.Equal(["InterfaceArrival came Enumeration", "InterfaceArrival stay Enumeration", "InterfaceArrival after Kernel"],
            rec.All.Select(n => $"{n.Action} {n.Interface!.Path} {n.Origin}"));
        Assert.Equal(2, watcher.GetStatistics().ReconciledDuplicates);
    }

    [Fact]
    public void Many_registrations_starting_during_a_stream_each_see_every_interface_exactly_once()
    {
        var (sim, watcher) = Sim.Start();
        using var _ = watcher;
        var recorders = new List<(NotificationRecorder Rec, DeviceRegistration Reg)>();
        int registered = 0;
        var producer = Task.Run(() =>
        {
            for (int i = 0; i < 2000; i++)
            {
                // Keep pace with the registrations, so they really start all along the stream (on any machine).
                if (i % 50 == 0)
                    SpinWait.SpinUntil(() => Volatile.Read(ref registered) >= i / 50, TestTimeouts.Expected);
                sim.Add(Sim.Net("r" + i));
                if (i % 2 == 0)
                    sim.Remove("/devices/virtual/net/r" + i);
            }
        });
        while (!producer.IsCompleted && recorders.Count < 40)
        {
            var rec = new NotificationRecorder();
            recorders.Add((rec, watcher.Register(NetFilter, rec.Record, new RegistrationOptions { IncludeExisting = true })));
            Interlocked.Increment(ref registered);
            Thread.Sleep(1);
        }
        producer.Wait();
        var final = sim.Devices.Select(d => d.SysName).ToHashSet();
        Assert.True(recorders.Count > 1);
        foreach (var (rec, reg) in recorders)
        {
            Assert.True(rec.WaitUntil(_ => rec.ViewPaths.SetEquals(final), TestTimeouts.Expected), "view differs from the device tree");
            Assert.Empty(rec.Violations);
            foreach (var name in final)
                Assert.Equal(1, rec.ArrivalCount(name));
            reg.Dispose();
        }
    }

    [Fact]
    public void Kernel_overflow_is_reported_then_the_view_is_resynchronised_with_marked_events()
    {
        var (sim, watcher) = Sim.Start(Sim.Net("a"), Sim.Net("b"));
        using var _ = watcher;
        var rec = new NotificationRecorder();
        using var reg = watcher.Register(NetFilter, rec.Record, new RegistrationOptions { IncludeExisting = true });
        Assert.True(rec.WaitUntil(a => a.Count == 2, TestTimeouts.Expected));

        sim.SimulateOverflow(() =>
        {
            sim.Remove("/devices/virtual/net/a");
            sim.Add(Sim.Net("c"));
            sim.Add(Sim.Net("d"));
            sim.Remove("/devices/virtual/net/d");
        });

        Assert.True(rec.WaitUntil(a => a.Count == 5, TestTimeouts.Expected));
        var after = rec.All.ToArray()[2..];
        Assert.Equal(NotificationAction.Overflow, after[0].Action);
        Assert.Equal(OverflowKind.KernelBuffer, after[0].Overflow!.Kind);
        Assert.Equal(["InterfaceRemoval a", "InterfaceArrival c"], after[1..].Select(n => $"{n.Action} {n.Interface!.Path}"));
        Assert.All(after, n => Assert.Equal(NotificationOrigin.Resynchronization, n.Origin));
        Assert.All(after, n => Assert.True(n.IsSynthesized));
        Assert.Equal(["b", "c"], rec.ViewPaths);
        Assert.Empty(rec.Violations);
        var stats = watcher.GetStatistics();
        Assert.Equal(1, stats.KernelOverflows);
        Assert.Equal(1, stats.Resynchronizations);
    }

    [Fact]
    public void Kernel_overflow_resynchronises_device_filters_too_including_changed_devices()
    {
        var (sim, watcher) = Sim.Start(Sim.Disk("sda"));
        using var _ = watcher;
        var rec = new NotificationRecorder();
        using var reg = watcher.Register(DeviceFilter.ForDevices(new DeviceMatch { Subsystem = "block" }), rec.Record, new RegistrationOptions { IncludeExisting = true });
        sim.SimulateOverflow(() => sim.Change("/devices/pci0000:00/block/sda", new Dictionary<string, string> { ["DEVTYPE"] = "disk", ["SIZE"] = "2" }));
        Assert.True(rec.WaitUntil(a => a.Count == 3, TestTimeouts.Expected));
        Assert.Equal([NotificationAction.InstanceEnumerated, NotificationAction.Overflow, NotificationAction.InstanceChanged], rec.All.Select(n => n.Action));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_full_queue_is_recovered_after_the_consumer_catches_up(bool dedicatedThread)
    {
        var (sim, watcher) = Sim.Start();
        using var _ = watcher;
        var gate = new ManualResetEventSlim();
        var rec = new NotificationRecorder();
        using var reg = watcher.Register(NetFilter, n =>
        {
            gate.Wait();
            rec.Record(n);
        }, new RegistrationOptions { QueueCapacity = 8, Name = "slowpoke", DedicatedThread = dedicatedThread });
        for (int i = 0; i < 100; i++)
        {
            sim.Add(Sim.Net("q" + i));
            if (i % 4 == 0)
                sim.Remove("/devices/virtual/net/q" + i);
        }
        Assert.True(reg.DroppedNotifications > 0);
        gate.Set();
        var final = sim.Devices.Select(d => d.SysName).ToHashSet();
        Assert.True(rec.WaitUntil(_ => rec.ViewPaths.SetEquals(final), TestTimeouts.Expected));
        var overflow = rec.All.Single(n => n.Action == NotificationAction.Overflow);
        Assert.Equal(OverflowKind.SubscriberQueue, overflow.Overflow!.Kind);
        Assert.True(overflow.Overflow.DroppedNotifications > 0);
        Assert.Empty(rec.Violations);
        Assert.Equal(1, reg.QueueOverflows);
        Assert.Equal(1, watcher.GetStatistics().QueueOverflows);
        var all = rec.All.ToArray();
        int overflowAt = Array.FindIndex(all, n => n.Action == NotificationAction.Overflow);
        Assert.True(all[(overflowAt + 1)..].All(n => n.IsSynthesized));
    }
}
