using BenchmarkDotNet.Running;
using System.Runtime.Versioning;
using DeviceNotify.Benchmarks;

// The benchmarks measure the Linux implementation.
[assembly: SupportedOSPlatform("linux")]

// dotnet run -c Release --project bench/DeviceNotify.Benchmarks -- --filter '*'      (in-process BenchmarkDotNet)
// sudo dotnet run -c Release --project bench/DeviceNotify.Benchmarks -- negotiation  (dismount negotiation vs umount)
// sudo bench/run-broker.sh                                                          (the broker's figures, docs/broker.md)
if (args.Length > 0 && args[0] == "negotiation" && OperatingSystem.IsLinux())
    return NegotiationBench.Run(args[1..]);
if (args.Length > 1 && args[0] == "broker" && OperatingSystem.IsLinux())
    return BrokerBench.Run(args[1..]);
if (args.Length > 1 && args[0] == "broker-holder" && OperatingSystem.IsLinux())
    return BrokerBench.Holder(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(ParseBenchmarks).Assembly).Run(args);
return 0;

