using System.Diagnostics;
using DeviceNotify.Broker;
using DeviceNotify.Tests.Kernel;
using DeviceNotify.Tests.Support;
using Grpc.Core;
using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Tests.Broker;

/// <summary>Event streams through the broker: for processes that cannot read the kernel, with the in-process guarantees.</summary>
[Collection(KernelCollection.Name)]
public class BrokerEventTests
{
    private static bool Has(NotificationRecorder rec, NotificationAction action, string path, NotificationOrigin? origin = null)
        => rec.All.Any(n => n.Action == action && n.Interface?.Path == path && (origin is null || n.Origin == origin));

    [Fact]
    public void A_watcher_told_to_use_the_broker_gets_existing_interfaces_once_then_live_events()
    {
        using var broker = new BrokerProcess();
        string before = NetDevices.UniqueName(), after = NetDevices.UniqueName();
        NetDevices.CreateTap(before);
        try
        {
            var source = new BrokerDeviceSource(broker.SocketPath);
            using var watcher = DeviceWatcher.StartNew(new DeviceWatcherOptions { Source = source });
            var rec = new NotificationRecorder();
            using var reg = watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.Net), rec.Record, new RegistrationOptions { IncludeExisting = true });
            Assert.True(rec.WaitUntil(_ => Has(rec, NotificationAction.InterfaceArrival, before, NotificationOrigin.Enumeration), TestTimeouts.Expected));

            NetDevices.CreateTap(after);
            Assert.True(rec.WaitUntil(_ => Has(rec, NotificationAction.InterfaceArrival, after, NotificationOrigin.Kernel), TestTimeouts.Expected));
            NetDevices.Delete(after);
            Assert.True(rec.WaitUntil(_ => Has(rec, NotificationAction.InterfaceRemoval, after, NotificationOrigin.Kernel), TestTimeouts.Expected));

            Assert.Empty(rec.Violations);
            Assert.Equal(1, rec.ArrivalCount(before));
            Assert.Equal(broker.Pid, source.BrokerProcessId);
            Assert.Equal(1, source.Subscriptions);
            Assert.True(watcher.GetStatistics().EventsReceived > 0);
        }
        finally
        {
            NetDevices.Delete(before);
            NetDevices.Delete(after);
        }
    }

    [Fact]
    public void A_process_in_a_user_namespace_of_its_own_gets_its_events_from_the_broker_by_itself()
    {
        using var broker = new BrokerProcess();
        string tap = NetDevices.UniqueName();
        var monitor = new ProcessOutput(Process.Start(new ProcessStartInfo("unshare",
            $"--user env HOME=/tmp {broker.Environment} dotnet {CliProcess.Dll} monitor --subsystem net --include-existing --json")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!);
        try
        {
            Assert.True(monitor.WaitFor(_ => true), monitor.ToString());
            NetDevices.CreateTap(tap);
            Assert.True(monitor.WaitFor(l => l.Contains($"\"path\":\"{tap}\"", StringComparison.Ordinal)), monitor.ToString());
        }
        finally
        {
            monitor.Interrupt();
            monitor.Process.Dispose();
            NetDevices.Delete(tap);
        }
        Assert.Contains("user namespace of its own", monitor.Errors, StringComparison.Ordinal);
        Assert.Contains("\"rejected\":0", monitor.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void After_the_broker_is_killed_mid_stream_and_restarted_a_relayed_watcher_ends_with_the_right_view_and_no_duplicate()
    {
        using var broker = new BrokerProcess();
        string prefix = NetDevices.UniqueName();
        var kept = Enumerable.Range(0, 3).Select(i => $"{prefix}k{i}").ToList();
        var removed = Enumerable.Range(0, 3).Select(i => $"{prefix}r{i}").ToList();
        var added = Enumerable.Range(0, 2).Select(i => $"{prefix}a{i}").ToList();
        string live = $"{prefix}l";
        try
        {
            foreach (var name in kept.Concat(removed))
                NetDevices.CreateTap(name);
            var source = new BrokerDeviceSource(broker.SocketPath);
            using var watcher = DeviceWatcher.StartNew(new DeviceWatcherOptions { Source = source });
            var rec = new NotificationRecorder();
            var taps = InterfaceClass.Custom("test taps", new DeviceMatch { Subsystem = "net", SysName = prefix + "*" });
            using var reg = watcher.Register(DeviceFilter.ForInterfaces(taps), rec.Record, new RegistrationOptions { IncludeExisting = true });
            Assert.True(rec.WaitUntil(_ => rec.ViewPaths.Count == 6, TestTimeouts.Expected));

            broker.Kill();
            foreach (var name in removed)
                NetDevices.Delete(name);
            foreach (var name in added)
                NetDevices.CreateTap(name);
            broker.Start();

            var expected = new SortedSet<string>(kept.Concat(added), StringComparer.Ordinal);
            Assert.True(rec.WaitUntil(_ => rec.ViewPaths.SetEquals(expected), TestTimeouts.Expected), string.Join(", ", rec.ViewPaths));
            NetDevices.CreateTap(live);
            Assert.True(rec.WaitUntil(_ => Has(rec, NotificationAction.InterfaceArrival, live, NotificationOrigin.Kernel), TestTimeouts.Expected));

            Assert.Empty(rec.Violations);
            foreach (var name in kept.Concat(added).Append(live))
                Assert.Equal(1, rec.ArrivalCount(name));
            foreach (var name in removed)
                Assert.True(Has(rec, NotificationAction.InterfaceRemoval, name, NotificationOrigin.Resynchronization));
            foreach (var name in added)
                Assert.True(Has(rec, NotificationAction.InterfaceArrival, name, NotificationOrigin.Resynchronization));
            Assert.Contains(rec.All, n => n.Action == NotificationAction.Overflow);
            Assert.True(source.Subscriptions >= 2);
        }
        finally
        {
            foreach (var name in kept.Concat(removed).Concat(added).Append(live))
                NetDevices.Delete(name);
        }
    }

    [Fact]
    public async Task A_subscriber_that_stops_reading_is_cut_off_and_told_why_when_it_reads_again_and_nobody_else_waits()
    {
        using var broker = new BrokerProcess();
        using var channel = broker.Channel();
        var client = broker.Client(channel);
        var filter = WireFilters.Encode(DeviceFilter.ForInterfaces(InterfaceClass.Net));
        using var stalled = client.Subscribe(new Wire.SubscribeRequest { Filter = filter, QueueCapacity = 64 });
        using var healthy = client.Subscribe(new Wire.SubscribeRequest { Filter = filter });
        // Both are registered once their EnumerationComplete arrives (at once: no include_existing).
        Assert.True(await stalled.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(Wire.SubscribeResponse.KindOneofCase.EnumerationComplete, stalled.ResponseStream.Current.KindCase);
        Assert.True(await healthy.ResponseStream.MoveNext(CancellationToken.None));
        var healthySeen = new List<string>();
        var healthyReader = Task.Run(async () =>
        {
            await foreach (var r in healthy.ResponseStream.ReadAllAsync())
            {
                if (r.Notification?.Action is Wire.NotificationAction.InterfaceArrival or Wire.NotificationAction.InterfaceRemoval)
                {
                    lock (healthySeen)
                        healthySeen.Add(r.Notification.Interface.Path);
                }
            }
        });
        string prefix = NetDevices.UniqueName();
        // 1000 notifications of about 500 bytes: more than what waits beyond the queue of 64 (the client's HTTP/2 stream
        // window, 64 KiB, and Kestrel's response buffer, 64 KiB).
        const int Taps = 500;
        int group = 4000 + Random.Shared.Next(1000);
        try
        {
            NetDevices.CreateTapStorm(prefix + "x", Taps, group);
            NetDevices.DeleteGroup(group);
            Assert.True(SpinWait.SpinUntil(() =>
            {
                lock (healthySeen)
                    return healthySeen.Count(p => p.StartsWith(prefix, StringComparison.Ordinal)) == 2 * Taps;
            }, TestTimeouts.Expected), $"the other subscriber got {healthySeen.Count} arrivals and removals, not {2 * Taps}\n{broker.Log}");

            // Now read the stalled one: what was queued before its queue filled, then why it was cut off.
            var received = new List<Wire.SubscribeResponse>();
            var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                using var bound = new CancellationTokenSource(TestTimeouts.Expected);
                await foreach (var r in stalled.ResponseStream.ReadAllAsync(bound.Token))
                    received.Add(r);
            });
            Assert.True(ex.StatusCode == StatusCode.ResourceExhausted, $"{ex.Status} after {received.Count} messages\n{broker.Log}");
            var cut = received[^1];
            Assert.Equal(Wire.SubscribeResponse.KindOneofCase.CutOff, cut.KindCase);
            Assert.Contains("queue of 64 notifications filled", cut.CutOff.Reason, StringComparison.Ordinal);
            var got = received.Where(r => r.Notification is not null).Select(r => r.Notification).ToList();
            Assert.InRange(got.Count, 64, 2 * Taps - 1);
            // What it got is a prefix of the storm, in kernel order: the first arrivals, none twice, nothing after a gap.
            var expectedOrder = Enumerable.Range(0, got.Count).Select(i => $"{prefix}x{i}").ToList();
            Assert.Equal(expectedOrder, got.Select(n => n.Interface.Path).ToList());
            Assert.All(got, n => Assert.Equal(Wire.NotificationAction.InterfaceArrival, n.Action));
            Assert.True(broker.Log.Contains("Cut off subscriber", StringComparison.Ordinal));
            Assert.Equal((uint)1, client.Hello(new Wire.HelloRequest()).ProtocolVersion);
        }
        finally
        {
            NetDevices.DeleteGroup(group);
        }
    }
}
