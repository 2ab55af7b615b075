namespace DeviceNotify;

/// <summary>The custom event GUIDs of Windows' <c>ioevent.h</c>, delivered with <see cref="NotificationAction.CustomEvent"/>.</summary>
public static class VolumeEvents
{
    /// <summary><c>GUID_IO_VOLUME_MOUNT</c>: the volume was mounted (it appeared in mountinfo).</summary>
    public static readonly Guid VolumeMount = new("b5804878-1a96-11d2-8ffd-00a0c9a06d32");

    /// <summary><c>GUID_IO_VOLUME_DISMOUNT</c>: the volume is being, or was, dismounted.</summary>
    public static readonly Guid VolumeDismount = new("d16a55e8-1059-11d2-8ffd-00a0c9a06d32");

    /// <summary><c>GUID_IO_VOLUME_DISMOUNT_FAILED</c>: a requested dismount failed; handles may be reopened.</summary>
    public static readonly Guid VolumeDismountFailed = new("e3c5b178-105d-11d2-8ffd-00a0c9a06d32");

    /// <summary><c>GUID_IO_VOLUME_LOCK</c>: an exclusive lock is requested.</summary>
    public static readonly Guid VolumeLock = new("50708874-c9af-11d1-8fef-00a0c9a06d32");

    /// <summary><c>GUID_IO_VOLUME_LOCK_FAILED</c>: the lock failed.</summary>
    public static readonly Guid VolumeLockFailed = new("ae2eed10-0ba8-11d2-8ffb-00a0c9a06d32");

    /// <summary><c>GUID_IO_VOLUME_UNLOCK</c>: the lock was released.</summary>
    public static readonly Guid VolumeUnlock = new("9a8c3d68-d0cb-11d1-8fef-00a0c9a06d32");

    /// <summary><c>GUID_IO_VOLUME_CHANGE</c>: the label changed.</summary>
    public static readonly Guid VolumeChange = new("7373654a-812a-11d0-bec7-08002be2092f");

    /// <summary><c>GUID_IO_VOLUME_CHANGE_SIZE</c>: the size changed (kernel <c>RESIZE=1</c>).</summary>
    public static readonly Guid VolumeChangeSize = new("3a1625be-ad03-49f1-8ef8-6bbac182d1fd");

    /// <summary><c>GUID_IO_MEDIA_ARRIVAL</c>: media was inserted (kernel <c>DISK_MEDIA_CHANGE=1</c>, media present).</summary>
    public static readonly Guid MediaArrival = new("d07433c0-a98e-11d2-917a-00a0c9068ff3");

    /// <summary><c>GUID_IO_MEDIA_REMOVAL</c>: media was removed (kernel <c>DISK_MEDIA_CHANGE=1</c>, no media).</summary>
    public static readonly Guid MediaRemoval = new("d07433c1-a98e-11d2-917a-00a0c9068ff3");

    /// <summary><c>GUID_IO_MEDIA_EJECT_REQUEST</c>: the eject button was pressed (kernel <c>DISK_EJECT_REQUEST=1</c>).</summary>
    public static readonly Guid MediaEjectRequest = new("d07433d1-a98e-11d2-917a-00a0c9068ff3");

    /// <summary>The event's name (<c>VolumeMount</c>, ...), or its GUID when it is not one of these.</summary>
    public static string NameOf(Guid eventGuid)
    {
        foreach (var f in typeof(VolumeEvents).GetFields())
        {
            if (f.GetValue(null) is Guid g && g == eventGuid)
                return f.Name;
        }
        return eventGuid.ToString();
    }
}
