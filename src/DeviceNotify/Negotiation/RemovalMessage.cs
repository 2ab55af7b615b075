namespace DeviceNotify;

/// <summary>What the removal coordinator says to a <see cref="RemovalParty"/>: a question, or a notice.</summary>
public sealed record RemovalMessage
{
    /// <summary>The request this belongs to.</summary>
    public required RemovalOperation Operation { get; init; }

    /// <summary>
    /// What is said: <see cref="NotificationAction.QueryRemove"/>, <see cref="NotificationAction.QueryRemoveFailed"/>,
    /// <see cref="NotificationAction.RemovePending"/>, or <see cref="NotificationAction.CustomEvent"/> with
    /// <see cref="EventGuid"/> (VolumeDismount, VolumeDismountFailed, VolumeLock, VolumeLockFailed, VolumeUnlock).
    /// </summary>
    public required NotificationAction Action { get; init; }

    /// <summary>For a custom event: which one (<see cref="VolumeEvents"/>).</summary>
    public Guid? EventGuid { get; init; }

    /// <summary>The device the party is bound to (for an eject: the disk or one of its partitions).</summary>
    public required Device Device { get; init; }

    /// <summary>For a dismount: the mount concerned.</summary>
    public MountPoint? MountPoint { get; init; }

    /// <summary>For a question: when silence becomes a veto; null for a notice.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>One line: the action or event, the device.</summary>
    public override string ToString()
        => $"{(EventGuid is { } g ? VolumeEvents.NameOf(g) : Action.ToString())} {Device}{(Deadline is null ? "" : " (question)")}";
}
