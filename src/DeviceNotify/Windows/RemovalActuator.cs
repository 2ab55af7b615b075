using DeviceNotify.Negotiation;
using Microsoft.Win32.SafeHandles;
using static DeviceNotify.Interop.CfgMgr32;
using static DeviceNotify.Interop.Kernel32;

namespace DeviceNotify.Windows;

// Implementation notes:
// - Paths: a volume (\\.\E:, \\?\Volume{…}), a disk (\\.\PhysicalDrive1), a mount point (E:\) or a file on a volume;
//   opened with no access rights and identified by its storage numbers (StorageIdentity), which the device records
//   carry as MAJOR/MINOR.
// - Unmount: open the volume read/write, FSCTL_LOCK_VOLUME (fails with ERROR_ACCESS_DENIED while other handles are
//   open), then FSCTL_DISMOUNT_VOLUME, then close (which unlocks). With Force the lock failure is ignored and the
//   dismount goes ahead: Windows then invalidates the other handles, which is what forcing means there.
// - Lock: FSCTL_LOCK_VOLUME on a read/write volume handle kept by the VolumeLock; closing it unlocks.
// - Remove: the device instance is found (CM_Locate_DevNode). If it or an ancestor is removable (DN_REMOVABLE: a USB
//   stick's USB device), CM_Request_Device_Eject on that one, as "safely remove hardware" does; otherwise
//   CM_Query_And_Remove_SubTree on the disk (CM_REMOVE_UI_NOT_OK). The disk and its volumes are marked agreed first
//   (AgreedRemovals), so the source's own handle watches accept Windows' query-remove without asking the parties a
//   second time.
// - Windows' veto comes back as PNP_VETO_TYPE and a name: an application or service veto is an ApplicationVeto, an
//   outstanding open an OutstandingOpen, anything else a kernel refusal; CR_ACCESS_DENIED is NotPermitted (removal
//   needs SeLoadDriverPrivilege: an elevated administrator). Errno carries the CONFIGRET or Win32 error code.
internal sealed class RemovalActuator(INativeMethods native) : IRemovalActuator
{
    private const int PNP_VetoWindowsApp = 3, PNP_VetoWindowsService = 4, PNP_VetoOutstandingOpen = 5;
    private static readonly string[] s_vetoNames =
    [
        "PNP_VetoTypeUnknown", "PNP_VetoLegacyDevice", "PNP_VetoPendingClose", "PNP_VetoWindowsApp", "PNP_VetoWindowsService",
        "PNP_VetoOutstandingOpen", "PNP_VetoDevice", "PNP_VetoDriver", "PNP_VetoIllegalDeviceRequest", "PNP_VetoInsufficientPower",
        "PNP_VetoNonDisableable", "PNP_VetoLegacyDriver", "PNP_VetoInsufficientRights", "PNP_VetoAlreadyRemoved",
    ];

    public (int Major, int Minor) ResolveBlockNumber(string path)
    {
        using var handle = native.Open(path, 0, out int error)
            ?? throw new ArgumentException($"'{path}': CreateFile failed with Win32 error {error}. Give a volume (\\\\.\\E:), a disk (\\\\.\\PhysicalDrive1), a mount point (E:\\) or a file on the volume.", nameof(path));
        var id = StorageIdentity.Of(native, handle)
            ?? throw new ArgumentException($"'{path}' is not a disk, a volume, or a file on a volume (it answers no storage device number).", nameof(path));
        return (id.Major, id.Minor);
    }

    public IReadOnlyList<MountPoint> ReadMounts() => MountTable.Read(native);

    public Refusal? Unmount(Device volume, bool force)
    {
        using var handle = OpenVolume(volume, out var refusal);
        if (handle is null)
            return refusal;
        if (!native.IoControl(handle, FSCTL_LOCK_VOLUME, [], out _, out int error) && !force)
            return Kernel(error, $"FSCTL_LOCK_VOLUME on {Name(volume)}: other handles are open on the volume");
        if (!native.IoControl(handle, FSCTL_DISMOUNT_VOLUME, [], out _, out error))
            return Kernel(error, $"FSCTL_DISMOUNT_VOLUME on {Name(volume)}");
        return null;
    }

    public Refusal? Lock(Device volume, out SafeFileHandle? handle)
    {
        handle = OpenVolume(volume, out var refusal);
        if (handle is null)
            return refusal;
        if (native.IoControl(handle, FSCTL_LOCK_VOLUME, [], out _, out int error))
            return null;
        handle.Dispose();
        handle = null;
        return Kernel(error, $"FSCTL_LOCK_VOLUME on {Name(volume)}: other handles are open on the volume");
    }

    /// <summary>
    /// Windows has no side-effect-free "is it claimed?" probe (an exclusive open or a lock would announce
    /// GUID_IO_VOLUME_LOCK to every registration): null, "cannot tell". Windows' own removal still refuses, and names,
    /// an outstanding open.
    /// </summary>
    public string? InUse(Device device) => null;

    /// <summary>Windows removes a device only after every handle closed (or vetoes): it never defers behind the caller's back.</summary>
    public bool DefersRemovalWhileInUse(Device disk) => false;

    /// <summary>FSCTL_LOCK_VOLUME fails on open handles, but its error does not say which; the negotiation scans first (nothing to find here).</summary>
    public bool RefusesBusyUnmount => false;

    public Refusal? Remove(Device disk)
    {
        if (disk.GetProperty(DeviceRecords.InstanceIdKey) is not { } instanceId)
            return new Refusal(RemovalFailure.NotSupported, Party(0, $"{Name(disk)} has no device instance to remove", VetoType.KernelRefused));
        uint result = native.LocateDevNode(instanceId, out uint devInst);
        if (result != CR_SUCCESS)
            return ConfigRefusal(result, $"CM_Locate_DevNode({instanceId})");
        uint target = RemovableAncestor(devInst);
        using var agreed = AgreedRemovals.Begin(disk.DevPath);
        int vetoType;
        string vetoName;
        result = target != 0
            ? native.RequestDeviceEject(target, out vetoType, out vetoName)
            : native.QueryAndRemoveSubTree(devInst, out vetoType, out vetoName);
        if (result == CR_SUCCESS)
            return null;
        if (result != CR_REMOVE_VETOED)
            return ConfigRefusal(result, target != 0 ? "CM_Request_Device_Eject" : "CM_Query_And_Remove_SubTree");
        string typeName = vetoType >= 0 && vetoType < s_vetoNames.Length ? s_vetoNames[vetoType] : $"veto type {vetoType}";
        var veto = vetoType switch
        {
            PNP_VetoOutstandingOpen => VetoType.OutstandingOpen,
            PNP_VetoWindowsApp or PNP_VetoWindowsService => VetoType.ApplicationVeto,
            _ => VetoType.KernelRefused,
        };
        return new Refusal(RemovalFailure.Vetoed, new PartyResponse
        {
            Name = vetoName.Length > 0 ? vetoName : "Windows",
            ProcessName = "Windows",
            Veto = veto,
            Errno = (int)CR_REMOVE_VETOED,
            Reason = $"Windows vetoed the removal: {typeName}{(vetoName.Length > 0 ? " " + vetoName : "")}",
        });
    }

    /// <summary>The nearest device, from <paramref name="devInst"/> up, that is removable; 0 when none is.</summary>
    private uint RemovableAncestor(uint devInst)
    {
        for (int depth = 0; depth < 64; depth++)
        {
            if (native.GetDevNodeStatus(devInst, out uint status) == CR_SUCCESS && (status & DN_REMOVABLE) != 0)
                return devInst;
            if (native.GetParent(devInst, out uint parent) != CR_SUCCESS)
                return 0;
            devInst = parent;
        }
        return 0;
    }

    private SafeFileHandle? OpenVolume(Device volume, out Refusal? refusal)
    {
        refusal = null;
        string? name = volume.GetProperty(DeviceRecords.VolumeNameKey);
        if (name is null || StorageIdentity.VolumeOf(name) is not { } path)
        {
            refusal = new Refusal(RemovalFailure.NotSupported, Party(0, $"{Name(volume)} has no \\\\?\\Volume{{…}} name to open", VetoType.KernelRefused));
            return null;
        }
        var handle = native.Open(path, GENERIC_READ | GENERIC_WRITE, out int error);
        if (handle is null)
            refusal = Kernel(error, $"CreateFile({path})");
        return handle;
    }

    private static string Name(Device device) => InterfaceClass.GetInterfacePath(device);

    private static Refusal Kernel(int error, string what)
        => new(error == ERROR_ACCESS_DENIED && what.StartsWith("CreateFile", StringComparison.Ordinal) ? RemovalFailure.NotPermitted : RemovalFailure.KernelRefused,
            Party(error, $"{what}: Win32 error {error}" + (error == ERROR_ACCESS_DENIED && what.StartsWith("CreateFile", StringComparison.Ordinal) ? " (needs an elevated administrator)" : ""), VetoType.KernelRefused));

    private static Refusal ConfigRefusal(uint result, string what)
        => result == CR_ACCESS_DENIED
            ? new Refusal(RemovalFailure.NotPermitted, Party((int)result, $"{what}: CR_ACCESS_DENIED (removal needs SeLoadDriverPrivilege: an elevated administrator)", VetoType.KernelRefused))
            : new Refusal(RemovalFailure.KernelRefused, Party((int)result, $"{what} failed with CONFIGRET 0x{result:X2}", VetoType.KernelRefused));

    private static PartyResponse Party(int error, string reason, VetoType veto) => new()
    {
        Name = "Windows",
        ProcessName = "Windows",
        Veto = veto,
        Errno = error,
        Reason = reason,
    };
}
