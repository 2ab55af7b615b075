namespace DeviceNotify.Tests.Kernel;

/// <summary>
/// Kernel tests change the machine's device set; they run one at a time (some compare against the whole of
/// /sys/class/net). They need root and never skip: under CI=true a missing privilege fails them loudly.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelCollection : ICollectionFixture<KernelFixture>
{
    public const string Name = "Kernel";
}

/// <summary>Checks the preconditions once and sweeps leftovers of earlier, interrupted runs.</summary>
public sealed class KernelFixture : IDisposable
{
    public KernelFixture()
    {
        if (Environment.UserName != "root" && Environment.GetEnvironmentVariable("USER") != "root" && !IsRoot())
            throw new InvalidOperationException("The kernel tests need root (they create tap, veth and loop devices). Run them as root; they never skip.");
        Support.NetDevices.SweepLeftovers();
    }

    public void Dispose() => Support.NetDevices.SweepLeftovers();

    private static bool IsRoot() => File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");
}
