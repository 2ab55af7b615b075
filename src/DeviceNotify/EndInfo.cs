namespace DeviceNotify;

/// <summary>Details of an <see cref="NotificationAction.Ended"/> notification.</summary>
/// <param name="Reason">Why the registration ended.</param>
/// <param name="Error">For <see cref="EndReason.SourceFailed"/>: what failed; otherwise null.</param>
public sealed record EndInfo(EndReason Reason, Exception? Error);
