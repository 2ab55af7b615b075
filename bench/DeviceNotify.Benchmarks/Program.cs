using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/DeviceNotify.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

internal sealed partial class Program;
