using System.Runtime.Versioning;
using static DeviceNotify.Compat.CONFIGRET;

namespace DeviceNotify.Compat.Linux;

// Implementation notes:
// - A device instance ID is the kernel devpath (/devices/virtual/block/loop3); a symbolic link is the interface
//   path (/dev/loop3, or tap3 for a device without a node). DEVINSTs are small numbers handed out per devpath, stable
//   for the process, as Windows' are until reboot.
// - Lists come from the shared watcher's device table: the same picture its notifications describe, so an
//   interface is never both in the list and announced after it (the seed's "listed twice" note does not apply).
// - MULTI_SZ: each path, NUL, and a final NUL; an empty list is a lone NUL (size 1), as on Windows.
[SupportedOSPlatform("linux")]
internal static unsafe class CmDevices
{
    private static readonly Dictionary<string, uint> s_byPath = new(StringComparer.Ordinal);
    private static readonly List<string> s_paths = [];
    private const string Root = "/devices";

    internal static CONFIGRET InterfaceListSize(uint* pulLen, Guid* classGuid, char* pDeviceId, uint flags)
    {
        if (pulLen is null || classGuid is null)
            return CR_INVALID_POINTER;
        *pulLen = 0;
        if ((flags & ~CfgMgr32.CM_GET_DEVICE_INTERFACE_LIST_BITS) != 0)
            return CR_INVALID_FLAG;
        if (!TryList(*classGuid, pDeviceId, out var paths))
            return CR_FAILURE;
        *pulLen = (uint)MultiSzLength(paths);
        return CR_SUCCESS;
    }

    internal static CONFIGRET InterfaceList(Guid* classGuid, char* pDeviceId, char* buffer, uint bufferLen, uint flags)
    {
        if (classGuid is null || buffer is null)
            return CR_INVALID_POINTER;
        if ((flags & ~CfgMgr32.CM_GET_DEVICE_INTERFACE_LIST_BITS) != 0)
            return CR_INVALID_FLAG;
        if (!TryList(*classGuid, pDeviceId, out var paths))
            return CR_FAILURE;
        if (MultiSzLength(paths) > bufferLen)
            return CR_BUFFER_SMALL;   // an interface arrived since the size was asked: ask again (the documented retry)
        var span = new Span<char>(buffer, (int)bufferLen);
        int at = 0;
        foreach (var p in paths)
        {
            p.AsSpan().CopyTo(span[at..]);
            at += p.Length;
            span[at++] = '\0';
        }
        span[at] = '\0';
        return CR_SUCCESS;
    }

    internal static CONFIGRET Locate(uint* pdnDevInst, char* pDeviceId, uint flags)
    {
        if (pdnDevInst is null)
            return CR_INVALID_POINTER;
        *pdnDevInst = 0;
        if ((flags & ~CfgMgr32.CM_LOCATE_DEVNODE_BITS) != 0)
            return CR_INVALID_FLAG;
        string? id = pDeviceId is null ? null : new string(pDeviceId);
        if (string.IsNullOrEmpty(id))
            id = Root;   // a null or empty ID is the root of the tree
        else if (CompatRuntime.TryGetWatcher() is not { } watcher)
            return CR_FAILURE;
        else if (!watcher.GetDevices(new DeviceMatch { Properties = new Dictionary<string, string> { ["DEVPATH"] = id } }).Any(d => d.DevPath == id))
            return CR_NO_SUCH_DEVNODE;
        *pdnDevInst = DevInst(id);
        return CR_SUCCESS;
    }

    internal static CONFIGRET DeviceIdSize(uint* pulLen, uint devInst, uint flags)
    {
        if (pulLen is null)
            return CR_INVALID_POINTER;
        *pulLen = 0;
        if (flags != 0)
            return CR_INVALID_FLAG;
        if (PathOf(devInst) is not { } path)
            return CR_INVALID_DEVNODE;
        *pulLen = (uint)path.Length;   // without the NUL, as Windows: add one for the buffer
        return CR_SUCCESS;
    }

    internal static CONFIGRET DeviceId(uint devInst, char* buffer, uint bufferLen, uint flags)
    {
        if (buffer is null)
            return CR_INVALID_POINTER;
        if (flags != 0)
            return CR_INVALID_FLAG;
        if (PathOf(devInst) is not { } path)
            return CR_INVALID_DEVNODE;
        var span = new Span<char>(buffer, (int)bufferLen);
        int n = Math.Min(path.Length, span.Length);
        path.AsSpan(0, n).CopyTo(span);
        if (n < span.Length)
            span[n] = '\0';
        // "supplies as much of the identifier as will fit, and then returns CR_BUFFER_SMALL"
        return path.Length + 1 > bufferLen ? CR_BUFFER_SMALL : CR_SUCCESS;
    }

    internal static CONFIGRET InterfaceProperty(char* pszDeviceInterface, DEVPROPKEY* key, uint* propertyType, byte* buffer, uint* bufferSize, uint flags)
    {
        if (pszDeviceInterface is null || key is null || propertyType is null || bufferSize is null)
            return CR_INVALID_POINTER;
        if (flags != 0)
            return CR_INVALID_FLAG;
        if (CompatRuntime.TryGetWatcher() is not { } watcher)
            return CR_FAILURE;
        string link = new(pszDeviceInterface);
        var found = DeviceNotifyCompat.AllClasses().SelectMany(watcher.GetInterfaces).FirstOrDefault(i => i.Path == link);
        if (found is null)
            return CR_NO_SUCH_DEVICE_INTERFACE;
        if (key->fmtid != CfgMgr32.DEVPKEY_Device_InstanceId.fmtid || key->pid != CfgMgr32.DEVPKEY_Device_InstanceId.pid)
            return CR_NO_SUCH_VALUE;   // the instance ID is the one property the compatibility layer serves
        string id = found.Device.DevPath;
        uint needed = (uint)(id.Length + 1) * 2;
        *propertyType = CfgMgr32.DEVPROP_TYPE_STRING;
        if (buffer is null || *bufferSize < needed)
        {
            *bufferSize = needed;
            return CR_BUFFER_SMALL;
        }
        NativeBuffer.WriteString((char*)buffer, id);
        *bufferSize = needed;
        return CR_SUCCESS;
    }

    internal static string? PathOf(uint devInst)
    {
        lock (s_paths)
            return devInst >= 1 && devInst <= s_paths.Count ? s_paths[(int)devInst - 1] : null;
    }

    private static uint DevInst(string path)
    {
        lock (s_paths)
        {
            if (!s_byPath.TryGetValue(path, out uint dn))
            {
                s_paths.Add(path);
                s_byPath[path] = dn = (uint)s_paths.Count;
            }
            return dn;
        }
    }

    private static bool TryList(Guid classGuid, char* pDeviceId, out List<string> paths)
    {
        paths = [];
        if (DeviceNotifyCompat.FindClass(classGuid) is not { } cls)
            return true;   // a class without interfaces here
        if (CompatRuntime.TryGetWatcher() is not { } watcher)
            return false;
        string? device = pDeviceId is null ? null : new string(pDeviceId);
        paths = watcher.GetInterfaces(cls)
            .Where(i => string.IsNullOrEmpty(device) || i.Device.DevPath == device)
            .Select(i => i.Path).Order(StringComparer.Ordinal).ToList();
        return true;
    }

    private static int MultiSzLength(List<string> paths) => paths.Sum(p => p.Length + 1) + 1;
}
