namespace DeviceNotify;

/// <summary>Where a notification came from.</summary>
public enum NotificationOrigin
{
    /// <summary>Not set.</summary>
    None = 0,
    /// <summary>A kernel uevent.</summary>
    Kernel,
    /// <summary>The initial enumeration of a registration made with "include existing".</summary>
    Enumeration,
    /// <summary>Synthesized after an overflow, from a fresh look at sysfs.</summary>
    Resynchronization,
    /// <summary>The removal coordinator (query-remove and volume negotiation).</summary>
    Coordinator,
}
