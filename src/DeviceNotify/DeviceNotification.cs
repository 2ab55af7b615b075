using System.Diagnostics;

namespace DeviceNotify;

/// <summary>One notification delivered to a registration.</summary>
public sealed class DeviceNotification
{
    internal DeviceNotification(NotificationAction action, Device? device, DeviceInterface? deviceInterface,
        DeviceAction kernelAction, NotificationOrigin origin, long timestamp, OverflowInfo? overflow = null, CustomEventData? customEvent = null,
        RemovalQuery? query = null, EndInfo? end = null)
    {
        End = end;
        Query = query;
        CustomEvent = customEvent;
        Action = action;
        Device = device;
        Interface = deviceInterface;
        KernelAction = kernelAction;
        Origin = origin;
        Timestamp = timestamp;
        Overflow = overflow;
    }

    /// <summary>What happened.</summary>
    public NotificationAction Action { get; }

    /// <summary>The device concerned; null only for <see cref="NotificationAction.Overflow"/> and <see cref="NotificationAction.Ended"/>.</summary>
    public Device? Device { get; }

    /// <summary>The interface concerned, for interface filters; null for device filters and overflow notices.</summary>
    public DeviceInterface? Interface { get; }

    /// <summary>The kernel action behind the notification (for synthesized ones, the action it stands for).</summary>
    public DeviceAction KernelAction { get; }

    /// <summary>The kernel uevent sequence number; 0 when synthesized.</summary>
    public ulong SequenceNumber => Origin == NotificationOrigin.Kernel ? Device?.SequenceNumber ?? 0 : 0;

    /// <summary>Where the notification came from.</summary>
    public NotificationOrigin Origin { get; }

    /// <summary>True when the notification was synthesized (enumeration or resynchronisation), not a kernel event.</summary>
    public bool IsSynthesized => Origin is NotificationOrigin.Enumeration or NotificationOrigin.Resynchronization;

    /// <summary>
    /// When the event was received, in <see cref="Stopwatch"/> ticks (on Linux: CLOCK_MONOTONIC nanoseconds),
    /// taken right after the receive call returned.
    /// </summary>
    public long Timestamp { get; }

    /// <summary>Details of an <see cref="NotificationAction.Overflow"/> notification; null otherwise.</summary>
    public OverflowInfo? Overflow { get; }

    /// <summary>
    /// For a question (QueryRemove, a requested VolumeDismount or VolumeLock): answer it. Null for plain notices.
    /// </summary>
    public RemovalQuery? Query { get; }

    /// <summary>Details of an <see cref="NotificationAction.Ended"/> notification; null otherwise.</summary>
    public EndInfo? End { get; }

    /// <summary>The event data of a <see cref="NotificationAction.CustomEvent"/>; null otherwise.</summary>
    public CustomEventData? CustomEvent { get; }

    /// <summary>A one-line description.</summary>
    public override string ToString() => End is not null ? $"{Action} {End.Reason}{(End.Error is null ? "" : ": " + End.Error.Message)}"
        : CustomEvent is not null
        ? $"{Action} {CustomEvent} {Device}"
        : Interface is not null ? $"{Action} {Interface}" : $"{Action} {KernelAction} {Device}";
}
