using System.Runtime.Versioning;
using DeviceNotify.Daemon.Peers;
using DeviceNotify.Linux;

namespace DeviceNotify.Daemon.Service;

// Implementation notes:
// - A registration lets its process veto removals of the device. Holding the device open already does that (the holder
//   scan names the process), so a registration backed by an open handle grants nothing new; one without would let any
//   user block any dismount. The broker therefore checks, with the same scanner as the holder scan (one statx per
//   descriptor with the kernel's cached attributes: never hangs on a dead filesystem), that the process holds the
//   block device: an open descriptor on it or on a file of its volume, its working or root directory, a mapping.
// - The scan is bounded (its maps can block on a stuck process) and then checked against the pidfd, so a pid that was
//   reused meanwhile is never believed.
// - Character devices have nothing the broker can remove; their registrations are not checked.
/// <summary>Whether a peer process really holds the device it registers.</summary>
[SupportedOSPlatform("linux")]
internal static class HandleCheck
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(2);

    /// <summary>Null when the process holds the device; otherwise why the registration is refused.</summary>
    internal static async Task<string?> CheckAsync(PeerCredentials peer, HandleIdentity identity, CancellationToken cancellationToken)
    {
        if (!identity.IsBlock)
            return null;
        var devices = new HashSet<(int Major, int Minor)> { (identity.Major, identity.Minor) };
        var scanner = new ProcessScanner("/proc", devices, new MountNamespaces(null, [], devices));
        var warnings = new List<string>();
        ProcessScanner.Result? result;
        try
        {
            result = await Task.Run(() => scanner.Scan(peer.ProcessId, warnings), cancellationToken).WaitAsync(s_bound, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return $"the /proc entries of pid {peer.ProcessId} did not answer within {s_bound.TotalSeconds} s";
        }
        if (result is null || !peer.StillTheSameProcess())
            return $"pid {peer.ProcessId} exited";
        // A mount in another namespace is the kernel's hold, not a handle of this process.
        if (!result.Holdings.Any(h => h.Kind != HolderKind.Mount))
            return $"pid {peer.ProcessId} holds nothing on device {identity} (register only handles the process holds open)" +
                   (warnings.Count > 0 ? ": " + string.Join("; ", warnings) : "");
        return null;
    }
}
