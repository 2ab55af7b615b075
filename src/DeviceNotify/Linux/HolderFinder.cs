using System.Globalization;
using System.Runtime.Versioning;
using DeviceNotify.Negotiation;

namespace DeviceNotify.Linux;

// Implementation notes:
// - One pass per request: the kernel's holders (KernelHolders), then every process (ProcessScanner) for all target
//   devices at once (a disk and its partitions for an eject).
// - Never hang: the process scan runs on a worker thread that reports each pid it starts. The caller waits for
//   progress with a bound per process; a worker that sits on one pid longer (reading maps of a process stuck on a
//   dead filesystem) is abandoned — its thread stays blocked in the kernel, its late results are discarded — that
//   process becomes a warning, and a new worker goes on from the next pid. Cancellation is checked between pids.
// - Reading other users' fd directories needs root (ptrace access); without it only this user's processes are
//   seen, and each unreadable process is a warning rather than a silent gap.
/// <summary>Finds the processes and kernel objects that hold block devices or files on them.</summary>
[SupportedOSPlatform("linux")]
internal sealed class HolderFinder(string procRoot = "/proc", string sysRoot = "/sys", TimeSpan? processBound = null) : IHolderFinder
{
    /// <summary>How long one process may take before it is given up on (its /proc entries are blocked).</summary>
    internal static readonly TimeSpan DefaultProcessBound = TimeSpan.FromSeconds(2);

    private readonly TimeSpan _bound = processBound ?? DefaultProcessBound;

    public HolderScan Find(IReadOnlyCollection<Device> targets, IReadOnlyList<MountPoint> mounts, CancellationToken cancellationToken)
    {
        var numbers = new HashSet<(int Major, int Minor)>();
        foreach (var d in targets)
        {
            if (d.Major is int major && d.Minor is int minor)
                numbers.Add((major, minor));
        }
        var scan = new HolderScan([], []);
        if (numbers.Count == 0)
            return scan;
        KernelHolders.Find(targets, numbers, mounts, sysRoot, procRoot, scan.Holders);
        string? ownNamespace = ReadLink(procRoot + "/self/ns/mnt");
        var namespaces = new MountNamespaces(ownNamespace, mounts.Where(m => numbers.Contains((m.Major, m.Minor))));
        var pids = ListPids();
        int next = 0;
        while (next < pids.Length)
        {
            var worker = new Worker(new ProcessScanner(procRoot, numbers, namespaces), pids, next, cancellationToken);
            int stuck = worker.Run(_bound, cancellationToken);
            worker.CollectInto(scan);
            cancellationToken.ThrowIfCancellationRequested();
            if (stuck < 0)
                break;
            scan.Warnings.Add($"pid {pids[stuck]} ({ReadComm(pids[stuck])}): its /proc entries did not answer within {_bound.TotalSeconds:0.#} s " +
                              "(blocked on a dead filesystem?); not scanned");
            next = stuck + 1;
        }
        return scan;
    }

    private int[] ListPids()
    {
        var pids = new List<int>(256);
        foreach (var entry in Directory.EnumerateDirectories(procRoot))
        {
            if (int.TryParse(Path.GetFileName(entry.AsSpan()), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                pids.Add(pid);
        }
        return [.. pids];
    }

    private string ReadComm(int pid) => SysfsAttributes.ReadText($"{procRoot}/{pid}/comm") ?? "?";

    private static string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>One scanning thread over pids[start..], watched by the caller.</summary>
    private sealed class Worker(ProcessScanner scanner, int[] pids, int start, CancellationToken cancellationToken)
    {
        private readonly AutoResetEvent _progress = new(false);
        private readonly List<PartyResponse> _holders = [];
        private readonly List<string> _warnings = [];
        private int _current = -1;
        private bool _done;
        private bool _abandoned;

        /// <summary>Scans until done (returns -1) or stuck on one pid longer than <paramref name="bound"/> (returns its index).</summary>
        internal int Run(TimeSpan bound, CancellationToken token)
        {
            using (ExecutionContext.SuppressFlow())
                new Thread(Loop) { IsBackground = true, Name = "DeviceNotify holder scan" }.Start();
            var handles = new[] { _progress, token.WaitHandle };
            while (true)
            {
                int seen = Volatile.Read(ref _current);
                int signalled = WaitHandle.WaitAny(handles, bound);
                lock (this)
                {
                    if (_done)
                        return -1;
                    if (signalled == 1)
                    {
                        _abandoned = true;
                        return -1;
                    }
                    if (signalled == WaitHandle.WaitTimeout && _current == seen && seen >= 0)
                    {
                        _abandoned = true;
                        return seen;
                    }
                }
            }
        }

        internal void CollectInto(HolderScan scan)
        {
            lock (this)
            {
                scan.Holders.AddRange(_holders);
                scan.Warnings.AddRange(_warnings);
            }
        }

        private void Loop()
        {
            var warnings = new List<string>();
            for (int i = start; i < pids.Length && !cancellationToken.IsCancellationRequested; i++)
            {
                Volatile.Write(ref _current, i);
                _progress.Set();
                warnings.Clear();
                ProcessScanner.Result? result;
                try
                {
                    result = scanner.Scan(pids[i], warnings);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    result = null;
                }
                lock (this)
                {
                    if (_abandoned)
                        return;
                    _warnings.AddRange(warnings);
                    if (result is not null)
                    {
                        foreach (var h in result.Holdings)
                        {
                            _holders.Add(new PartyResponse
                            {
                                Name = result.Command,
                                ProcessId = result.ProcessId,
                                ProcessName = result.Command,
                                ProcessStartTime = result.StartTime,
                                FoundBy = h.Kind,
                                Veto = VetoType.OutstandingOpen,
                                Reason = h.What,
                            });
                        }
                    }
                }
            }
            lock (this)
                _done = true;
            _progress.Set();
        }
    }
}
