namespace DeviceNotify.Cli;

// Implementation notes:
// - A long-running monitor's footprint is its live set (the device table) plus the garbage the GC lets pile up before
//   its next gen0 collection: the gen0 budget, several MiB on a machine with a large cache. In a storm each event
//   leaves ~500 bytes of garbage (the parsed record of a removal, the notification), so the high-water mark is set
//   by that budget, not by what the monitor keeps. The budget cannot be set from the app's own configuration
//   (GCgen0size is an environment-only knob), so the monitor caps it itself: after each batch, when more than
//   Budget bytes were allocated since the last collection, it collects gen0 (blocking, non-compacting; well under a
//   millisecond with a small live set). Measured in bench/results (README "Memory").
/// <summary>Keeps the young generation small in a long-running process by collecting gen0 after every <see cref="Budget"/> bytes allocated.</summary>
internal sealed class YoungGenerationCap(long budget)
{
    /// <summary>The default cap: 512 KiB (bench/results: a 3000-tap storm peaks at 29 MiB with it, 38 MiB without).</summary>
    internal const long DefaultBudget = 512 << 10;

    /// <summary>The environment variable an operator sets to trade memory for CPU: bytes, or 0 to leave it to the GC.</summary>
    internal const string Variable = "DEVNOTIFY_GEN0_CAP";

    /// <summary>The cap from <see cref="Variable"/> (null when 0: no cap), or the default; an unparsable value is an error message.</summary>
    internal static YoungGenerationCap? FromEnvironment(out string? error) => Parse(Environment.GetEnvironmentVariable(Variable), out error);

    /// <summary>See <see cref="FromEnvironment"/>; <paramref name="text"/> is the variable's value (null when unset).</summary>
    internal static YoungGenerationCap? Parse(string? text, out string? error)
    {
        error = null;
        if (text is null)
            return new YoungGenerationCap(DefaultBudget);
        if (!long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long bytes))
        {
            error = $"{Variable} must be a number of bytes (0 to leave the young generation to the GC), not '{text}'.";
            return null;
        }
        return bytes == 0 ? null : new YoungGenerationCap(bytes);
    }

    private long _collectedAt = GC.GetTotalAllocatedBytes(precise: false);

    internal long Budget => budget;

    /// <summary>Collections made so far.</summary>
    internal int Collections { get; private set; }

    /// <summary>Called between batches (never inside one): collects when the budget is spent.</summary>
    internal void Check()
    {
        long allocated = GC.GetTotalAllocatedBytes(precise: false);
        if (allocated - _collectedAt < budget)
            return;
        GC.Collect(0, GCCollectionMode.Forced, blocking: true, compacting: false);
        _collectedAt = allocated;
        Collections++;
    }
}
