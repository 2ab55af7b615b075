using DeviceNotify.Diagnostics;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Kernel;

/// <summary>The meter against the real kernel: a tap storm, and a vetoed dismount of a loop-backed ext4.</summary>
[Collection(KernelCollection.Name)]
public class MetricsKernelTests
{
    [Fact]
    public void After_a_tap_storm_the_counters_equal_the_events_and_notifications_counted()
    {
        const int Taps = 100;
        using var factory = new TestMeterFactory();
        using var reader = new MeterReader(factory);
        using var watcher = DeviceWatcher.StartNew(new DeviceWatcherOptions { MeterFactory = factory });
        long events = 0;
        var rec = new NotificationRecorder();
        string prefix = NetDevices.UniqueName()[..^1] + "m";
        var taps = InterfaceClass.Custom("StormTaps", new DeviceMatch { Subsystem = "net", SysName = prefix + "*" });
        using var all = watcher.Register(DeviceFilter.AllDevices, _ => Interlocked.Increment(ref events), new RegistrationOptions { Name = "all" });
        using var storm = watcher.Register(DeviceFilter.ForInterfaces(taps), rec.Record, new RegistrationOptions { Name = "storm" });
        int group = Random.Shared.Next(1000, 60000);
        try
        {
            NetDevices.CreateTapStorm(prefix, Taps, group);
        }
        finally
        {
            NetDevices.DeleteGroup(group);
        }
        Assert.True(rec.WaitUntil(a => a.Count(n => n.Action == NotificationAction.InterfaceRemoval) == Taps, TestTimeouts.Expected));
        // The all-devices registration is a pass-through of the kernel stream: it has seen every received event once
        // everything received so far was delivered to it.
        Assert.True(SpinWait.SpinUntil(() => Interlocked.Read(ref events) == watcher.GetStatistics().EventsReceived, TestTimeouts.Expected));

        double received = reader.Read(DeviceNotifyMeter.EventsReceived);
        Assert.Equal(Interlocked.Read(ref events), received);
        Assert.True(received >= 2 * Taps, $"{received} events for {Taps} taps added and removed");
        Assert.Equal(Interlocked.Read(ref events) + rec.All.Count, reader.Read(DeviceNotifyMeter.NotificationsDelivered));
        Assert.Equal(0, reader.Read(DeviceNotifyMeter.Overflows));
        Assert.Equal(0, reader.Read(DeviceNotifyMeter.NotificationsDropped));
        Assert.Equal(0, reader.Read(DeviceNotifyMeter.EventsRejected));
        Assert.Equal(2, reader.Read(DeviceNotifyMeter.Registrations));
        var names = reader.ObservedTags(DeviceNotifyMeter.RegistrationQueueLength)
            .Select(t => (string?)t.Single(k => k.Key == DeviceNotifyMeter.RegistrationNameTag).Value).Order().ToList();
        Assert.Equal(["all", "storm"], names);
    }

    [Fact]
    public async Task After_a_vetoed_dismount_the_veto_and_negotiation_counters_moved()
    {
        using var ext4 = new Ext4Volume("dnmeter");
        ext4.Mount();
        using var factory = new TestMeterFactory();
        using var reader = new MeterReader(factory);
        using var watcher = DeviceWatcher.StartNew(new DeviceWatcherOptions { MeterFactory = factory });
        var coordinator = new RemovalCoordinator(watcher);
        using var file = new FileStream(Path.Combine(ext4.MountPath, "busy.txt"), FileMode.Create);
        using var reg = watcher.RegisterHandle(file, n => n.Query?.Veto("busy"), new RegistrationOptions { Name = "vetoer" });

        var result = await coordinator.DismountAsync(ext4.MountPath, new RemovalOptions { Deadline = TimeSpan.FromSeconds(10) });

        Assert.False(result.Succeeded);
        var dismount = (DeviceNotifyMeter.OperationTag, "dismount");
        Assert.Equal(1, reader.Read(DeviceNotifyMeter.Vetoes, dismount, (DeviceNotifyMeter.VetoTypeTag, "application_veto")));
        // Our own open file is also found by the holder scan: every veto of the result is counted, by type.
        Assert.Equal(result.Vetoes.Count(), reader.Read(DeviceNotifyMeter.Vetoes, dismount));
        Assert.Equal(1, reader.Read(DeviceNotifyMeter.Negotiations, dismount, (DeviceNotifyMeter.OutcomeTag, "vetoed")));
        Assert.Equal(1, reader.RecordedCount(DeviceNotifyMeter.NegotiationDuration));
        Assert.True(reader.Read(DeviceNotifyMeter.NegotiationDuration) > 0);
    }
}
