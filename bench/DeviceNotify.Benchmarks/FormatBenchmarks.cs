using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using DeviceNotify.Cli;
using DeviceNotify.Parsing;

namespace DeviceNotify.Benchmarks;

/// <summary>Writing one notification as `devnotify monitor` does (JSON Lines or aligned text) into a buffer.</summary>
[MemoryDiagnoser]
public class FormatBenchmarks
{
    private readonly MemoryStream _sink = new(1 << 20);
    private NotificationFormatter _json = null!;
    private NotificationFormatter _text = null!;
    private DeviceNotification _notification = null!;

    [GlobalSetup]
    public void Setup()
    {
        UEventParser.TryParse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "tap-add.bin")), "/sys", out var device);
        _notification = new DeviceNotification(NotificationAction.InstanceEnumerated, device, null, DeviceAction.Add, NotificationOrigin.Kernel, Stopwatch.GetTimestamp());
        _json = new NotificationFormatter(_sink, json: true);
        _text = new NotificationFormatter(_sink, json: false);
    }

    [Benchmark(Baseline = true)]
    public long Json()
    {
        _sink.Position = 0;
        _json.Write(_notification);
        return _sink.Position;
    }

    [Benchmark]
    public long Text()
    {
        _sink.Position = 0;
        _text.Write(_notification);
        return _sink.Position;
    }
}
