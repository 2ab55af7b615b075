using System.Collections.Concurrent;
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
// - A process whose earlier scan is still blocked (its abandoned thread has not come back) is skipped at once with
//   a warning, so repeated requests neither wait for it again nor strand one more thread each.
// - Reading other users' fd directories needs root (ptrace access); without it only this user's processes are
//   seen, and each unreadable process is a warning rather than a silent gap.
/// <summary>Finds the processes and kernel objects that hold block devices or files on them.</summary>
[SupportedOSPlatform("linux")]
internal sealed class HolderFinder(string procRoot = "/proc", string sysRoot = "/sys", TimeSpan? processBound = null) : IHolderFinder
{
    /// <summary>How long one process may take before it is given up on (its /proc entries are blocked).</summary>
    internal static readonly TimeSpan DefaultProcessBound = TimeSpan.FromSeconds(2);

    // pid → the scanning thread still blocked on it, across requests.
    private static readonly ConcurrentDictionary<int, Thread> s_stuck = new();

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
        var namespaces = new MountNamespaces(ReadLink(procRoot + "/self/ns/mnt"), mounts, numbers);
        var pids = ListPids(scan.Warnings);
        int next = 0;
        while (next < pids.Length)
        {
            using var worker = new Worker(new ProcessScanner(procRoot, numbers, namespaces), pids, next, cancellationToken);
            int stuck = worker.Run(_bound, cancellationToken);
            worker.CollectInto(scan);
            cancellationToken.ThrowIfCancellationRequested();
            if (stuck < 0)
                break;
            s_stuck[pids[stuck]] = worker.Thread;
            scan.Warnings.Add($"pid {pids[stuck]} ({ReadComm(pids[stuck])}): its /proc entries did not answer within {_bound.TotalSeconds:0.#} s " +
                              "(blocked on a dead filesystem?); not scanned");
            next = stuck + 1;
        }
        return scan;
    }

    /// <summary>The pids to scan; those whose earlier scan is still blocked become warnings instead.</summary>
    private int[] ListPids(List<string> warnings)
    {
        var pids = new List<int>(256);
        foreach (var entry in Directory.EnumerateDirectories(procRoot))
        {
            if (!int.TryParse(Path.GetFileName(entry.AsSpan()), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                continue;
            if (s_stuck.TryGetValue(pid, out var thread))
            {
                if (thread.IsAlive)
                {
                    warnings.Add($"pid {pid}: an earlier scan of it is still blocked (a dead filesystem?); not scanned");
                    continue;
                }
                s_stuck.TryRemove(pid, out _);
            }
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
    private sealed class Worker(ProcessScanner scanner, int[] pids, int start, CancellationToken cancellationToken) : IDisposable
    {
        private readonly object _gate = new();
        private readonly AutoResetEvent _progress = new(false);
        private readonly List<PartyResponse> _holders = [];
        private readonly List<string> _warnings = [];
        private int _current = -1;
        private bool _done;
        private bool _abandoned;

        /// <summary>The scanning thread (still blocked in the kernel when the worker was abandoned).</summary>
        internal Thread Thread { get; private set; } = null!;

        /// <summary>Scans until done (returns -1) or stuck on one pid longer than <paramref name="bound"/> (returns its index).</summary>
        internal int Run(TimeSpan bound, CancellationToken token)
        {
            Thread = new Thread(Loop) { IsBackground = true, Name = "DeviceNotify holder scan" };
            using (ExecutionContext.SuppressFlow())
                Thread.Start();
            var handles = new[] { _progress, token.WaitHandle };
            while (true)
            {
                int seen = Volatile.Read(ref _current);
                int signalled = WaitHandle.WaitAny(handles, bound);
                lock (_gate)
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
            lock (_gate)
            {
                scan.Holders.AddRange(_holders);
                scan.Warnings.AddRange(_warnings);
            }
        }

        /// <summary>Releases the event unless an abandoned thread may still set it.</summary>
        public void Dispose()
        {
            lock (_gate)
            {
                if (_done)
                    _progress.Dispose();
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
                catch (Exception ex)
                {
                    // Never let a background thread die: the process is reported as not scanned.
                    result = null;
                    warnings.Add($"pid {pids[i]}: not scanned ({ex.GetType().Name}: {ex.Message})");
                }
                lock (_gate)
                {
                    if (_abandoned)
                        return;
                    _warnings.AddRange(warnings);
                    _holders.AddRange(scanner.NamespaceHolders);
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
            lock (_gate)
                _done = true;
            _progress.Set();
        }
    }
}
