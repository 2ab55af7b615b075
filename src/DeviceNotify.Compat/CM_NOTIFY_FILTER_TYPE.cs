namespace DeviceNotify.Compat;

/// <summary><c>CM_NOTIFY_FILTER_TYPE</c> (cfgmgr32.h): what a <see cref="CM_NOTIFY_FILTER"/> selects.</summary>
public enum CM_NOTIFY_FILTER_TYPE
{
    /// <summary>Device interfaces of a class (or of every class): arrival and removal.</summary>
    CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE = 0,
    /// <summary>The device behind an open handle: query-remove, removal, custom events.</summary>
    CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE = 1,
    /// <summary>A device instance (or every one): enumerated, started, removed.</summary>
    CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE = 2,
    /// <summary>One past the last valid type.</summary>
    CM_NOTIFY_FILTER_TYPE_MAX = 3,
}
