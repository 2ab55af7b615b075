using System.Diagnostics;

namespace DeviceNotify.Diagnostics;

/// <summary>One negotiation being timed: ended once, with its result (or none, when it was abandoned).</summary>
internal sealed class NegotiationMeasurement(MeterInstruments instruments, RemovalOperation operation, long started)
{
    private int _ended;

    internal void End(RemovalResult? result)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
            instruments.RecordNegotiation(operation, result, Stopwatch.GetElapsedTime(started));
    }
}
