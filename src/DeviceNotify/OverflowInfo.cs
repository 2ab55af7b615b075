namespace DeviceNotify;

/// <summary>Details of an <see cref="NotificationAction.Overflow"/> notification.</summary>
/// <param name="Kind">Which buffer overflowed.</param>
/// <param name="DroppedNotifications">For a queue overflow, how many notifications this registration dropped; for a kernel overflow, -1 (the kernel does not say).</param>
/// <param name="TotalOverflows">How many overflows of this kind the watcher (kernel) or registration (queue) has had so far.</param>
public sealed record OverflowInfo(OverflowKind Kind, long DroppedNotifications, long TotalOverflows);
