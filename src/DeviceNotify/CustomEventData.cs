namespace DeviceNotify;

/// <summary>The payload of a <see cref="NotificationAction.CustomEvent"/> (the <c>DEV_BROADCAST_HANDLE</c> event data).</summary>
public sealed record CustomEventData
{
    /// <summary>Which event (<see cref="VolumeEvents"/>).</summary>
    public Guid EventGuid { get; init; }

    /// <summary>For mount and dismount: the mount point concerned.</summary>
    public MountPoint? MountPoint { get; init; }

    /// <summary>For VolumeChange: the label before; otherwise the current label when known.</summary>
    public string? OldLabel { get; init; }

    /// <summary>For VolumeChange: the label now.</summary>
    public string? NewLabel { get; init; }

    /// <summary>The event's name.</summary>
    public override string ToString() => VolumeEvents.NameOf(EventGuid) + (MountPoint is { } m ? " " + m.Path : "")
        + (EventGuid == VolumeEvents.VolumeChange ? $" '{OldLabel}' -> '{NewLabel}'" : "");
}
