using BenchmarkDotNet.Attributes;
using DeviceNotify.Linux;

namespace DeviceNotify.Benchmarks;

/// <summary>Full enumeration of this machine's devices with every property, in process.</summary>
[MemoryDiagnoser]
public class EnumerationBenchmarks
{
    [Benchmark]
    public int EnumerateAllWithProperties()
    {
        var devices = SysfsEnumerator.Enumerate("/sys");
        int n = 0;
        foreach (var d in devices)
            n += d.PropertyCount;
        return n;
    }
}
