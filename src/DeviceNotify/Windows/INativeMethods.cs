using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace DeviceNotify.Windows;

// Implementation notes:
// - The seam between the Windows backend and the operating system: one member per cfgmgr32/kernel32 call the
//   backend makes (NativeMethods forwards each to its P/Invoke). Everything above it — the notification trampoline,
//   the decoding of CM_NOTIFY_EVENT_DATA, the list/retry loops, the device records, the query-remove handling, the
//   deferred unregistration — is the same code on Windows and under the tests' fake, which calls the real
//   [UnmanagedCallersOnly] callback with native buffers, on threads of its own, as cfgmgr32 does.
// - cfgmgr32 members return the CONFIGRET value; kernel32 members return false/null with the Win32 error.
/// <summary>The native calls of the Windows backend (cfgmgr32 and kernel32), so a fake can stand in for Windows.</summary>
internal interface INativeMethods
{
    /// <summary>CM_Register_Notification; <paramref name="callback"/> is an unmanaged stdcall function pointer.</summary>
    uint RegisterNotification(in Interop.CfgMgr32.CM_NOTIFY_FILTER filter, nint context, nint callback, out nint notification);

    /// <summary>CM_Unregister_Notification: waits for the registration's callbacks in progress (so never call it from one).</summary>
    uint UnregisterNotification(nint notification);

    /// <summary>CM_Get_Device_Interface_List_Size for the present interfaces of a class, in characters.</summary>
    uint GetInterfaceListSize(Guid classGuid, out uint length);

    /// <summary>CM_Get_Device_Interface_List for the present interfaces of a class (MULTI_SZ); CR_BUFFER_SMALL when one arrived meanwhile.</summary>
    uint GetInterfaceList(Guid classGuid, Span<char> buffer);

    /// <summary>CM_Get_Device_Interface_Property(DEVPKEY_Device_InstanceId): the device instance behind an interface.</summary>
    uint GetInterfaceInstanceId(string symbolicLink, out string? instanceId);

    /// <summary>CM_Locate_DevNode (normal: present devices only).</summary>
    uint LocateDevNode(string instanceId, out uint devInst);

    /// <summary>CM_Get_Parent.</summary>
    uint GetParent(uint devInst, out uint parent);

    /// <summary>CM_Get_Device_ID.</summary>
    uint GetDeviceId(uint devInst, out string? instanceId);

    /// <summary>CM_Get_DevNode_Status: the DN_* status bits.</summary>
    uint GetDevNodeStatus(uint devInst, out uint status);

    /// <summary>CM_Query_And_Remove_SubTree with CM_REMOVE_UI_NOT_OK; the veto type and name on CR_REMOVE_VETOED.</summary>
    uint QueryAndRemoveSubTree(uint devInst, out int vetoType, out string vetoName);

    /// <summary>CM_Request_Device_Eject; the veto type and name on CR_REMOVE_VETOED.</summary>
    uint RequestDeviceEject(uint devInst, out int vetoType, out string vetoName);

    /// <summary>CreateFile(OPEN_EXISTING, share read/write/delete); null with the Win32 error on failure.</summary>
    SafeFileHandle? Open(string path, uint access, out int error);

    /// <summary>DeviceIoControl without input; false with the Win32 error on failure.</summary>
    bool IoControl(SafeHandle handle, uint code, Span<byte> output, out int returned, out int error);

    /// <summary>GetVolumeInformation on a root (<c>C:\</c> or <c>\\?\Volume{…}\</c>): label and file system.</summary>
    bool GetVolumeInformation(string rootPath, out string label, out string fileSystem, out int error);

    /// <summary>GetVolumeNameForVolumeMountPoint: <c>\\?\Volume{…}\</c> for a mount point or a volume interface path with a trailing backslash.</summary>
    string? GetVolumeName(string mountPoint);

    /// <summary>GetVolumePathNamesForVolumeName: the drive letters and folders a volume is mounted on.</summary>
    IReadOnlyList<string> GetVolumePathNames(string volumeName);

    /// <summary>FindFirstVolume/FindNextVolume: every volume's <c>\\?\Volume{…}\</c> name.</summary>
    IReadOnlyList<string> ListVolumes();

    /// <summary>GetFinalPathNameByHandle(VOLUME_NAME_GUID): <c>\\?\Volume{…}\path</c> for a handle to a file or directory.</summary>
    string? GetFinalPathWithVolumeGuid(SafeHandle handle);
}
