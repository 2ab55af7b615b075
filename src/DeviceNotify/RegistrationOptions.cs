namespace DeviceNotify;

/// <summary>How a registration behaves.</summary>
public sealed class RegistrationOptions
{
    /// <summary>Default queue capacity: far above any burst the kernel can produce between two dispatches.</summary>
    public const int DefaultQueueCapacity = 1 << 16;

    /// <summary>
    /// Deliver an arrival for every interface (or device) present now, before any live event, with no
    /// duplicate and no gap (the race the Windows documentation warns about does not happen here).
    /// </summary>
    public bool IncludeExisting { get; init; }

    /// <summary>
    /// How many notifications may wait for this registration's consumer. When full, the registration stops
    /// queueing, and once its consumer has caught up it gets an <see cref="NotificationAction.Overflow"/>
    /// notice followed by synthesized events that bring its view back to the system's.
    /// </summary>
    public int QueueCapacity { get; init; } = DefaultQueueCapacity;

    /// <summary>
    /// Called (on the delivery thread, after the last queued notification was handled) whenever the queue runs
    /// empty: the moment to flush buffered output. Optional.
    /// </summary>
    public Action? QueueDrained { get; init; }

    /// <summary>
    /// Deliver on a thread of this registration's own instead of the thread pool. Costs a thread; saves the pool's
    /// scheduling work per wake-up, which matters for one busy registration (a monitor printing every event).
    /// </summary>
    public bool DedicatedThread { get; init; }

    /// <summary>
    /// Deliver on the thread that routes the event — for the kernel source, its reader thread — right after routing
    /// (never under a lock), instead of handing each notification to another thread. Saves a thread wake-up per
    /// batch, which is most of the cost of a busy registration, and the latency of that wake-up. For trusted, fast
    /// handlers only (a formatter writing to a buffer): while the callback runs, no event is read from the kernel,
    /// so a slow one risks kernel overflows (recovered by resynchronisation, but lost as live events). Existing
    /// devices (<see cref="IncludeExisting"/>) are delivered on the registering thread before Register returns;
    /// coordinator questions on the requester's thread. Order, one-at-a-time and the Dispose rules are the same as
    /// for other registrations. Callbacks only (ignored by async streams); not together with <see cref="DedicatedThread"/>.
    /// </summary>
    public bool InlineDelivery { get; init; }

    /// <summary>A name for logs and error reports. Optional.</summary>
    public string? Name { get; init; }

    internal static RegistrationOptions Default { get; } = new();
}
