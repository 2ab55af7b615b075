using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Broker;

/// <summary>
/// Notifications to the wire (device.proto <c>Notification</c>), built as protobuf messages. The broker's hot path
/// writes the same bytes without building messages (DeviceNotify.Daemon's NotificationEncoder); this is the reference
/// it is tested against, and the path for rare notifications. Pure.
/// </summary>
internal static class WireNotifications
{
    internal static Wire.Notification Encode(DeviceNotification n, Wire.Device? device)
    {
        var w = new Wire.Notification
        {
            Action = (Wire.NotificationAction)n.Action,
            KernelAction = (Wire.KernelAction)n.KernelAction,
            Origin = (Wire.Origin)n.Origin,
            TimestampNs = n.Timestamp,
        };
        if (device is not null)
            w.Device = device;
        if (n.Interface is { } i)
            w.Interface = new Wire.InterfaceRef { ClassGuid = i.Class.Guid.ToString(), ClassName = i.Class.Name, Path = i.Path };
        if (n.Overflow is { } o)
            w.Overflow = new Wire.Overflow { Kind = (Wire.OverflowKind)o.Kind, Dropped = o.DroppedNotifications, Total = o.TotalOverflows };
        return w;
    }
}
