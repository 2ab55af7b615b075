using DeviceNotify.Negotiation;

namespace DeviceNotify.Windows;

// Implementation notes:
// - Windows has no documented way to list the processes that hold a volume (the Restart Manager works on files, not
//   volumes; the handle table is undocumented). The scan therefore finds nothing and says so: every removal result
//   carries the warning, and RemovalCoordinator.FindHolders throws PlatformNotSupportedException with it.
// - Nothing is lost for the removal itself: Windows refuses a lock or a removal while a handle is open and names an
//   outstanding open in its own veto (PNP_VetoOutstandingOpen with the device's name), which the actuator reports.
/// <summary>The holder scan on Windows: not available, said clearly.</summary>
internal sealed class HolderFinder : IHolderFinder
{
    internal const string Unavailable = "The holder scan is not available on Windows (there is no documented way to list the processes that hold a volume); " +
        "Windows itself refuses a lock or removal while handles are open and names the outstanding open in its veto.";

    public HolderScan Find(IReadOnlyCollection<Device> targets, IReadOnlyList<MountPoint> mounts, CancellationToken cancellationToken)
        => new([], [Unavailable], Unavailable);

    public HolderScan Find(IReadOnlyCollection<Device> targets, IReadOnlyList<MountPoint> mounts, HolderScope scope, CancellationToken cancellationToken)
        => Find(targets, mounts, cancellationToken);
}
