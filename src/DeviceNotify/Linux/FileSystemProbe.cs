using System.Runtime.Versioning;
using System.Text;
using DeviceNotify.Dispatch;

namespace DeviceNotify.Linux;

// Implementation notes:
// - libblkid's "safe" probe (blkid_do_safeprobe) reports nothing rather than guess when two signatures
//   disagree, which is what a notification library should do: an ambiguous device has no label to report.
// - The probe opens the device read-only (O_RDONLY|O_CLOEXEC); reading needs permission on the node (root, or
//   the disk group). A close after a read-only open produces no uevent, so probing never feeds back into the
//   event stream.
// - libblkid is loaded lazily; without it (a minimal container) probing reports "unavailable", never throws.
// - Reading the device can take seconds or hang (a dead NBD, a spinning-up CD): never call this on the uevent
//   reader thread or under a lock (see Dispatch/VolumeProbes).
/// <summary>What libblkid says a block device holds: filesystem type, label, UUID.</summary>
[SupportedOSPlatform("linux")]
internal static unsafe class FileSystemProbe
{
    internal static VolumeProbeResult Probe(string devNode)
    {
        nint raw;
        try
        {
            raw = Interop.BlkidNewProbeFromFilename(devNode);
        }
        catch (DllNotFoundException)
        {
            return new VolumeProbeResult(null, null, null, "libblkid.so.1 is not installed (Debian: libblkid1)");
        }
        if (raw == 0)
        {
            int errno = Interop.LastErrno;
            return new VolumeProbeResult(null, null, null, $"cannot open {devNode}: {Interop.StrError(errno)}");
        }
        using var probe = new SafeBlkidProbeHandle(raw);
        Interop.BlkidProbeEnableSuperblocks(raw, 1);
        Interop.BlkidProbeSetSuperblocksFlags(raw, Interop.BLKID_SUBLKS_TYPE | Interop.BLKID_SUBLKS_LABEL | Interop.BLKID_SUBLKS_UUID);
        int rc = Interop.BlkidDoSafeProbe(raw);
        return rc switch
        {
            0 => new VolumeProbeResult(Lookup(raw, "TYPE"), Lookup(raw, "LABEL"), Lookup(raw, "UUID"), null),
            1 => new VolumeProbeResult(null, null, null, null),                          // nothing recognised
            -2 => new VolumeProbeResult(null, null, null, "ambiguous: more than one filesystem signature"),
            _ => new VolumeProbeResult(null, null, null, $"probing {devNode} failed"),
        };
    }

    private static string? Lookup(nint probe, string name)
    {
        byte* data;
        nuint length;
        if (Interop.BlkidProbeLookupValue(probe, name, &data, &length) != 0 || data == null)
            return null;
        // length counts the terminating NUL.
        int n = (int)length;
        if (n > 0 && data[n - 1] == 0)
            n--;
        return Encoding.UTF8.GetString(data, n);
    }
}
