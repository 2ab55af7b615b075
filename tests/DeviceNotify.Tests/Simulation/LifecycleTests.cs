using DeviceNotify.Simulation;
using DeviceNotify.Tests.Support;
using Microsoft.Extensions.Logging;

namespace DeviceNotify.Tests.Simulation;

/// <summary>The watcher's lifecycle: start, dispose and source failure end every registration, and nothing leaks.</summary>
public class LifecycleTests
{
    private static readonly DeviceFilter NetFilter = DeviceFilter.ForInterfaces(InterfaceClass.Net);

    [Fact]
    public async Task A_watcher_does_nothing_until_started_and_starts_once()
    {
        var sim = new SimulatedDeviceSource();
        sim.Add(Sim.Net("pre"));
        var watcher = new DeviceWatcher(new DeviceWatcherOptions { Source = sim });
        Assert.False(watcher.IsRunning);
        Assert.Throws<InvalidOperationException>(() => watcher.Register(NetFilter, _ => { }));
        Assert.Throws<InvalidOperationException>(() => watcher.GetInterfaces(InterfaceClass.Net));

        await watcher.StartAsync();

        Assert.True(watcher.IsRunning);
        Assert.Equal(["pre"], watcher.GetInterfaces(InterfaceClass.Net).Select(i => i.Path));
        Assert.Throws<InvalidOperationException>(watcher.Start);
        await watcher.DisposeAsync();
        Assert.False(watcher.IsRunning);
        Assert.Throws<ObjectDisposedException>(() => watcher.Register(NetFilter, _ => { }));
        Assert.Throws<ObjectDisposedException>(watcher.Start);
    }

    [Fact]
    public void Dispose_of_the_watcher_ends_every_registration_WatchAsync_and_the_dedicated_threads()
    {
        var (sim, watcher) = Sim.Start(Sim.Net("pre"));
        int before = Threads.Delivery();
        var recorders = Enumerable.Range(0, 3).Select(_ => new NotificationRecorder()).ToList();
        var regs = recorders.Select(r => watcher.Register(NetFilter, r.Record, new RegistrationOptions { DedicatedThread = true, IncludeExisting = true })).ToList();
        var pooled = new NotificationRecorder();
        var pooledReg = watcher.Register(NetFilter, pooled.Record);
        Assert.Equal(before + 3, Threads.Delivery());
        var streamed = new List<string>();
        var stream = Task.Run(async () =>
        {
            await foreach (var n in watcher.WatchAsync(NetFilter, new RegistrationOptions { IncludeExisting = true }))
                streamed.Add(n.Interface!.Path);
        });
        Assert.True(SpinWait.SpinUntil(() => watcher.GetStatistics().Registrations == 5, TestTimeouts.Expected));

        watcher.Dispose();

        Assert.True(stream.Wait(TestTimeouts.Expected), "WatchAsync did not end");
        Assert.Equal(before, Threads.Delivery());          // Dispose waited for the delivery threads to end
        foreach (var rec in recorders.Append(pooled))
        {
            var last = rec.All[^1];
            Assert.Equal(NotificationAction.Ended, last.Action);
            Assert.Equal(EndReason.WatcherDisposed, last.End!.Reason);
            Assert.Null(last.End.Error);
        }
        Assert.All(regs.Append(pooledReg), r => Assert.True(r.IsEnded));
        sim.Add(Sim.Net("late"));                          // a stopped source delivers nothing
        Thread.Sleep(TestTimeouts.MustNotHappen);
        Assert.All(recorders, r => Assert.DoesNotContain(r.All, n => n.Interface?.Path == "late"));
        foreach (var r in regs)
            r.Dispose();                                   // disposing after the end is allowed
    }

    [Fact]
    public async Task A_failing_source_ends_every_registration_with_the_reason_and_streams_throw_it()
    {
        var (sim, watcher) = Sim.Start();
        using var _ = watcher;
        var failure = new IOException("netlink socket broke");
        var callbacks = new[] { new NotificationRecorder(), new NotificationRecorder() };
        using var r1 = watcher.Register(NetFilter, callbacks[0].Record);
        using var r2 = watcher.Register(DeviceFilter.AllDevices, callbacks[1].Record, new RegistrationOptions { DedicatedThread = true });
        var errors = new List<Exception>();
        watcher.Error += (_, e) => { lock (errors) errors.Add(e.Exception); };
        var stream = Task.Run(async () =>
        {
            await foreach (var n in watcher.WatchAsync(NetFilter))
            {
            }
        });
        Assert.True(SpinWait.SpinUntil(() => watcher.GetStatistics().Registrations == 3, TestTimeouts.Expected));
        sim.Add(Sim.Net("before"));

        sim.SimulateFailure(failure);

        var thrown = await Assert.ThrowsAsync<DeviceNotifyException>(() => stream.WaitAsync(TestTimeouts.Expected));
        Assert.Same(failure, thrown.InnerException);
        foreach (var rec in callbacks)
        {
            Assert.True(rec.WaitUntil(a => a.Any(n => n.Action == NotificationAction.Ended), TestTimeouts.Expected));
            var end = rec.All[^1];
            Assert.Equal((NotificationAction.Ended, EndReason.SourceFailed), (end.Action, end.End!.Reason));
            Assert.Same(failure, end.End.Error);
            Assert.Contains(rec.All, n => n.Device?.SysName == "before");   // what was queued before the failure is delivered
        }
        Assert.True(SpinWait.SpinUntil(() => { lock (errors) return errors.Contains(failure); }, TestTimeouts.Expected));
        Assert.False(watcher.IsRunning);
        var again = Assert.Throws<DeviceNotifyException>(() => watcher.Register(NetFilter, _ => { }));
        Assert.Same(failure, again.InnerException);
    }

    [Fact]
    public void Delivery_threads_carry_nothing_of_the_creators_ExecutionContext()
    {
        var flowing = new AsyncLocal<string>();
        flowing.Value = "creator's";
        var (sim, watcher) = Sim.Start();
        using var _ = watcher;
        var seen = new List<string?>();
        using var pooled = watcher.Register(NetFilter, n => { lock (seen) seen.Add(flowing.Value); });
        using var dedicated = watcher.Register(NetFilter, n => { lock (seen) seen.Add(flowing.Value); }, new RegistrationOptions { DedicatedThread = true });
        sim.Add(Sim.Net("t0"));
        Assert.True(SpinWait.SpinUntil(() => { lock (seen) return seen.Count == 2; }, TestTimeouts.Expected));
        Assert.All(seen, Assert.Null);
    }

    [Fact]
    public void A_logger_that_throws_cannot_stop_delivery()
    {
        var sim = new SimulatedDeviceSource();
        using var watcher = DeviceWatcher.StartNew(new DeviceWatcherOptions { Source = sim, Logger = new ThrowingLogger() });
        var rec = new NotificationRecorder();
        using var thrower = watcher.Register(NetFilter, _ => throw new InvalidOperationException("callback bug"));   // logs an error
        using var reg = watcher.Register(NetFilter, rec.Record, new RegistrationOptions { QueueCapacity = 2 });
        sim.SimulateOverflow(() => sim.Add(Sim.Net("lost")));                                                          // logs a warning
        for (int i = 0; i < 5; i++)
            sim.Add(Sim.Net("t" + i));
        Assert.True(rec.WaitUntil(_ => rec.ViewPaths.SetEquals(["lost", "t0", "t1", "t2", "t3", "t4"]), TestTimeouts.Expected),
            string.Join(", ", rec.ViewPaths));
        Assert.True(SpinWait.SpinUntil(() => watcher.GetStatistics().CallbackErrors >= 6, TestTimeouts.Expected));
    }

    private sealed class ThrowingLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => throw new InvalidOperationException("logger bug");

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => throw new InvalidOperationException("logger bug");
    }
}
