using System.Runtime.Versioning;
using System.Text;
using DeviceNotify.Negotiation;
using DeviceNotify.Parsing;

namespace DeviceNotify.Linux;

// Implementation notes (what fuser -m does, without its hangs):
// - Per process: cwd, root and exe, every fd/N, and the mapped files of maps. Each link is looked at with one
//   statx relative to the open /proc/PID directory, with AT_STATX_DONT_SYNC: following the magic link jumps to the
//   open file without a lookup on its filesystem, and the cached attributes hold the device number, so a dead NFS
//   server or FUSE daemon cannot hang the scan. A block device node open is a holder of that device (st_rdev); any
//   other file is a holder of the filesystem it lives on (st_dev).
// - maps gives the device of each mapping in hex, with no stat at all. Reading it takes the process's mmap lock,
//   which a process stuck in a page fault on a dead filesystem can hold: HolderFinder runs this scanner under a
//   watchdog for that reason. cmdline, environ and smaps are never read (they can block the same way).
// - Identity: the start time (stat field 22) is read before and after; a process that exited, or whose pid was
//   reused meanwhile, is dropped rather than blamed.
// - Mount namespaces: a volume mounted in another namespace is held there. Each namespace's mountinfo is read once,
//   through the first process seen in it, and checked to be that namespace's (its ns link read again afterwards);
//   the finding belongs to the namespace, not to the process, so it stands even if the process exits meanwhile. A
//   mount that receives our unmount by propagation is not a holder (MountNamespaces).
/// <summary>Scans one process's /proc entries for the target devices. One instance per scanning thread (it owns buffers).</summary>
[SupportedOSPlatform("linux")]
internal sealed unsafe class ProcessScanner(string procRoot, IReadOnlySet<(int Major, int Minor)> devices, MountNamespaces namespaces)
{
    private byte[] _buffer = new byte[16384];
    private readonly byte[] _dirents = new byte[32768];

    internal readonly record struct Holding(HolderKind Kind, string What);

    /// <summary>What one process holds; <paramref name="Command"/> is read only when it holds something (null otherwise).</summary>
    internal sealed record Result(int ProcessId, string? Command, ulong StartTime, List<Holding> Holdings);

    /// <summary>Mounts of the targets found in other namespaces by the last <see cref="Scan"/>, whatever became of its process.</summary>
    internal List<PartyResponse> NamespaceHolders { get; } = [];

    /// <summary>
    /// What the process holds; null when it is gone (or its pid was reused during the scan). Unreadable parts add a
    /// warning. With <paramref name="namespaceOnly"/> only its mount namespace is looked at (a mount of the targets
    /// there), which costs a readlink per process: what is left to check when the kernel itself will refuse an
    /// unmount of a busy filesystem.
    /// </summary>
    internal Result? Scan(int pid, List<string> warnings, bool namespaceOnly = false)
    {
        NamespaceHolders.Clear();
        using var dir = ProcFiles.OpenDirectory(procRoot + "/" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (dir is null)
            return null;
        var holdings = new List<Holding>();
        if (namespaceOnly)
        {
            ScanNamespace(dir, pid);
            return new Result(pid, null, 0, holdings);
        }
        if (!TryStartTime(dir, out ulong start))
            return null;
        CheckLink(dir, "cwd\0"u8, HolderKind.WorkingDirectory, holdings);
        CheckLink(dir, "root\0"u8, HolderKind.RootDirectory, holdings);
        CheckLink(dir, "exe\0"u8, HolderKind.Executable, holdings);
        if (!ScanDescriptors(dir, holdings))
            warnings.Add($"pid {pid} ({ReadComm(dir)}): its open files cannot be read ({procRoot}/{pid}/fd: {Interop.StrError(Interop.LastErrno)}); not scanned");
        ScanMaps(dir, holdings);
        ScanNamespace(dir, pid);
        // The name and the identity check only matter for a process that is about to be named: most hold nothing,
        // and two reads fewer per process is a fifth of the scan.
        if (holdings.Count == 0)
            return new Result(pid, null, start, holdings);
        string comm = ReadComm(dir);
        if (!TryStartTime(dir, out ulong after) || after != start)
            return null;
        return new Result(pid, comm, start, holdings);
    }

    private bool TryStartTime(SafeFdHandle dir, out ulong start)
    {
        start = 0;
        int n = ProcFiles.Read(dir, "stat\0"u8, ref _buffer);
        return n > 0 && ProcStatParser.TryParseStartTime(_buffer.AsSpan(0, n), out start);
    }

    private string ReadComm(SafeFdHandle dir)
    {
        int n = ProcFiles.Read(dir, "comm\0"u8, ref _buffer);
        return n <= 0 ? "?" : Encoding.UTF8.GetString(_buffer.AsSpan(0, n).TrimEnd((byte)'\n'));
    }

    private void CheckLink(SafeFdHandle dir, ReadOnlySpan<byte> name, HolderKind kind, List<Holding> holdings)
    {
        if (ProcFiles.Stat(dir, name, out var st) && devices.Contains(((int)st.DevMajor, (int)st.DevMinor)))
            holdings.Add(new Holding(kind, Encoding.UTF8.GetString(name.TrimEnd((byte)0)) + " " + ProcFiles.ReadLink(dir, name)));
    }

    /// <summary>Every open descriptor; false when the fd directory cannot be read (another user's process without privilege).</summary>
    private bool ScanDescriptors(SafeFdHandle dir, List<Holding> holdings)
    {
        using var fds = ProcFiles.OpenAt(dir, "fd\0"u8, Interop.O_RDONLY | Interop.O_DIRECTORY);
        if (fds is null)
            return Interop.LastErrno == Interop.ENOENT;   // the process exited meanwhile: nothing to say
        while (true)
        {
            nint n;
            fixed (byte* p = _dirents)
                n = Interop.GetDents64(fds, p, (nuint)_dirents.Length);
            if (n <= 0)
                return true;
            for (int offset = 0; offset < n;)
            {
                int length = BitConverter.ToUInt16(_dirents, offset + Interop.DirentRecordLengthOffset);
                var name = _dirents.AsSpan(offset + Interop.DirentNameOffset, length - Interop.DirentNameOffset);
                name = name[..(name.IndexOf((byte)0) + 1)];
                offset += length;
                if (name[0] == '.')
                    continue;
                if (!ProcFiles.Stat(fds, name, out var st))
                    continue;
                bool node = (st.Mode & Interop.S_IFMT) == Interop.S_IFBLK;
                var number = node ? ((int)st.RDevMajor, (int)st.RDevMinor) : ((int)st.DevMajor, (int)st.DevMinor);
                if (!devices.Contains(number))
                    continue;
                string fd = Encoding.UTF8.GetString(name[..^1]);
                holdings.Add(new Holding(HolderKind.FileDescriptor, $"fd {fd} {ProcFiles.ReadLink(fds, name)}{(node ? " (device node)" : "")}"));
            }
        }
    }

    private void ScanMaps(SafeFdHandle dir, List<Holding> holdings)
    {
        int n = ProcFiles.Read(dir, "maps\0"u8, ref _buffer);
        if (n <= 0)
            return;
        foreach (var path in ProcMapsParser.MappedFiles(_buffer.AsSpan(0, n), devices))
            holdings.Add(new Holding(HolderKind.MemoryMap, "maps " + path));
    }

    private void ScanNamespace(SafeFdHandle dir, int pid)
    {
        if (ProcFiles.ReadLink(dir, "ns/mnt\0"u8) is not { } ns || !namespaces.TryClaim(ns))
            return;
        int n = ProcFiles.Read(dir, "mountinfo\0"u8, ref _buffer);
        if (n <= 0 || ProcFiles.ReadLink(dir, "ns/mnt\0"u8) != ns)
        {
            namespaces.Release(ns);                  // gone or changed meanwhile: read it through another process
            return;
        }
        var table = MountInfoParser.Parse(_buffer.AsSpan(0, n), out _);
        foreach (var m in table)
        {
            if (!devices.Contains((m.Major, m.Minor)) || namespaces.ReceivesOurUnmount(m, table))
                continue;
            NamespaceHolders.Add(KernelParty.Holder(ns, HolderKind.Mount,
                $"mounted at {m.Path} in another mount namespace ({ns}, seen through pid {pid} {ReadComm(dir)}); it stays mounted there"));
        }
    }
}
