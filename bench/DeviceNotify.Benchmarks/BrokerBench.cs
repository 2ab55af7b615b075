using System.Diagnostics;
using System.Globalization;
using System.Text;
using DeviceNotify.Broker;
using Grpc.Core;
using Grpc.Net.Client;
using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Benchmarks;

// bench/run-broker.sh runs this as root under the kernel-test lock:
//   DeviceNotify.Benchmarks broker DEVNOTIFY_DLL [REPS]
// Three measurements, each against a baseline taken in the same run:
// 1. Load: 200 subscribers to every event (4 connections) while 1000 taps are created and deleted (6000 uevents):
//    broker CPU and peak RSS, and the time until the last subscriber has the last event as a ratio to the storm's own
//    duration (the time `ip` took to create and delete the taps).
// 2. Latency: one tap every 10 ms; each arrival's time from the kernel to a registration callback, through the broker
//    (a watcher of a BrokerDeviceSource: from the broker's receipt) next to the direct path (a watcher of the kernel in
//    this same process: from its own receipt), and the extra delay of the broker path for the same event.
// 3. Dismount negotiation with 1 and 10 accepting parties in other processes (holders registered through the broker,
//    the request made by this process through the broker) next to the same parties in this process.
// Not BenchmarkDotNet: these drive the kernel and other processes.
/// <summary>The broker's figures (docs/broker.md).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class BrokerBench
{
    private const int Subscribers = 200, StormTaps = 1000, LatencyTaps = 200;

    public static int Run(string[] args)
    {
        string cli = Path.GetFullPath(args[0]);
        int reps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Broker figures ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} CPUs, kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}, {reps} repetitions, medians)");
        report.AppendLine();
        Load(cli, reps, report);
        Latency(cli, report);
        Dismount(cli, report);
        Console.Write(report.ToString());
        return 0;
    }

    /// <summary>
    /// A process of this program registered (through the broker) on a device node; it lets go of the node once
    /// registered, so both dismount rows measure the negotiation and not who still holds what. It accepts every question.
    /// </summary>
    public static int Holder(string[] args)
    {
        using var watcher = DeviceWatcher.StartNew();
        using var registration = Register(watcher, args[0]);
        Console.WriteLine("ready");
        while (Console.ReadLine() is not null)
        {
        }
        return 0;
    }

    private static DeviceRegistration Register(DeviceWatcher watcher, string node)
    {
        using var held = File.OpenHandle(node, FileMode.Open, FileAccess.Read);
        return watcher.RegisterHandle(held, n => n.Query?.Accept(), new RegistrationOptions { Name = "bench holder" });
    }

    private static void Load(string cli, int reps, StringBuilder report)
    {
        var cpu = new List<double>();
        var rss = new List<double>();
        var ratio = new List<double>();
        var storm = new List<double>();
        var perEvent = new List<double>();
        for (int rep = 0; rep < reps; rep++)
        {
            using var broker = new Broker(cli);
            string prefix = $"dnbl{rep}{Random.Shared.Next(100, 999)}x";
            byte[] marker = Encoding.UTF8.GetBytes("/net/" + prefix);
            int group = 6000 + Random.Shared.Next(1000);
            var channels = Enumerable.Range(0, 4).Select(_ => BrokerChannel.Create(broker.Socket)).ToList();
            var method = new Method<Wire.SubscribeRequest, byte[]>(MethodType.ServerStreaming, "devnotify.v1.DeviceBroker", "Subscribe",
                Marshallers.Create<Wire.SubscribeRequest>(r => Google.Protobuf.MessageExtensions.ToByteArray(r), Wire.SubscribeRequest.Parser.ParseFrom),
                Marshallers.Create<byte[]>(b => b, b => b));
            var counts = new int[Subscribers];
            var lastAt = new long[Subscribers];
            using var stop = new CancellationTokenSource();
            var calls = new List<AsyncServerStreamingCall<byte[]>>();
            for (int i = 0; i < Subscribers; i++)
            {
                int index = i;
                var call = channels[i % channels.Count].CreateCallInvoker().AsyncServerStreamingCall(method, null, new CallOptions(cancellationToken: stop.Token), new Wire.SubscribeRequest { Filter = new Wire.Filter() });
                calls.Add(call);
                if (!call.ResponseStream.MoveNext(stop.Token).GetAwaiter().GetResult())
                    throw new InvalidOperationException("subscription ended at once");
                _ = Task.Run(async () =>
                {
                    try
                    {
                        while (await call.ResponseStream.MoveNext(stop.Token))
                        {
                            if (call.ResponseStream.Current.AsSpan().IndexOf(marker) >= 0 && Interlocked.Increment(ref counts[index]) == 6 * StormTaps)
                                lastAt[index] = Stopwatch.GetTimestamp();
                        }
                    }
                    catch (RpcException) when (stop.IsCancellationRequested)
                    {
                    }
                });
            }
            Thread.Sleep(500);
            File.WriteAllText($"/proc/{broker.Pid}/clear_refs", "5");   // reset VmHWM: the peak of the storm alone
            long ticks = broker.CpuTicks();
            long start = Stopwatch.GetTimestamp();
            var batch = new StringBuilder();
            for (int i = 0; i < StormTaps; i++)
                batch.Append(CultureInfo.InvariantCulture, $"tuntap add dev {prefix}{i} mode tap\nlink set dev {prefix}{i} group {group}\n");
            NegotiationBench.Sh("sh", $"-c \"ip -batch - <<'EOF'\n{batch}EOF\n\"");
            NegotiationBench.Sh("ip", $"link del group {group}");
            double stormSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (counts.Any(c => Volatile.Read(ref c) < 6 * StormTaps) && DateTime.UtcNow < deadline)
                Thread.Sleep(20);
            if (counts.Any(c => c != 6 * StormTaps))
                throw new InvalidOperationException($"subscribers got {counts.Min()}..{counts.Max()} of {6 * StormTaps}");
            Thread.Sleep(200);
            double cpuSeconds = (broker.CpuTicks() - ticks) / 100.0;
            double last = Stopwatch.GetElapsedTime(start, lastAt.Max()).TotalSeconds;
            cpu.Add(cpuSeconds);
            rss.Add(broker.StatusKb("VmHWM") / 1024.0);
            ratio.Add(last / stormSeconds);
            storm.Add(stormSeconds);
            perEvent.Add(cpuSeconds * 1e6 / (Subscribers * 6.0 * StormTaps));
            stop.Cancel();
            foreach (var c in calls)
                c.Dispose();
            foreach (var c in channels)
                c.Dispose();
        }
        report.AppendLine(CultureInfo.InvariantCulture, $"Load: {Subscribers} subscribers to every event while {StormTaps} taps are created and deleted ({6 * StormTaps} uevents, {Subscribers * 6 * StormTaps} notifications delivered)");
        report.AppendLine();
        report.AppendLine("| storm (ip) s | last subscriber has the last event, × storm | broker CPU s | broker CPU per delivered notification µs | broker peak RSS MB |");
        report.AppendLine("|---|---|---|---|---|");
        report.AppendLine(CultureInfo.InvariantCulture, $"| {Median(storm):0.00} | {Median(ratio):0.00} | {Median(cpu):0.00} | {Median(perEvent):0.00} | {Median(rss):0} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"(each repetition: storm {string.Join(", ", storm.Select(s => s.ToString("0.00", CultureInfo.InvariantCulture)))} s; ratio {string.Join(", ", ratio.Select(s => s.ToString("0.00", CultureInfo.InvariantCulture)))}; CPU {string.Join(", ", cpu.Select(s => s.ToString("0.00", CultureInfo.InvariantCulture)))} s; peak RSS {string.Join(", ", rss.Select(s => s.ToString("0", CultureInfo.InvariantCulture)))} MB)");
        report.AppendLine();
    }

    private static void Latency(string cli, StringBuilder report)
    {
        using var broker = new Broker(cli);
        string prefix = $"dnbt{Random.Shared.Next(100, 999)}x";
        var taps = InterfaceClass.Custom("bench taps", new DeviceMatch { Subsystem = "net", SysName = prefix + "*" });
        var direct = new Dictionary<string, (double Latency, long At)>();
        var relayed = new Dictionary<string, (double Latency, long At)>();
        Action<DeviceNotification> Recorder(Dictionary<string, (double, long)> into) => n =>
        {
            long now = Stopwatch.GetTimestamp();
            if (n.Action == NotificationAction.InterfaceArrival && n.Origin == NotificationOrigin.Kernel)
            {
                lock (into)
                    into[n.Interface!.Path] = (Stopwatch.GetElapsedTime(n.Timestamp, now).TotalMilliseconds, now);
            }
        };
        using var kernel = DeviceWatcher.StartNew(new DeviceWatcherOptions { DisableBroker = true });
        using var viaBroker = DeviceWatcher.StartNew(new DeviceWatcherOptions { Source = new BrokerDeviceSource(broker.Socket) });
        using var r1 = kernel.Register(DeviceFilter.ForInterfaces(taps), Recorder(direct));
        using var r2 = viaBroker.Register(DeviceFilter.ForInterfaces(taps), Recorder(relayed));
        int group = 7000 + Random.Shared.Next(1000);
        try
        {
            for (int i = 0; i < LatencyTaps; i++)
            {
                NegotiationBench.Sh("ip", $"tuntap add dev {prefix}{i} mode tap");
                NegotiationBench.Sh("ip", $"link set dev {prefix}{i} group {group}");
                Thread.Sleep(10);
            }
            SpinWait.SpinUntil(() =>
            {
                lock (relayed)
                    return relayed.Count == LatencyTaps;
            }, TimeSpan.FromSeconds(30));
        }
        finally
        {
            NegotiationBench.Sh("ip", $"link del group {group}", check: false);
        }
        var names = direct.Keys.Intersect(relayed.Keys).ToList();
        var d = names.Select(n => direct[n].Latency).ToList();
        var b = names.Select(n => relayed[n].Latency).ToList();
        var extra = names.Select(n => Stopwatch.GetElapsedTime(direct[n].At, relayed[n].At).TotalMilliseconds).ToList();
        report.AppendLine(CultureInfo.InvariantCulture, $"Latency: {names.Count} tap arrivals, one every 10 ms; from the kernel's delivery (the receiving process's receipt) to a registration callback");
        report.AppendLine();
        report.AppendLine("| path | median ms | p90 ms | p99 ms | × direct (median) |");
        report.AppendLine("|---|---|---|---|---|");
        report.AppendLine(CultureInfo.InvariantCulture, $"| direct: kernel → this process's watcher | {Median(d):0.000} | {Percentile(d, 0.9):0.000} | {Percentile(d, 0.99):0.000} | 1.0 |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| broker: kernel → broker → gRPC → BrokerDeviceSource watcher | {Median(b):0.000} | {Percentile(b, 0.9):0.000} | {Percentile(b, 0.99):0.000} | {Median(b) / Median(d):0.0} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| same event: broker callback after the direct callback | {Median(extra):0.000} | {Percentile(extra, 0.9):0.000} | {Percentile(extra, 0.99):0.000} | |");
        report.AppendLine();
    }

    private static void Dismount(string cli, StringBuilder report)
    {
        const int Reps = 20;
        string image = Path.Combine(Path.GetTempPath(), $"devnotify-brokerbench-{Guid.NewGuid():N}.img");
        string mountPath = Directory.CreateTempSubdirectory("devnotify-brokerbench-").FullName;
        string? loop = null;
        var rows = new List<(string Name, List<double> Ms)>();
        try
        {
            using (var f = File.Create(image))
                f.SetLength(64 << 20);
            loop = NegotiationBench.Sh("losetup", $"--find --show {image}").Trim();
            NegotiationBench.Sh("mkfs.ext4", $"-q -F {loop}");
            foreach (int parties in new[] { 1, 10 })
            {
                // The same processes exist for both rows (the holder scan reads every process): the holders registered
                // through the broker, and this process with as many registrations of its own for the in-process row.
                using var broker = new Broker(cli);
                var holders = Enumerable.Range(0, parties).Select(_ => StartHolder(broker.Socket, loop)).ToList();
                try
                {
                    using var local = DeviceWatcher.StartNew(new DeviceWatcherOptions { DisableBroker = true });
                    var regs = Enumerable.Range(0, parties).Select(_ => Register(local, loop)).ToList();
                    using var requester = DeviceWatcher.StartNew(new DeviceWatcherOptions { BrokerSocketPath = broker.Socket });
                    var (inProcess, throughBroker) = Alternate(new RemovalCoordinator(local), new RemovalCoordinator(requester), loop, mountPath, Reps, parties);
                    rows.Add(($"in process, {parties} accepting part{(parties == 1 ? "y" : "ies")}", inProcess));
                    rows.Add(($"through the broker, {parties} accepting part{(parties == 1 ? "y" : "ies")} in other processes", throughBroker));
                    regs.ForEach(r => r.Dispose());
                }
                finally
                {
                    foreach (var h in holders)
                    {
                        h.StandardInput.Close();
                        if (!h.WaitForExit(5000))
                            h.Kill();
                        h.Dispose();
                    }
                }
            }
        }
        finally
        {
            NegotiationBench.Sh("umount", mountPath, check: false);
            if (loop is not null)
                NegotiationBench.Sh("losetup", $"-d {loop}", check: false);
            File.Delete(image);
            Directory.Delete(mountPath);
        }
        report.AppendLine(CultureInfo.InvariantCulture, $"Dismount negotiation: request to result, {Reps} runs after 3 warm-up runs, in process and through the broker alternately with the same processes running, every party accepting at once and holding nothing ({Directory.GetDirectories("/proc").Count(d => Path.GetFileName(d).All(char.IsAsciiDigit))} processes on the machine)");
        report.AppendLine();
        report.AppendLine("| request | median ms | p90 ms | × in process (same parties) |");
        report.AppendLine("|---|---|---|---|");
        for (int i = 0; i < rows.Count; i++)
        {
            double baseline = Median(rows[i - i % 2].Ms);
            report.AppendLine(CultureInfo.InvariantCulture, $"| {rows[i].Name} | {Median(rows[i].Ms):0.00} | {Percentile(rows[i].Ms, 0.9):0.00} | {Median(rows[i].Ms) / baseline:0.00} |");
        }
        report.AppendLine();
    }

    /// <summary>Dismounts alternately in process and through the broker, so both see the same machine.</summary>
    private static (List<double> InProcess, List<double> ThroughBroker) Alternate(RemovalCoordinator inProcess, RemovalCoordinator throughBroker,
        string loop, string mountPath, int reps, int parties)
    {
        var a = new List<double>();
        var b = new List<double>();
        for (int i = 0; i < reps + 3; i++)
        {
            double x = Once(inProcess, loop, mountPath, parties), y = Once(throughBroker, loop, mountPath, parties);
            if (i >= 3)
            {
                a.Add(x);
                b.Add(y);
            }
        }
        return (a, b);
    }

    private static double Once(RemovalCoordinator coordinator, string loop, string mountPath, int parties)
    {
        NegotiationBench.Sh("mount", $"{loop} {mountPath}");
        Thread.Sleep(20);
        var sw = Stopwatch.StartNew();
        var result = coordinator.DismountAsync(mountPath, new RemovalOptions { Deadline = TimeSpan.FromSeconds(10) }).GetAwaiter().GetResult();
        double elapsed = sw.Elapsed.TotalMilliseconds;
        if (!result.Succeeded || result.Parties.Count(p => p.WasAsked) != parties)
            throw new InvalidOperationException($"dismount: {result.Error}; asked {result.Parties.Count(p => p.WasAsked)} of {parties}");
        return elapsed;
    }

    private static Process StartHolder(string socket, string node)
    {
        var psi = new ProcessStartInfo("dotnet", $"{typeof(BrokerBench).Assembly.Location} broker-holder {node}")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        psi.Environment[BrokerEndpoint.SocketVariable] = socket;
        var p = Process.Start(psi)!;
        if (p.StandardOutput.ReadLine() != "ready")
            throw new InvalidOperationException("holder did not start");
        return p;
    }

    private static double Median(List<double> v) => NegotiationBench.Median(v);

    private static double Percentile(List<double> v, double p) => NegotiationBench.Percentile(v, p);

    /// <summary>A broker process on a socket of its own, stopped (SIGTERM) and cleaned up on dispose.</summary>
    private sealed class Broker : IDisposable
    {
        private readonly Process _process;
        private readonly string _folder = Directory.CreateTempSubdirectory("devnotify-brokerbench-").FullName;

        public Broker(string cli)
        {
            Socket = Path.Combine(_folder, "broker.sock");
            _process = Process.Start(new ProcessStartInfo("dotnet", $"{cli} daemon --socket {Socket}") { RedirectStandardError = true, UseShellExecute = false })!;
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginErrorReadLine();
            using var channel = BrokerChannel.Create(Socket);
            var client = new Wire.DeviceBroker.DeviceBrokerClient(channel);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                try
                {
                    if (File.Exists(Socket))
                    {
                        client.Hello(new Wire.HelloRequest { Client = "bench" }, deadline: DateTime.UtcNow.AddSeconds(2));
                        return;
                    }
                }
                catch (RpcException) when (DateTime.UtcNow < deadline)
                {
                }
                if (DateTime.UtcNow > deadline)
                    throw new InvalidOperationException("the broker did not start");
                Thread.Sleep(50);
            }
        }

        public string Socket { get; }

        public int Pid => _process.Id;

        public long CpuTicks()
        {
            var stat = File.ReadAllText($"/proc/{Pid}/stat");
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
        }

        public long StatusKb(string field) => long.Parse(File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            [(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);

        public void Dispose()
        {
            NegotiationBench.Sh("kill", $"-TERM {_process.Id}", check: false);
            if (!_process.WaitForExit(10000))
                _process.Kill();
            _process.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
