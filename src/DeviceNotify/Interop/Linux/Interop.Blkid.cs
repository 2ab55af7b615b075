using System.Runtime.InteropServices;

namespace DeviceNotify;

internal static unsafe partial class Interop
{
    /// <summary>util-linux's libblkid (libblkid(3)): we ask it rather than parse superblocks by hand.</summary>
    internal const string Blkid = "libblkid.so.1";

    // blkid.h: superblock probing flags.
    internal const int BLKID_SUBLKS_LABEL = 1 << 1;
    internal const int BLKID_SUBLKS_UUID = 1 << 3;
    internal const int BLKID_SUBLKS_TYPE = 1 << 5;

    [LibraryImport(Blkid, EntryPoint = "blkid_new_probe_from_filename", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial nint BlkidNewProbeFromFilename(string filename);

    [LibraryImport(Blkid, EntryPoint = "blkid_free_probe")]
    internal static partial void BlkidFreeProbe(nint probe);

    [LibraryImport(Blkid, EntryPoint = "blkid_probe_enable_superblocks")]
    internal static partial int BlkidProbeEnableSuperblocks(nint probe, int enable);

    [LibraryImport(Blkid, EntryPoint = "blkid_probe_set_superblocks_flags")]
    internal static partial int BlkidProbeSetSuperblocksFlags(nint probe, int flags);

    [LibraryImport(Blkid, EntryPoint = "blkid_do_safeprobe")]
    internal static partial int BlkidDoSafeProbe(nint probe);

    [LibraryImport(Blkid, EntryPoint = "blkid_probe_lookup_value", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BlkidProbeLookupValue(nint probe, string name, byte** data, nuint* length);
}
