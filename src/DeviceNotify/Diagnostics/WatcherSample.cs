namespace DeviceNotify.Diagnostics;

/// <summary>The cumulative counters of one watcher at one moment (or the sum over several).</summary>
internal readonly record struct WatcherSample(
    long Received, long RejectedSender, long RejectedCredentials, long Truncated, long Malformed, long Reconciled,
    long KernelOverflows, long QueueOverflows, long Resynchronizations, long Delivered, long Dropped, long CallbackErrors)
{
    public static WatcherSample operator +(WatcherSample a, WatcherSample b) => new(
        a.Received + b.Received, a.RejectedSender + b.RejectedSender, a.RejectedCredentials + b.RejectedCredentials,
        a.Truncated + b.Truncated, a.Malformed + b.Malformed, a.Reconciled + b.Reconciled,
        a.KernelOverflows + b.KernelOverflows, a.QueueOverflows + b.QueueOverflows, a.Resynchronizations + b.Resynchronizations,
        a.Delivered + b.Delivered, a.Dropped + b.Dropped, a.CallbackErrors + b.CallbackErrors);
}
