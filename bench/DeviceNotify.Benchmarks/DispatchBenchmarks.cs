using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using DeviceNotify.Simulation;

namespace DeviceNotify.Benchmarks;

/// <summary>
/// Dispatch of one kernel event (an add and a remove of a net interface per operation) with N registrations of
/// which exactly one matches. The N-1 others listen to other subsystems or to other exact names (both skipped by
/// the index), or to the same subsystem with a name pattern (each one must be tested: this case is linear).
/// </summary>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    private static readonly string[] OtherSubsystems = ["block", "tty", "usb", "input", "hidraw", "drm", "sound", "pci", "scsi", "mem"];
    private DeviceWatcher _watcher = null!;
    private IDeviceSourceSink _sink = null!;
    private Device[] _add = [];
    private Device[] _remove = [];
    private readonly List<DeviceRegistration> _registrations = [];

    [Params(1, 100, 10_000)]
    public int Registrations { get; set; }

    /// <summary>What the N-1 registrations that do not match listen to.</summary>
    public enum Others { OtherSubsystems, SameSubsystemExactNames, SameSubsystemPatterns }

    [Params(Others.OtherSubsystems, Others.SameSubsystemExactNames, Others.SameSubsystemPatterns)]
    public Others NonMatching { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var sim = new SimulatedDeviceSource();
        _watcher = DeviceWatcher.StartNew(new DeviceWatcherOptions { Source = sim });
        _sink = _watcher.RunningDispatcher;
        for (int i = 0; i < Registrations - 1; i++)
        {
            var match = NonMatching switch
            {
                Others.SameSubsystemExactNames => new DeviceMatch { Subsystem = "net", SysName = "nomatch" + i },
                Others.SameSubsystemPatterns => new DeviceMatch { Subsystem = "net", SysName = "nomatch" + i + "*" },
                _ => new DeviceMatch { Subsystem = OtherSubsystems[i % OtherSubsystems.Length], SysName = "x" + i + "*" },
            };
            _registrations.Add(_watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.Custom("c" + i, match)), static _ => { }));
        }
        _registrations.Add(_watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.Net), static _ => { }));
        var dev = new Device("/devices/virtual/net/bench0", "net", new Dictionary<string, string> { ["INTERFACE"] = "bench0", ["IFINDEX"] = "9" });
        _add = [dev.WithAction(DeviceAction.Add, 1)];
        _remove = [dev.WithAction(DeviceAction.Remove, 2)];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var r in _registrations)
            r.Dispose();
        _watcher.Dispose();
    }

    [Benchmark]
    public void AddThenRemove()
    {
        long ts = Stopwatch.GetTimestamp();
        _sink.OnEvents(_add, ts);
        _sink.OnEvents(_remove, ts);
    }
}
