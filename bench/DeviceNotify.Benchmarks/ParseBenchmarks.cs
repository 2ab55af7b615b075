using BenchmarkDotNet.Attributes;
using DeviceNotify.Parsing;

namespace DeviceNotify.Benchmarks;

/// <summary>Cost of turning one captured kernel datagram into a Device (time and bytes allocated per event).</summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private byte[] _tapAdd = [];
    private byte[] _loopChange = [];

    [GlobalSetup]
    public void Setup()
    {
        _tapAdd = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "tap-add.bin"));
        _loopChange = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "loop-change.bin"));
    }

    [Benchmark(Baseline = true)]
    public Device? ParseTapAdd()
    {
        UEventParser.TryParse(_tapAdd, "/sys", out var d);
        return d;
    }

    [Benchmark]
    public Device? ParseBlockChange()
    {
        UEventParser.TryParse(_loopChange, "/sys", out var d);
        return d;
    }

    /// <summary>Parse plus the fields a dispatcher and a monitor read (no property dictionary).</summary>
    [Benchmark]
    public int ParseAndReadFields()
    {
        UEventParser.TryParse(_loopChange, "/sys", out var d);
        return d!.DevPath.Length + d.Subsystem.Length + (d.DevType?.Length ?? 0) + (d.DevNode?.Length ?? 0) + (d.Major ?? 0);
    }
}
