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

    /// <summary>A name for logs and error reports. Optional.</summary>
    public string? Name { get; init; }

    internal static RegistrationOptions Default { get; } = new();
}
