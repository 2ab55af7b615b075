namespace DeviceNotify.Compat;

/// <summary><c>CM_NOTIFY_ACTION</c> (cfgmgr32.h): what a <see cref="PCM_NOTIFY_CALLBACK"/> is told.</summary>
public enum CM_NOTIFY_ACTION
{
    /// <summary>An interface of the registered class arrived (interface filters).</summary>
    CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL = 0,
    /// <summary>An interface went away (interface filters).</summary>
    CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL = 1,
    /// <summary>Someone asks to remove the device (handle filters): close the handle, or return ERROR_CANCELLED to veto.</summary>
    CM_NOTIFY_ACTION_DEVICEQUERYREMOVE = 2,
    /// <summary>The query-remove failed; the device stays (handle filters).</summary>
    CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED = 3,
    /// <summary>The device is being removed (handle filters).</summary>
    CM_NOTIFY_ACTION_DEVICEREMOVEPENDING = 4,
    /// <summary>The device is gone (handle filters).</summary>
    CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE = 5,
    /// <summary>A custom event, such as <c>GUID_IO_VOLUME_DISMOUNT</c> (handle filters).</summary>
    CM_NOTIFY_ACTION_DEVICECUSTOMEVENT = 6,
    /// <summary>A device instance appeared (instance filters).</summary>
    CM_NOTIFY_ACTION_DEVICEINSTANCEENUMERATED = 7,
    /// <summary>A device instance was started (instance filters).</summary>
    CM_NOTIFY_ACTION_DEVICEINSTANCESTARTED = 8,
    /// <summary>A device instance went away (instance filters).</summary>
    CM_NOTIFY_ACTION_DEVICEINSTANCEREMOVED = 9,
    /// <summary>One past the last action ("Do not use").</summary>
    CM_NOTIFY_ACTION_MAX = 10,
}
