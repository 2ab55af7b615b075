namespace DeviceNotify.Compat;

/// <summary>
/// The custom event GUIDs of ioevent.h, delivered with <see cref="Dbt.DBT_CUSTOMEVENT"/> in
/// <see cref="DEV_BROADCAST_HANDLE.dbch_eventguid"/> and with <c>CM_NOTIFY_ACTION_DEVICECUSTOMEVENT</c> in
/// <c>u.DeviceHandle.EventGuid</c>. DeviceNotify on Linux sends the volume events (mount, dismount, lock, unlock,
/// their failures, label and size changes) and the media ones; the others are here so ported code compiles.
/// </summary>
public static class IoEvent
{
    /// <summary><c>GUID_IO_VOLUME_CHANGE</c>: label changed; no extra data.</summary>
    public static readonly Guid GUID_IO_VOLUME_CHANGE = new("7373654a-812a-11d0-bec7-08002be2092f");

    /// <summary><c>GUID_IO_VOLUME_DISMOUNT</c>: dismount attempt; not necessarily preceded by LOCK.</summary>
    public static readonly Guid GUID_IO_VOLUME_DISMOUNT = new("d16a55e8-1059-11d2-8ffd-00a0c9a06d32");

    /// <summary><c>GUID_IO_VOLUME_DISMOUNT_FAILED</c>: dismount failed.</summary>
    public static readonly Guid GUID_IO_VOLUME_DISMOUNT_FAILED = new("e3c5b178-105d-11d2-8ffd-00a0c9a06d32");

    /// <summary><c>GUID_IO_VOLUME_MOUNT</c>: volume mounted (DEVICE_EVENT_MOUNT struct defined).</summary>
    public static readonly Guid GUID_IO_VOLUME_MOUNT = new("b5804878-1a96-11d2-8ffd-00a0c9a06d32");

    /// <summary><c>GUID_IO_VOLUME_LOCK</c>: lock attempt.</summary>
    public static readonly Guid GUID_IO_VOLUME_LOCK = new("50708874-c9af-11d1-8fef-00a0c9a06d32");

    /// <summary><c>GUID_IO_VOLUME_LOCK_FAILED</c>: lock failed.</summary>
    public static readonly Guid GUID_IO_VOLUME_LOCK_FAILED = new("ae2eed10-0ba8-11d2-8ffb-00a0c9a06d32");

    /// <summary><c>GUID_IO_VOLUME_UNLOCK</c>: unlocked.</summary>
    public static readonly Guid GUID_IO_VOLUME_UNLOCK = new("9a8c3d68-d0cb-11d1-8fef-00a0c9a06d32");

    /// <summary><c>GUID_IO_VOLUME_NAME_CHANGE</c>: persistent names (drive letters) changed.</summary>
    public static readonly Guid GUID_IO_VOLUME_NAME_CHANGE = new("2de97f83-4c06-11d2-a532-00609713055a");

    /// <summary><c>GUID_IO_VOLUME_NEED_CHKDSK</c>: FS detected corruption.</summary>
    public static readonly Guid GUID_IO_VOLUME_NEED_CHKDSK = new("799a0960-0a0b-4e03-ad88-2fa7c6ce748a");

    /// <summary><c>GUID_IO_VOLUME_WORM_NEAR_FULL</c>: WORM media near full.</summary>
    public static readonly Guid GUID_IO_VOLUME_WORM_NEAR_FULL = new("f3bfff82-f3de-48d2-af95-457f80b763f2");

    /// <summary><c>GUID_IO_VOLUME_WEARING_OUT</c>: error rate / sparing exhausted.</summary>
    public static readonly Guid GUID_IO_VOLUME_WEARING_OUT = new("873113ca-1486-4508-82ac-c3b2e5297aaa");

    /// <summary><c>GUID_IO_VOLUME_FORCE_CLOSED</c>: volume finalised read-only.</summary>
    public static readonly Guid GUID_IO_VOLUME_FORCE_CLOSED = new("411ad84f-433e-4dc2-a5ae-4a2d1a2de654");

    /// <summary><c>GUID_IO_VOLUME_INFO_MAKE_COMPAT</c>: make-compatible available.</summary>
    public static readonly Guid GUID_IO_VOLUME_INFO_MAKE_COMPAT = new("3ab9a0d2-ef80-45cf-8cdc-cbe02a212906");

    /// <summary><c>GUID_IO_VOLUME_PREPARING_EJECT</c>: drive preparing disc for eject.</summary>
    public static readonly Guid GUID_IO_VOLUME_PREPARING_EJECT = new("c79eb16e-0dac-4e7a-a86c-b25ceeaa88f6");

    /// <summary><c>GUID_IO_VOLUME_BACKGROUND_FORMAT</c>: background format started.</summary>
    public static readonly Guid GUID_IO_VOLUME_BACKGROUND_FORMAT = new("a2e5fc86-d5cd-4038-b2e3-4445065c2377");

    /// <summary><c>GUID_IO_VOLUME_PHYSICAL_CONFIGURATION_CHANGE</c>: physical makeup/state changed.</summary>
    public static readonly Guid GUID_IO_VOLUME_PHYSICAL_CONFIGURATION_CHANGE = new("2de97f84-4c06-11d2-a532-00609713055a");

    /// <summary><c>GUID_IO_VOLUME_UNIQUE_ID_CHANGE</c>: unique ID changed.</summary>
    public static readonly Guid GUID_IO_VOLUME_UNIQUE_ID_CHANGE = new("af39da42-6622-41f5-970b-139d092fa3d9");

    /// <summary><c>GUID_IO_VOLUME_FVE_STATUS_CHANGE</c>: BitLocker status change.</summary>
    public static readonly Guid GUID_IO_VOLUME_FVE_STATUS_CHANGE = new("062998b2-ee1f-4b6a-b857-e76cbbe9a6da");

    /// <summary><c>GUID_IO_VOLUME_DEVICE_INTERFACE</c>: == GUID_DEVINTERFACE_VOLUME.</summary>
    public static readonly Guid GUID_IO_VOLUME_DEVICE_INTERFACE = new("53f5630d-b6bf-11d0-94f2-00a0c91efb8b");

    /// <summary><c>GUID_IO_VOLUME_CHANGE_SIZE</c>: FS size changed.</summary>
    public static readonly Guid GUID_IO_VOLUME_CHANGE_SIZE = new("3a1625be-ad03-49f1-8ef8-6bbac182d1fd");

    /// <summary><c>GUID_IO_MEDIA_ARRIVAL</c>: removable media added; data = DWORD.</summary>
    public static readonly Guid GUID_IO_MEDIA_ARRIVAL = new("d07433c0-a98e-11d2-917a-00a0c9068ff3");

    /// <summary><c>GUID_IO_MEDIA_REMOVAL</c>: removable media removed; data = DWORD.</summary>
    public static readonly Guid GUID_IO_MEDIA_REMOVAL = new("d07433c1-a98e-11d2-917a-00a0c9068ff3");

    /// <summary><c>GUID_IO_CDROM_EXCLUSIVE_LOCK</c>: CDROM exclusive-access lock.</summary>
    public static readonly Guid GUID_IO_CDROM_EXCLUSIVE_LOCK = new("bc56c139-7a10-47ee-a294-4c6a38f0149a");

    /// <summary><c>GUID_IO_CDROM_EXCLUSIVE_UNLOCK</c>: CDROM exclusive-access unlock.</summary>
    public static readonly Guid GUID_IO_CDROM_EXCLUSIVE_UNLOCK = new("a3b6d27d-5e35-4885-81e5-ee18c00ed779");

    /// <summary><c>GUID_IO_DEVICE_BECOMING_READY</c>: not ready yet, soon (DEVICE_EVENT_BECOMING_READY).</summary>
    public static readonly Guid GUID_IO_DEVICE_BECOMING_READY = new("d07433f0-a98e-11d2-917a-00a0c9068ff3");

    /// <summary><c>GUID_IO_DEVICE_EXTERNAL_REQUEST</c>: front-panel button (DEVICE_EVENT_EXTERNAL_REQUEST).</summary>
    public static readonly Guid GUID_IO_DEVICE_EXTERNAL_REQUEST = new("d07433d0-a98e-11d2-917a-00a0c9068ff3");

    /// <summary><c>GUID_IO_MEDIA_EJECT_REQUEST</c>: eject button pressed.</summary>
    public static readonly Guid GUID_IO_MEDIA_EJECT_REQUEST = new("d07433d1-a98e-11d2-917a-00a0c9068ff3");

    /// <summary><c>GUID_IO_DRIVE_REQUIRES_CLEANING</c>: tape drive needs cleaning.</summary>
    public static readonly Guid GUID_IO_DRIVE_REQUIRES_CLEANING = new("7207877c-90ed-44e5-a000-81428d4c79bb");

    /// <summary><c>GUID_IO_TAPE_ERASE</c>: tape erased.</summary>
    public static readonly Guid GUID_IO_TAPE_ERASE = new("852d11eb-4bb8-4507-9d9b-417cc2b1b438");

    /// <summary><c>GUID_DEVICE_EVENT_RBC</c>: RBC async notification.</summary>
    public static readonly Guid GUID_DEVICE_EVENT_RBC = new("d0744792-a98e-11d2-917a-00a0c9068ff3");

    /// <summary><c>GUID_IO_DISK_CLONE_ARRIVAL</c>: disk clone arrival.</summary>
    public static readonly Guid GUID_IO_DISK_CLONE_ARRIVAL = new("6a61885b-7c39-43dd-9b56-b8ac22a549aa");

    /// <summary><c>GUID_IO_DISK_LAYOUT_CHANGE</c>: disk layout change.</summary>
    public static readonly Guid GUID_IO_DISK_LAYOUT_CHANGE = new("11dff54c-8469-41f9-b3de-ef836487c54a");

    /// <summary><c>GUID_IO_DISK_HEALTH_NOTIFICATION</c>: disk health notification.</summary>
    public static readonly Guid GUID_IO_DISK_HEALTH_NOTIFICATION = new("0f1bd644-3916-49c5-b063-991940118fb2");

    /// <summary><c>GUID_IO_VOLUME_PREPARE_DELETE</c>: the volume is being deleted (newer ioevent.h, not in SDK 10.0.16299).</summary>
    public static readonly Guid GUID_IO_VOLUME_PREPARE_DELETE = new("ac0707fb-4a9a-4c81-9e2e-385b79a8fd28");
}
