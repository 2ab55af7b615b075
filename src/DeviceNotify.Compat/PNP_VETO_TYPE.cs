namespace DeviceNotify.Compat;

/// <summary>
/// <c>PNP_VETO_TYPE</c> (cfg.h): why a removal was vetoed, filled in by <see cref="CfgMgr32.CM_Query_And_Remove_SubTree"/>
/// and <see cref="CfgMgr32.CM_Request_Device_Eject"/>. The veto name that comes with it is described per value.
/// </summary>
public enum PNP_VETO_TYPE
{
    /// <summary>Unknown reason; no name.</summary>
    PNP_VetoTypeUnknown = 0,
    /// <summary>A legacy device; the name is a device instance path.</summary>
    PNP_VetoLegacyDevice = 1,
    /// <summary>A pending close; the name is a device instance path.</summary>
    PNP_VetoPendingClose = 2,
    /// <summary>An application vetoed; the name is the application (on Linux: the registration and its process).</summary>
    PNP_VetoWindowsApp = 3,
    /// <summary>A service vetoed; the name is the service.</summary>
    PNP_VetoWindowsService = 4,
    /// <summary>
    /// Somebody holds the device open. Windows names the device instance; DeviceNotify on Linux names the process that
    /// holds it (command, pid, and what it holds).
    /// </summary>
    PNP_VetoOutstandingOpen = 5,
    /// <summary>A device vetoed; the name is a device instance path.</summary>
    PNP_VetoDevice = 6,
    /// <summary>A driver vetoed; the name is the driver.</summary>
    PNP_VetoDriver = 7,
    /// <summary>The request is not valid for the device; the name is a device instance path.</summary>
    PNP_VetoIllegalDeviceRequest = 8,
    /// <summary>Not enough power; no name.</summary>
    PNP_VetoInsufficientPower = 9,
    /// <summary>The device cannot be disabled; the name is a device instance path.</summary>
    PNP_VetoNonDisableable = 10,
    /// <summary>A legacy driver; the name is a service.</summary>
    PNP_VetoLegacyDriver = 11,
    /// <summary>The caller lacks the privilege; the name is unspecified (on Linux: what is needed).</summary>
    PNP_VetoInsufficientRights = 12,
    /// <summary>The device was already removed (newer SDKs and mingw-w64; not in SDK 10.0.16299).</summary>
    PNP_VetoAlreadyRemoved = 13,
}
