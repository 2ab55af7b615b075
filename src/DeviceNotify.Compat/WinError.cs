namespace DeviceNotify.Compat;

/// <summary>The winerror.h codes the compatibility functions return or set (read with <see cref="Kernel32.GetLastError"/>).</summary>
public static class WinError
{
    /// <summary>0: success.</summary>
    public const uint ERROR_SUCCESS = 0;
    /// <summary>0: success (the HandlerEx name).</summary>
    public const uint NO_ERROR = 0;
    /// <summary>1: the request is not valid for this device.</summary>
    public const uint ERROR_INVALID_FUNCTION = 1;
    /// <summary>2: no such file.</summary>
    public const uint ERROR_FILE_NOT_FOUND = 2;
    /// <summary>3: no such path.</summary>
    public const uint ERROR_PATH_NOT_FOUND = 3;
    /// <summary>5: access denied (also: a volume lock or dismount was vetoed or refused).</summary>
    public const uint ERROR_ACCESS_DENIED = 5;
    /// <summary>6: the handle is not valid.</summary>
    public const uint ERROR_INVALID_HANDLE = 6;
    /// <summary>13: the data is not valid (a bad notification filter).</summary>
    public const uint ERROR_INVALID_DATA = 13;
    /// <summary>31: a device attached to the system is not functioning (any other failure).</summary>
    public const uint ERROR_GEN_FAILURE = 31;
    /// <summary>32: another handle's sharing mode forbids this open.</summary>
    public const uint ERROR_SHARING_VIOLATION = 32;
    /// <summary>50: not supported.</summary>
    public const uint ERROR_NOT_SUPPORTED = 50;
    /// <summary>87: a parameter is not valid.</summary>
    public const uint ERROR_INVALID_PARAMETER = 87;
    /// <summary>120: not implemented (a HandlerEx returns it for controls it does not handle).</summary>
    public const uint ERROR_CALL_NOT_IMPLEMENTED = 120;
    /// <summary>158: the volume is not locked.</summary>
    public const uint ERROR_NOT_LOCKED = 158;
    /// <summary>1060: the service does not exist.</summary>
    public const uint ERROR_SERVICE_DOES_NOT_EXIST = 1060;
    /// <summary>1400: the window handle is not valid.</summary>
    public const uint ERROR_INVALID_WINDOW_HANDLE = 1400;
    /// <summary>1223: the operation was cancelled; a CM_NOTIFY callback returns it to veto a query-remove.</summary>
    public const uint ERROR_CANCELLED = 1223;
}
