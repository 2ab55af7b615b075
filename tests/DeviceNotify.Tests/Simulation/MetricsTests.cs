using DeviceNotify.Diagnostics;
using DeviceNotify.Simulation;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Simulation;

/// <summary>The DeviceNotify meter over a simulated source, read with a MeterListener.</summary>
public class MetricsTests
{
    [Fact]
    public void Counters_follow_events_notifications_overflows_and_registrations_and_survive_disposal()
    {
        using var factory = new TestMeterFactory();
        using var reader = new MeterReader(factory);
        var sim = new SimulatedDeviceSource();
        var watcher = DeviceWatcher.StartNew(new DeviceWatcherOptions { Source = sim, MeterFactory = factory });
        var rec = new NotificationRecorder();
        using var reg = watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.Net), rec.Record, new RegistrationOptions { Name = "nets" });

        for (int i = 0; i < 20; i++)
            sim.Add(Sim.Net($"m{i}"));
        for (int i = 0; i < 5; i++)
            sim.Remove($"/devices/virtual/net/m{i}");
        sim.SimulateOverflow(() => sim.Remove("/devices/virtual/net/m5"));
        Assert.True(rec.WaitUntil(a => a.Count == 20 + 5 + 2, TestTimeouts.Expected), $"{rec.All.Count} notifications");

        Assert.Equal(25, reader.Read(DeviceNotifyMeter.EventsReceived));
        Assert.Equal(27, reader.Read(DeviceNotifyMeter.NotificationsDelivered));
        Assert.Equal(1, reader.Read(DeviceNotifyMeter.Overflows, (DeviceNotifyMeter.OverflowKindTag, "kernel_buffer")));
        Assert.Equal(0, reader.Read(DeviceNotifyMeter.Overflows, (DeviceNotifyMeter.OverflowKindTag, "subscriber_queue")));
        Assert.Equal(1, reader.Read(DeviceNotifyMeter.Resynchronizations));
        Assert.Equal(0, reader.Read(DeviceNotifyMeter.EventsRejected));
        Assert.Equal(1, reader.Read(DeviceNotifyMeter.Registrations));
        var queue = Assert.Single(reader.ObservedTags(DeviceNotifyMeter.RegistrationQueueLength));
        Assert.Contains(queue, t => t.Key == DeviceNotifyMeter.RegistrationNameTag && (string?)t.Value == "nets");

        watcher.Dispose();
        // A disposed watcher's counts stay in the totals: a counter never goes down.
        Assert.Equal(25, reader.Read(DeviceNotifyMeter.EventsReceived));
        Assert.Equal(0, reader.Read(DeviceNotifyMeter.Registrations));
        Assert.Empty(reader.ObservedTags(DeviceNotifyMeter.RegistrationQueueLength));
    }

    [Fact]
    public void A_consumer_that_falls_behind_shows_as_dropped_notifications_and_a_queue_overflow()
    {
        using var factory = new TestMeterFactory();
        using var reader = new MeterReader(factory);
        var (sim, watcher) = (new SimulatedDeviceSource(), (DeviceWatcher?)null);
        using (watcher = DeviceWatcher.StartNew(new DeviceWatcherOptions { Source = sim, MeterFactory = factory }))
        {
            using var release = new ManualResetEventSlim();
            var rec = new NotificationRecorder();
            using var reg = watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.Net), n =>
            {
                release.Wait();
                rec.Record(n);
            }, new RegistrationOptions { QueueCapacity = 4, Name = "slow" });
            for (int i = 0; i < 12; i++)
                sim.Add(Sim.Net($"q{i}"));
            Assert.True(reader.Read(DeviceNotifyMeter.NotificationsDropped) > 0);
            release.Set();
            Assert.True(rec.WaitUntil(a => a.Any(n => n.Action == NotificationAction.Overflow) && rec.ViewPaths.Count == 12, TestTimeouts.Expected));
            Assert.Equal(1, reader.Read(DeviceNotifyMeter.Overflows, (DeviceNotifyMeter.OverflowKindTag, "subscriber_queue")));
        }
    }

    [Fact]
    public void Without_a_factory_the_process_wide_meter_reports()
    {
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        object? scope = "unset";
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == DeviceNotifyMeter.MeterName && i.Name == DeviceNotifyMeter.EventsReceived)
            {
                scope = i.Meter.Scope;
                l.EnableMeasurementEvents(i);
            }
        };
        long received = -1;
        listener.SetMeasurementEventCallback<long>((_, v, _, _) => received = v);
        var (sim, watcher) = Sim.Start();
        using (watcher)
        {
            listener.Start();
            sim.Add(Sim.Net("pw0"));
            listener.RecordObservableInstruments();
        }
        Assert.Null(scope);
        Assert.True(received >= 1, $"received {received}");
    }
}
