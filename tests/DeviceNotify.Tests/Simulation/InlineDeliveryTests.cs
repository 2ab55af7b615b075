using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Simulation;

/// <summary>
/// RegistrationOptions.InlineDelivery: callbacks on the routing thread, with every guarantee of the other modes.
/// With the simulated source the routing thread is the one calling Add/Remove, so producers run on threads of their
/// own here, as the kernel's reader thread would.
/// </summary>
public class InlineDeliveryTests
{
    private static readonly DeviceFilter NetFilter = DeviceFilter.ForInterfaces(InterfaceClass.Net);
    private static readonly RegistrationOptions Inline = new() { InlineDelivery = true };

    [Fact]
    public void Callbacks_run_on_the_routing_thread_before_it_routes_the_next_batch()
    {
        var (sim, watcher) = Sim.Start();
        using var _ = watcher;
        var threads = new List<int>();
        using var reg = watcher.Register(NetFilter, n => threads.Add(Environment.CurrentManagedThreadId), Inline);
        var producer = new Thread(() =>
        {
            sim.Add(Sim.Net("a"));
            threads.Add(-1);                         // Add returned: the callback has already run
            sim.Add(Sim.Net("b"));
        });
        producer.Start();
        producer.Join();
        Assert.Equal([producer.ManagedThreadId, -1, producer.ManagedThreadId], threads);
    }

    [Fact]
    public void Two_routing_threads_deliver_one_at_a_time_in_order()
    {
        var (sim, watcher) = Sim.Start();
        using var _ = watcher;
        var seen = new List<ulong>();
        int inside = 0, overlaps = 0;
        using var reg = watcher.Register(NetFilter, n =>
        {
            if (Interlocked.Increment(ref inside) > 1)
                Interlocked.Increment(ref overlaps);
            seen.Add(n.SequenceNumber);
            Thread.SpinWait(100);
            Interlocked.Decrement(ref inside);
        }, Inline);
        var producers = Enumerable.Range(0, 2).Select(p => new Thread(() =>
        {
            for (int i = 0; i < 200; i++)
                sim.Add(Sim.Net($"p{p}x{i}"));
        })).ToList();
        producers.ForEach(t => t.Start());
        producers.ForEach(t => t.Join());
        Assert.Equal(400, seen.Count);
        Assert.Equal(seen.Order(), seen);            // kernel order, though two threads delivered
        Assert.Equal(0, overlaps);
    }

    [Fact]
    public void Existing_interfaces_are_delivered_before_Register_returns()
    {
        var (_, watcher) = Sim.Start(Sim.Net("pre0"), Sim.Net("pre1"));
        using var __ = watcher;
        var rec = new NotificationRecorder();
        using var reg = watcher.Register(NetFilter, rec.Record, new RegistrationOptions { InlineDelivery = true, IncludeExisting = true });
        Assert.Equal(["pre0", "pre1"], rec.All.Select(n => n.Interface!.Path));
        Assert.All(rec.All, n => Assert.Equal(NotificationOrigin.Enumeration, n.Origin));
    }

    [Fact]
    public void Dispose_from_another_thread_waits_for_the_callback_in_flight_and_from_inside_it_does_not_block()
    {
        var (sim, watcher) = Sim.Start();
        using var _ = watcher;
        var entered = new ManualResetEventSlim();
        var release = new ManualResetEventSlim();
        int calls = 0;
        var reg = watcher.Register(NetFilter, n =>
        {
            Interlocked.Increment(ref calls);
            entered.Set();
            release.Wait();
        }, Inline);
        var producer = new Thread(() => sim.Add(Sim.Net("a")));
        producer.Start();
        Assert.True(entered.Wait(TestTimeouts.Expected));
        var disposer = new Thread(reg.Dispose);
        disposer.Start();
        Assert.False(disposer.Join(TestTimeouts.MustNotHappen), "Dispose returned while a callback was still running");
        release.Set();
        Assert.True(disposer.Join(TestTimeouts.Expected));
        producer.Join();
        sim.Add(Sim.Net("b"));
        Assert.Equal(1, Volatile.Read(ref calls));

        DeviceRegistration? self = null;
        int selfCalls = 0;
        self = watcher.Register(NetFilter, n =>
        {
            Interlocked.Increment(ref selfCalls);
            self!.Dispose();                          // from inside: returns at once
        }, Inline);
        sim.Add(Sim.Net("c"));
        sim.Add(Sim.Net("d"));
        Assert.Equal(1, selfCalls);
        Assert.True(self.IsDisposed);
    }

    [Fact]
    public void Disposing_the_watcher_delivers_the_Ended_notice_and_nothing_after()
    {
        var (sim, watcher) = Sim.Start();
        var rec = new NotificationRecorder();
        var reg = watcher.Register(NetFilter, rec.Record, Inline);
        sim.Add(Sim.Net("a"));
        watcher.Dispose();
        sim.Add(Sim.Net("b"));
        Assert.Equal([NotificationAction.InterfaceArrival, NotificationAction.Ended], rec.All.Select(n => n.Action));
        Assert.True(reg.IsEnded);
    }

    [Fact]
    public void Inline_and_a_dedicated_thread_cannot_be_combined()
    {
        var (_, watcher) = Sim.Start();
        using var __ = watcher;
        var ex = Assert.Throws<ArgumentException>(() => watcher.Register(NetFilter, _ => { }, new RegistrationOptions { InlineDelivery = true, DedicatedThread = true }));
        Assert.Contains("InlineDelivery or DedicatedThread", ex.Message, StringComparison.Ordinal);
    }
}
