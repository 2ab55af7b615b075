namespace DeviceNotify;

/// <summary>What a <see cref="DeviceFilter"/> selects.</summary>
public enum DeviceFilterKind
{
    /// <summary>Not set.</summary>
    None = 0,
    /// <summary>Device interfaces of one or more classes (<c>CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE</c>): arrival and removal, paired.</summary>
    Interfaces,
    /// <summary>Device instances (<c>CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE</c>): every kernel event of the matching devices, as the kernel sends it.</summary>
    Devices,
    /// <summary>
    /// One open handle (<c>CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE</c> / <c>DBT_DEVTYP_HANDLE</c>): removal of its device
    /// (or an ancestor), and the volume custom events.
    /// </summary>
    Handle,
}
