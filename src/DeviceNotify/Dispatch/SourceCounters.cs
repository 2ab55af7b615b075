namespace DeviceNotify.Dispatch;

/// <summary>What a source received and dropped; written by the reader thread, read by anyone (Interlocked).</summary>
internal sealed class SourceCounters
{
    internal long Received;
    internal long RejectedSender;
    internal long RejectedCredentials;
    internal long Truncated;
    internal long Malformed;
    internal long Overflows;
}
