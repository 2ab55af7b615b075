using BenchmarkDotNet.Running;
using DeviceNotify.Benchmarks;

// dotnet run -c Release --project bench/DeviceNotify.Benchmarks -- --filter '*'      (in-process BenchmarkDotNet)
// sudo dotnet run -c Release --project bench/DeviceNotify.Benchmarks -- negotiation  (dismount negotiation vs umount)
if (args.Length > 0 && args[0] == "negotiation" && OperatingSystem.IsLinux())
    return NegotiationBench.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

internal sealed partial class Program;
