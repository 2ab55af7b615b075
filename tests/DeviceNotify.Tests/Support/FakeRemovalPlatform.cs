using DeviceNotify.Negotiation;
using Microsoft.Win32.SafeHandles;

namespace DeviceNotify.Tests.Support;

/// <summary>
/// The platform half of the negotiation, scripted: every path resolves to one device number, the actuator records
/// what it was asked to do, and the holder finder returns what the test says (optionally slowly). With the simulated
/// source this runs the whole removal protocol without a disk or root.
/// </summary>
internal sealed class FakeRemovalPlatform(int major, int minor) : IRemovalActuator, IHolderFinder
{
    public List<string> Actions { get; } = [];

    public List<MountPoint> Mounts { get; set; } = [];

    public string? InUseReason { get; set; }

    public TimeSpan ScanDelay { get; set; }

    public List<PartyResponse> Holders { get; } = [];

    public (int Major, int Minor) ResolveBlockNumber(string path) => (major, minor);

    public IReadOnlyList<MountPoint> ReadMounts() => Mounts;

    /// <summary>Like umount2: refused as busy, changing nothing, while a process holder is listed (unless forced).</summary>
    public Refusal? Unmount(Device volume, bool force)
    {
        lock (Actions)
            Actions.Add("unmount " + volume.SysName);
        if (!force && Holders.Any(h => h.FoundBy != HolderKind.Mount))
            return new Refusal(RemovalFailure.KernelRefused, new PartyResponse { Name = "kernel", Veto = VetoType.KernelRefused, Errno = 16, Reason = "busy" }, Busy: true);
        Mounts = [];
        return null;
    }

    public bool RefusesBusyUnmount => true;

    public int Scans { get; private set; }

    public Refusal? Lock(Device volume, out SafeFileHandle? handle)
    {
        lock (Actions)
            Actions.Add("lock " + volume.SysName);
        handle = File.OpenHandle(typeof(FakeRemovalPlatform).Assembly.Location, FileMode.Open, FileAccess.Read);
        return null;
    }

    public Refusal? Remove(Device disk)
    {
        lock (Actions)
            Actions.Add("remove " + disk.SysName);
        return null;
    }

    public string? InUse(Device device) => InUseReason;

    public bool DefersRemovalWhileInUse(Device disk) => disk.SysName.StartsWith("loop", StringComparison.Ordinal);

    public HolderScan Find(IReadOnlyCollection<Device> targets, IReadOnlyList<MountPoint> mounts, CancellationToken cancellationToken)
        => Find(targets, mounts, HolderScope.Everything, cancellationToken);

    public HolderScan Find(IReadOnlyCollection<Device> targets, IReadOnlyList<MountPoint> mounts, HolderScope scope, CancellationToken cancellationToken)
    {
        Scans++;
        if (ScanDelay > TimeSpan.Zero)
            Task.Delay(ScanDelay, cancellationToken).Wait(cancellationToken);
        return new HolderScan([.. Holders.Where(h => scope == HolderScope.Everything || h.FoundBy == HolderKind.Mount)], []);
    }

    public static MountPoint MountOf(int major, int minor, string path) => new()
    {
        MountId = 90, ParentId = 1, Major = major, Minor = minor, Root = "/", Path = path,
        Options = "rw", FileSystemType = "ext4", Source = "/dev/sim", SuperOptions = "rw",
    };
}
