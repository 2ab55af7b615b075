namespace DeviceNotify;

/// <summary>What a notification reports; names follow Windows' <c>CM_NOTIFY_ACTION_*</c>.</summary>
public enum NotificationAction
{
    /// <summary>Not set.</summary>
    None = 0,
    /// <summary>An interface of a registered class appeared (<c>CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL</c>).</summary>
    InterfaceArrival,
    /// <summary>An interface went away (<c>CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL</c>).</summary>
    InterfaceRemoval,
    /// <summary>Someone asks to remove the device of a registered handle: close it, or veto.</summary>
    QueryRemove,
    /// <summary>The query-remove failed; the device stays and the handle may be reopened.</summary>
    QueryRemoveFailed,
    /// <summary>The device is being removed.</summary>
    RemovePending,
    /// <summary>The device is gone.</summary>
    RemoveComplete,
    /// <summary>A custom event (volume events with their <c>ioevent.h</c> GUIDs).</summary>
    CustomEvent,
    /// <summary>A device instance appeared (kernel <c>add</c>, or enumerated).</summary>
    InstanceEnumerated,
    /// <summary>A driver was bound to a device instance (kernel <c>bind</c>).</summary>
    InstanceStarted,
    /// <summary>A device instance went away (kernel <c>remove</c>).</summary>
    InstanceRemoved,
    /// <summary>
    /// Linux extension: another kernel event of a device instance (<c>change</c>, <c>move</c>, <c>online</c>,
    /// <c>offline</c>, <c>unbind</c>); <see cref="DeviceNotification.KernelAction"/> says which.
    /// </summary>
    InstanceChanged,
    /// <summary>
    /// Events were lost (kernel receive buffer or this registration's queue overflowed). The notifications that
    /// follow are synthesized from sysfs so the registration's view equals the system's again.
    /// </summary>
    Overflow,
    /// <summary>
    /// The last notification of a registration: its watcher was disposed, or the source failed
    /// (<see cref="DeviceNotification.End"/> says which, and why). Nothing follows it. A registration disposed by
    /// its owner gets none.
    /// </summary>
    Ended,
}
