using static DeviceNotify.Interop.CfgMgr32;

namespace DeviceNotify.Windows;

// Implementation notes: CM_Get_Device_Interface_List_Size, then CM_Get_Device_Interface_List; "between the two
// calls a new device interface can be added ... retry getting the size and the list if CM_Get_Device_Interface_List
// returns CR_BUFFER_SMALL" (cfgmgr32 docs). The retry is bounded: a list that keeps growing is a failure, said so.
internal static class InterfaceEnumerator
{
    internal const int MaxAttempts = 8;

    /// <summary>The symbolic links of the present interfaces of a class.</summary>
    /// <exception cref="DeviceNotifyException">cfgmgr32 failed (the CONFIGRET is in the message and the error code).</exception>
    internal static List<string> List(INativeMethods native, Guid classGuid)
    {
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            uint result = native.GetInterfaceListSize(classGuid, out uint length);
            if (result != CR_SUCCESS)
                throw Failed("CM_Get_Device_Interface_List_Size", classGuid, result);
            var buffer = new char[Math.Max(length, 1)];
            result = native.GetInterfaceList(classGuid, buffer);
            if (result == CR_SUCCESS)
                return MultiSz.Split(buffer);
            if (result != CR_BUFFER_SMALL)
                throw Failed("CM_Get_Device_Interface_List", classGuid, result);
        }
        throw new DeviceNotifyException($"The interface list of class {classGuid} kept growing between CM_Get_Device_Interface_List_Size and CM_Get_Device_Interface_List ({MaxAttempts} attempts).", (int)CR_BUFFER_SMALL);
    }

    private static DeviceNotifyException Failed(string call, Guid classGuid, uint result)
        => new($"{call} for class {classGuid} failed with CONFIGRET 0x{result:X2}.", (int)result);
}
