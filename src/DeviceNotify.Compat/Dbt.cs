namespace DeviceNotify.Compat;

/// <summary>
/// dbt.h and the <c>WM_DEVICECHANGE</c> names of winuser.h: the message, its <c>wParam</c> event types
/// (<c>DBT_*</c>), the <c>DEV_BROADCAST_*</c> device types (<c>DBT_DEVTYP_*</c>), and the veto return value.
/// </summary>
public static class Dbt
{
    /// <summary>The message a window procedure receives (<c>wParam</c> = a <c>DBT_*</c> event, <c>lParam</c> = a <c>DEV_BROADCAST_HDR*</c> or 0).</summary>
    public const uint WM_DEVICECHANGE = 0x0219;

    /// <summary>Return from a window procedure to deny a query (<c>DBT_DEVICEQUERYREMOVE</c>); return TRUE (1) to grant it.</summary>
    public const int BROADCAST_QUERY_DENY = 0x424D5144;

    /// <summary>Windows 95 "APPY" begin.</summary>
    public const uint DBT_APPYBEGIN = 0x0000;
    /// <summary>Windows 95 "APPY" end.</summary>
    public const uint DBT_APPYEND = 0x0001;
    /// <summary>A device was added or removed (no lParam).</summary>
    public const uint DBT_DEVNODES_CHANGED = 0x0007;
    /// <summary>Permission to change the configuration is asked.</summary>
    public const uint DBT_QUERYCHANGECONFIG = 0x0017;
    /// <summary>The configuration changed.</summary>
    public const uint DBT_CONFIGCHANGED = 0x0018;
    /// <summary>A configuration change was cancelled.</summary>
    public const uint DBT_CONFIGCHANGECANCELED = 0x0019;
    /// <summary>The monitor changed.</summary>
    public const uint DBT_MONITORCHANGE = 0x001B;
    /// <summary>The shell finished logging on.</summary>
    public const uint DBT_SHELLLOGGEDON = 0x0020;
    /// <summary>Config manager API.</summary>
    public const uint DBT_CONFIGMGAPI32 = 0x0022;
    /// <summary>VxD initialisation complete.</summary>
    public const uint DBT_VXDINITCOMPLETE = 0x0023;
    /// <summary>Volume lock: query lock.</summary>
    public const uint DBT_VOLLOCKQUERYLOCK = 0x8041;
    /// <summary>Volume lock: lock taken.</summary>
    public const uint DBT_VOLLOCKLOCKTAKEN = 0x8042;
    /// <summary>Volume lock: lock failed.</summary>
    public const uint DBT_VOLLOCKLOCKFAILED = 0x8043;
    /// <summary>Volume lock: query unlock.</summary>
    public const uint DBT_VOLLOCKQUERYUNLOCK = 0x8044;
    /// <summary>Volume lock: lock released.</summary>
    public const uint DBT_VOLLOCKLOCKRELEASED = 0x8045;
    /// <summary>Volume lock: unlock failed.</summary>
    public const uint DBT_VOLLOCKUNLOCKFAILED = 0x8046;
    /// <summary>No disk space.</summary>
    public const uint DBT_NO_DISK_SPACE = 0x0047;
    /// <summary>Low disk space.</summary>
    public const uint DBT_LOW_DISK_SPACE = 0x0048;
    /// <summary>Private config manager message.</summary>
    public const uint DBT_CONFIGMGPRIVATE = 0x7FFF;
    /// <summary>A device or interface arrived (lParam: <see cref="DEV_BROADCAST_DEVICEINTERFACE"/> for interface registrations).</summary>
    public const uint DBT_DEVICEARRIVAL = 0x8000;
    /// <summary>Permission to remove the device is asked (lParam: <see cref="DEV_BROADCAST_HANDLE"/>); return BROADCAST_QUERY_DENY (window) or an error (service) to veto.</summary>
    public const uint DBT_DEVICEQUERYREMOVE = 0x8001;
    /// <summary>The query-remove was cancelled; the device stays.</summary>
    public const uint DBT_DEVICEQUERYREMOVEFAILED = 0x8002;
    /// <summary>The device is about to be removed.</summary>
    public const uint DBT_DEVICEREMOVEPENDING = 0x8003;
    /// <summary>A device or interface is gone.</summary>
    public const uint DBT_DEVICEREMOVECOMPLETE = 0x8004;
    /// <summary>A device-specific event.</summary>
    public const uint DBT_DEVICETYPESPECIFIC = 0x8005;
    /// <summary>A custom event (lParam: <see cref="DEV_BROADCAST_HANDLE"/> with <c>dbch_eventguid</c>, one of <see cref="IoEvent"/>).</summary>
    public const uint DBT_CUSTOMEVENT = 0x8006;
    /// <summary>Power management API.</summary>
    public const uint DBT_VPOWERDAPI = 0x8100;
    /// <summary>User-defined event.</summary>
    public const uint DBT_USERDEFINED = 0xFFFF;

    /// <summary>OEM- or IHV-defined device type.</summary>
    public const uint DBT_DEVTYP_OEM = 0x00000000;
    /// <summary>Devnode number (Windows 95).</summary>
    public const uint DBT_DEVTYP_DEVNODE = 0x00000001;
    /// <summary>Logical volume (<see cref="DEV_BROADCAST_VOLUME"/>).</summary>
    public const uint DBT_DEVTYP_VOLUME = 0x00000002;
    /// <summary>Serial or parallel port.</summary>
    public const uint DBT_DEVTYP_PORT = 0x00000003;
    /// <summary>Network resource.</summary>
    public const uint DBT_DEVTYP_NET = 0x00000004;
    /// <summary>Device interface class (<see cref="DEV_BROADCAST_DEVICEINTERFACE"/>).</summary>
    public const uint DBT_DEVTYP_DEVICEINTERFACE = 0x00000005;
    /// <summary>File system handle (<see cref="DEV_BROADCAST_HANDLE"/>).</summary>
    public const uint DBT_DEVTYP_HANDLE = 0x00000006;

    /// <summary><see cref="DEV_BROADCAST_VOLUME.dbcv_flags"/>: the change affects the media in the drive.</summary>
    public const ushort DBTF_MEDIA = 0x0001;
    /// <summary><see cref="DEV_BROADCAST_VOLUME.dbcv_flags"/>: a network volume.</summary>
    public const ushort DBTF_NET = 0x0002;

    /// <summary><c>dbcn_flags</c> of a network resource: a network resource.</summary>
    public const ushort DBTF_RESOURCE = 0x00000001;
    /// <summary><c>dbcn_flags</c> of a network resource: a new transport coming or going.</summary>
    public const ushort DBTF_XPORT = 0x00000002;
    /// <summary><c>dbcn_flags</c> of a network resource: a slow network connection.</summary>
    public const ushort DBTF_SLOWNET = 0x00000004;
}
