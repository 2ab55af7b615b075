using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using static DeviceNotify.Interop.CfgMgr32;
using static DeviceNotify.Interop.Kernel32;

namespace DeviceNotify.Windows;

// Implementation notes:
// - Each member is one P/Invoke (plus the fixed-size buffers cfgmgr32 asks for: MAX_DEVICE_ID_LEN for instance IDs,
//   MAX_PATH for veto names). Nothing here has run on Windows (see the README); the declarations follow the SDK.
/// <summary>The real cfgmgr32/kernel32 calls.</summary>
[SupportedOSPlatform("windows")]
internal sealed unsafe class NativeMethods : INativeMethods
{
    internal static NativeMethods Instance { get; } = new();

    public uint RegisterNotification(in CM_NOTIFY_FILTER filter, nint context, nint callback, out nint notification)
    {
        nint handle = 0;
        uint result;
        fixed (CM_NOTIFY_FILTER* f = &filter)
            result = CM_Register_Notification(f, context, callback, &handle);
        notification = handle;
        return result;
    }

    public uint UnregisterNotification(nint notification) => CM_Unregister_Notification(notification);

    public uint GetInterfaceListSize(Guid classGuid, out uint length)
    {
        uint n = 0;
        uint result = CM_Get_Device_Interface_List_SizeW(&n, &classGuid, null, CM_GET_DEVICE_INTERFACE_LIST_PRESENT);
        length = n;
        return result;
    }

    public uint GetInterfaceList(Guid classGuid, Span<char> buffer)
    {
        fixed (char* b = buffer)
            return CM_Get_Device_Interface_ListW(&classGuid, null, b, (uint)buffer.Length, CM_GET_DEVICE_INTERFACE_LIST_PRESENT);
    }

    public uint GetInterfaceInstanceId(string symbolicLink, out string? instanceId)
    {
        instanceId = null;
        var key = new DEVPROPKEY { fmtid = DevPKeyInstanceIdFormat, pid = DevPKeyInstanceIdPid };
        char* buffer = stackalloc char[MAX_DEVICE_ID_LEN];
        uint size = MAX_DEVICE_ID_LEN * 2, type = 0;
        uint result;
        fixed (char* link = symbolicLink)
            result = CM_Get_Device_Interface_PropertyW(link, &key, &type, (byte*)buffer, &size, 0);
        if (result == CR_SUCCESS && type == DEVPROP_TYPE_STRING)
            instanceId = new string(buffer, 0, (int)Math.Min(size / 2, MAX_DEVICE_ID_LEN)).TrimEnd('\0');
        return result;
    }

    public uint LocateDevNode(string instanceId, out uint devInst)
    {
        uint dn = 0;
        uint result;
        fixed (char* id = instanceId)
            result = CM_Locate_DevNodeW(&dn, id, CM_LOCATE_DEVNODE_NORMAL);
        devInst = dn;
        return result;
    }

    public uint GetParent(uint devInst, out uint parent)
    {
        uint p = 0;
        uint result = CM_Get_Parent(&p, devInst, 0);
        parent = p;
        return result;
    }

    public uint GetDeviceId(uint devInst, out string? instanceId)
    {
        char* buffer = stackalloc char[MAX_DEVICE_ID_LEN];
        uint result = CM_Get_Device_IDW(devInst, buffer, MAX_DEVICE_ID_LEN, 0);
        instanceId = result == CR_SUCCESS ? new string(buffer) : null;
        return result;
    }

    public uint GetDevNodeStatus(uint devInst, out uint status)
    {
        uint s = 0, problem = 0;
        uint result = CM_Get_DevNode_Status(&s, &problem, devInst, 0);
        status = s;
        return result;
    }

    public uint QueryAndRemoveSubTree(uint devInst, out int vetoType, out string vetoName)
    {
        int type = 0;
        char* name = stackalloc char[MAX_PATH];
        name[0] = '\0';
        uint result = CM_Query_And_Remove_SubTreeW(devInst, &type, name, MAX_PATH, CM_REMOVE_UI_NOT_OK);
        vetoType = type;
        vetoName = new string(name);
        return result;
    }

    public uint RequestDeviceEject(uint devInst, out int vetoType, out string vetoName)
    {
        int type = 0;
        char* name = stackalloc char[MAX_PATH];
        name[0] = '\0';
        uint result = CM_Request_Device_EjectW(devInst, &type, name, MAX_PATH, 0);
        vetoType = type;
        vetoName = new string(name);
        return result;
    }

    public SafeFileHandle? Open(string path, uint access, out int error)
    {
        var handle = CreateFileW(path, access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, 0, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, 0);
        error = handle.IsInvalid ? Marshal.GetLastPInvokeError() : 0;
        if (!handle.IsInvalid)
            return handle;
        handle.Dispose();
        return null;
    }

    public bool IoControl(SafeHandle handle, uint code, Span<byte> output, out int returned, out int error)
    {
        uint n = 0;
        int ok;
        fixed (byte* o = output)
            ok = DeviceIoControl(handle, code, null, 0, o, (uint)output.Length, &n, 0);
        returned = (int)n;
        error = ok == 0 ? Marshal.GetLastPInvokeError() : 0;
        return ok != 0;
    }

    public bool GetVolumeInformation(string rootPath, out string label, out string fileSystem, out int error)
    {
        char* name = stackalloc char[MAX_PATH + 1];
        char* fs = stackalloc char[MAX_PATH + 1];
        uint serial, maxComponent, flags;
        int ok = GetVolumeInformationW(rootPath, name, MAX_PATH + 1, &serial, &maxComponent, &flags, fs, MAX_PATH + 1);
        error = ok == 0 ? Marshal.GetLastPInvokeError() : 0;
        label = ok == 0 ? "" : new string(name);
        fileSystem = ok == 0 ? "" : new string(fs);
        return ok != 0;
    }

    public string? GetVolumeName(string mountPoint)
    {
        char* name = stackalloc char[64];
        return GetVolumeNameForVolumeMountPointW(mountPoint, name, 64) != 0 ? new string(name) : null;
    }

    public IReadOnlyList<string> GetVolumePathNames(string volumeName)
    {
        uint needed = 0;
        var buffer = new char[MAX_PATH];
        while (true)
        {
            fixed (char* b = buffer)
            {
                if (GetVolumePathNamesForVolumeNameW(volumeName, b, (uint)buffer.Length, &needed) != 0)
                    return MultiSz.Split(buffer);
            }
            if (Marshal.GetLastPInvokeError() != ERROR_MORE_DATA || needed <= buffer.Length)
                return [];
            buffer = new char[needed];
        }
    }

    public IReadOnlyList<string> ListVolumes()
    {
        var volumes = new List<string>();
        char* name = stackalloc char[64];
        nint find = FindFirstVolumeW(name, 64);
        if (find == -1)
            return volumes;
        try
        {
            do
                volumes.Add(new string(name));
            while (FindNextVolumeW(find, name, 64) != 0);
        }
        finally
        {
            FindVolumeClose(find);
        }
        return volumes;
    }

    public string? GetFinalPathWithVolumeGuid(SafeHandle handle)
    {
        char* path = stackalloc char[1024];
        uint n = GetFinalPathNameByHandleW(handle, path, 1024, VOLUME_NAME_GUID);
        return n is > 0 and < 1024 ? new string(path, 0, (int)n) : null;
    }
}
