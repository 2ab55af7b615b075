using System.Diagnostics;
using System.Text;
using System.Text.Json;
using DeviceNotify.Broker;
using DeviceNotify.Tests.Kernel;
using DeviceNotify.Tests.Support;
using Grpc.Core;
using Xunit.Abstractions;
using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Tests.Broker;

/// <summary>Malformed input and load (issue 7): the broker stays up, bounded, and loses nothing for anyone else.</summary>
[Collection(KernelCollection.Name)]
public class BrokerRobustnessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_load = TimeSpan.FromMinutes(3);

    [Fact]
    public void Ten_thousand_malformed_inputs_from_one_client_leave_the_broker_up_and_bounded_and_another_subscriber_loses_nothing()
    {
        using var broker = new BrokerProcess();
        string prefix = NetDevices.UniqueName();
        var names = Enumerable.Range(0, 40).Select(i => $"{prefix}f{i}").ToList();
        var source = new BrokerDeviceSource(broker.SocketPath);
        using var watcher = DeviceWatcher.StartNew(new DeviceWatcherOptions { Source = source });
        var rec = new NotificationRecorder();
        var taps = InterfaceClass.Custom("fuzz taps", new DeviceMatch { Subsystem = "net", SysName = prefix + "*" });
        using var reg = watcher.Register(DeviceFilter.ForInterfaces(taps), rec.Record);
        long rssBefore = broker.StatusKb("VmRSS");

        using var fuzzer = Process.Start(new ProcessStartInfo("setpriv",
            $"--reuid=65534 --regid=65534 --clear-groups /usr/bin/python3 {Path.Combine(AppContext.BaseDirectory, "TestData", "python", "fuzz.py")} {broker.SocketPath} 10000 7")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var report = fuzzer.StandardOutput.ReadToEndAsync();
        var errors = fuzzer.StandardError.ReadToEndAsync();
        try
        {
            // Taps come and go while the fuzzer runs.
            foreach (var name in names)
            {
                NetDevices.CreateTap(name);
                NetDevices.Delete(name);
                if (fuzzer.HasExited)
                    break;
            }
            Assert.True(fuzzer.WaitForExit(TimeSpan.FromMinutes(2)), "the fuzzer did not finish in 2 minutes");
        }
        finally
        {
            if (!fuzzer.HasExited)
                fuzzer.Kill();
            foreach (var name in names)
                NetDevices.Delete(name);
        }
        Assert.True(fuzzer.ExitCode == 0, errors.Result);
        var stats = JsonDocument.Parse(report.Result).RootElement;
        output.WriteLine(report.Result);
        Assert.True(stats.GetProperty("inputs").GetInt32() >= 10_000);
        Assert.True(stats.GetProperty("call RESOURCE_EXHAUSTED").GetInt32() > 0);    // the oversized ones
        Assert.True(stats.GetProperty("call INVALID_ARGUMENT").GetInt32() > 1000);   // garbage protobuf, named as such

        Assert.True(broker.IsRunning);
        Assert.True(rec.WaitUntil(_ => names.All(n => rec.All.Any(x => x.Action == NotificationAction.InterfaceRemoval && x.Interface?.Path == n)), TestTimeouts.Expected));
        Assert.Empty(rec.Violations);
        Assert.All(names, n => Assert.Equal(1, rec.ArrivalCount(n)));
        Assert.DoesNotContain(rec.All, n => n.Action == NotificationAction.Overflow);
        Assert.Equal(1, source.Subscriptions);
        long peak = broker.StatusKb("VmHWM"), after = broker.StatusKb("VmRSS");
        output.WriteLine($"broker RSS before {rssBefore} kB, after {after} kB, peak {peak} kB");
        // Measured: about 60 MB at start, 90-106 MB after 10 000 to 80 000 inputs (the heap grows to its working size, then stays).
        Assert.True(peak < rssBefore + 150_000, $"peak RSS {peak} kB, {rssBefore} kB before");
        using var channel = broker.Channel();
        Assert.Equal(1u, broker.Client(channel).Hello(new Wire.HelloRequest()).ProtocolVersion);
    }

    [Fact]
    public async Task Two_hundred_subscribers_during_a_storm_of_1000_taps_each_receive_every_event()
    {
        using var broker = new BrokerProcess();
        string prefix = NetDevices.UniqueName() + "s";
        byte[] marker = Encoding.UTF8.GetBytes("/net/" + prefix);
        int group = 5000 + Random.Shared.Next(1000);
        // The truth: the same events read from the kernel directly, in this process.
        using var direct = DeviceWatcher.StartNew(new DeviceWatcherOptions { DisableBroker = true });
        int directCount = 0;
        using var directReg = direct.Register(DeviceFilter.AllDevices, n =>
        {
            if (n.Device!.DevPath.Contains("/net/" + prefix, StringComparison.Ordinal))
                Interlocked.Increment(ref directCount);
        });

        // 200 subscribers to every event, on four connections, counting the storm's events without parsing them.
        const int Subscribers = 200;
        var channels = Enumerable.Range(0, 4).Select(_ => broker.Channel()).ToList();
        var method = new Method<Wire.SubscribeRequest, byte[]>(MethodType.ServerStreaming, "devnotify.v1.DeviceBroker", "Subscribe",
            Marshallers.Create<Wire.SubscribeRequest>(r => Google.Protobuf.MessageExtensions.ToByteArray(r), Wire.SubscribeRequest.Parser.ParseFrom),
            Marshallers.Create<byte[]>(b => b, b => b));
        var counts = new int[Subscribers];
        var first = new List<Wire.SubscribeResponse>();
        using var stop = new CancellationTokenSource();
        var calls = new List<AsyncServerStreamingCall<byte[]>>();
        var readers = new List<Task>();
        try
        {
            for (int i = 0; i < Subscribers; i++)
            {
                int index = i;
                var call = channels[i % channels.Count].CreateCallInvoker().AsyncServerStreamingCall(method, null, new CallOptions(cancellationToken: stop.Token),
                    new Wire.SubscribeRequest { Filter = new Wire.Filter() });
                calls.Add(call);
                Assert.True(await call.ResponseStream.MoveNext(stop.Token));   // EnumerationComplete: subscribed
                readers.Add(Task.Run(async () =>
                {
                    while (await call.ResponseStream.MoveNext(stop.Token))
                    {
                        var bytes = call.ResponseStream.Current;
                        if (bytes.AsSpan().IndexOf(marker) < 0)
                            continue;
                        Interlocked.Increment(ref counts[index]);
                        if (index == 0)
                        {
                            lock (first)
                                first.Add(Wire.SubscribeResponse.Parser.ParseFrom(bytes));
                        }
                    }
                }));
            }
            var cpuBefore = broker.CpuTicks();
            var sw = Stopwatch.StartNew();
            NetDevices.CreateTapStorm(prefix, 1000, group);
            NetDevices.DeleteGroup(group);
            var stormSeconds = sw.Elapsed.TotalSeconds;

            bool done = SpinWait.SpinUntil(() => Volatile.Read(ref directCount) >= 6000 && counts.All(c => Volatile.Read(ref c) >= Volatile.Read(ref directCount)), s_load);
            output.WriteLine($"storm {stormSeconds:0.00} s; last subscriber done {sw.Elapsed.TotalSeconds:0.00} s; broker CPU {(broker.CpuTicks() - cpuBefore) / 100.0:0.00} s; " +
                $"peak RSS {broker.StatusKb("VmHWM")} kB; counts {counts.Min()}..{counts.Max()} of {directCount}");
            Assert.True(done, $"direct {directCount}, subscribers {counts.Min()}..{counts.Max()}\n{broker.Log}");
            Assert.Equal(6000, directCount);
            Assert.All(counts, c => Assert.Equal(6000, c));
            Assert.DoesNotContain("Cut off", broker.Log, StringComparison.Ordinal);
            lock (first)
            {
                Assert.Equal(3000, first.Count(r => r.Notification.Action == Wire.NotificationAction.InstanceEnumerated));
                Assert.Equal(3000, first.Count(r => r.Notification.Action == Wire.NotificationAction.InstanceRemoved));
                Assert.All(first, r => Assert.Equal(Wire.Origin.Kernel, r.Notification.Origin));
                var seq = first.Select(r => r.Notification.Device.Seqnum).ToList();
                Assert.Equal(seq.Order(), seq);   // kernel order
            }
        }
        finally
        {
            NetDevices.DeleteGroup(group);
            stop.Cancel();
            foreach (var call in calls)
                call.Dispose();
            foreach (var c in channels)
                c.Dispose();
        }
    }
}
