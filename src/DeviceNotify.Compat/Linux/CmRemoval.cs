using System.Runtime.Versioning;
using static DeviceNotify.Compat.CONFIGRET;

namespace DeviceNotify.Compat.Linux;

// Implementation notes:
// - CM_Query_And_Remove_SubTree and CM_Request_Device_Eject both run DeviceNotify's eject negotiation on the
//   device: QueryRemove to every handle registration on it and its partitions (any process, through the broker
//   when one runs), a scan for processes that hold it without registering, then unmount and removal (loop devices:
//   detach and delete; SCSI disks: delete). The call blocks until the negotiation ends, as the C functions do.
// - Veto type and name, from the first veto (the full list: DeviceNotifyCompat.LastRemovalResult):
//     process holding the device or a file on it → PNP_VetoOutstandingOpen, "command (pid N): what it holds"
//       (Windows names the device instance there; naming the process is DeviceNotify's improvement)
//     a registration that vetoed, did not answer or threw → PNP_VetoWindowsApp, "name (pid N command): reason"
//     the kernel refused (EBUSY...) → PNP_VetoDevice, the reason
//     a device DeviceNotify cannot remove → PNP_VetoIllegalDeviceRequest, why
//   Lack of privilege is CR_ACCESS_DENIED (Windows: SeLoadDriverPrivilege), with PNP_VetoInsufficientRights.
[SupportedOSPlatform("linux")]
internal static unsafe class CmRemoval
{
    internal static CONFIGRET Remove(uint devInst, PNP_VETO_TYPE* pVetoType, char* pszVetoName, uint ulNameLength)
    {
        SetVeto(pVetoType, pszVetoName, ulNameLength, PNP_VETO_TYPE.PNP_VetoTypeUnknown, "");
        if (CmDevices.PathOf(devInst) is not { } devPath)
            return CR_INVALID_DEVNODE;
        if (CompatRuntime.TryGetCoordinator() is not { } coordinator || CompatRuntime.TryGetWatcher() is not { } watcher)
            return CR_FAILURE;
        var device = watcher.GetDevices().FirstOrDefault(d => d.DevPath == devPath);
        if (device is null)
            return CR_NO_SUCH_DEVNODE;
        if (device.Subsystem != "block" || device.DevNode is null)
        {
            SetVeto(pVetoType, pszVetoName, ulNameLength, PNP_VETO_TYPE.PNP_VetoIllegalDeviceRequest,
                $"DeviceNotify removes block devices on Linux (loop and SCSI disks); {devPath} is a {device.Subsystem} device");
            return CR_REMOVE_VETOED;
        }
        var result = CompatRuntime.Wait(coordinator.EjectAsync(device.DevNode));
        DeviceNotifyCompat.LastRemovalResult = result;
        return ToConfigRet(result, pVetoType, pszVetoName, ulNameLength);
    }

    internal static CONFIGRET ToConfigRet(RemovalResult result, PNP_VETO_TYPE* pVetoType, char* pszVetoName, uint ulNameLength)
    {
        if (result.Succeeded)
            return CR_SUCCESS;
        var (type, name) = Describe(result);
        SetVeto(pVetoType, pszVetoName, ulNameLength, type, name);
        return result.Failure == RemovalFailure.NotPermitted ? CR_ACCESS_DENIED : CR_REMOVE_VETOED;
    }

    /// <summary>The veto type and name Windows would report for a failed request.</summary>
    internal static (PNP_VETO_TYPE Type, string Name) Describe(RemovalResult result)
    {
        var cause = result.Vetoes.FirstOrDefault();
        if (result.Failure == RemovalFailure.NotPermitted)
            return (PNP_VETO_TYPE.PNP_VetoInsufficientRights, result.Error ?? "needs root (CAP_SYS_ADMIN)");
        if (result.Failure == RemovalFailure.NotSupported || cause is null)
            return (PNP_VETO_TYPE.PNP_VetoIllegalDeviceRequest, result.Error ?? result.Failure.ToString());
        string reason = cause.Reason is null ? "" : ": " + cause.Reason;
        return cause.Veto switch
        {
            VetoType.OutstandingOpen => (PNP_VETO_TYPE.PNP_VetoOutstandingOpen, $"{cause.Name} (pid {cause.ProcessId}){reason}"),
            VetoType.KernelRefused => (PNP_VETO_TYPE.PNP_VetoDevice, cause.Reason ?? result.Error ?? "the kernel refused"),
            _ => (PNP_VETO_TYPE.PNP_VetoWindowsApp, $"{cause.Name} (pid {cause.ProcessId} {cause.ProcessName}){reason}"),
        };
    }

    private static void SetVeto(PNP_VETO_TYPE* pVetoType, char* pszVetoName, uint ulNameLength, PNP_VETO_TYPE type, string name)
    {
        if (pVetoType is not null)
            *pVetoType = type;
        if (pszVetoName is null || ulNameLength == 0)
            return;
        int n = Math.Min(name.Length, (int)ulNameLength - 1);   // cut to fit, always terminated
        name.AsSpan(0, n).CopyTo(new Span<char>(pszVetoName, n));
        pszVetoName[n] = '\0';
    }
}
