using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using DeviceNotify.Negotiation;

namespace DeviceNotify.Linux;

// Implementation notes:
// - One pass per request: the kernel's holders (KernelHolders), then every process (ProcessScanner) for all target
//   devices at once (a disk and its partitions for an eject).
// - Scanning threads (as many as there are CPUs, at most four) take the next pid from a shared counter: the scan is a
//   few syscalls per process, all served from the kernel's caches, and a few processes (hundreds of descriptors)
//   cost as much as all the others. What each pid gave is kept in its own slot and collected in pid order, so the
//   result does not depend on the timing.
// - Never hang: the supervising caller wakes when a thread finishes, or every quarter of the per-process bound, and
//   looks at when each thread started its current pid (no hand-off per pid: a wake-up per process cost more than the
//   scan of one). A thread that sits on one pid longer (reading maps of a process stuck on a dead filesystem) is
//   abandoned — it stays blocked in the kernel, its late results are discarded — that process becomes a warning,
//   and a new thread takes its place. Cancellation is checked between pids.
// - A process whose earlier scan is still blocked (its abandoned thread has not come back) is skipped at once with
//   a warning, so repeated requests neither wait for it again nor strand one more thread each.
// - Reading other users' fd directories needs root (ptrace access); without it only this user's processes are
//   seen, and each unreadable process is a warning rather than a silent gap.
// - Scope MountsElsewhere looks only at mount namespaces (one readlink per process): what a dismount must check
//   before the kernel, which refuses to unmount a busy filesystem by itself, is asked (RemovalCoordinator).
/// <summary>Finds the processes and kernel objects that hold block devices or files on them.</summary>
[SupportedOSPlatform("linux")]
internal sealed class HolderFinder(string procRoot = "/proc", string sysRoot = "/sys", TimeSpan? processBound = null, int? threads = null) : IHolderFinder
{
    /// <summary>How long one process may take before it is given up on (its /proc entries are blocked).</summary>
    internal static readonly TimeSpan DefaultProcessBound = TimeSpan.FromSeconds(2);

    // pid → the scanning thread still blocked on it, across requests.
    private static readonly ConcurrentDictionary<int, Thread> s_stuck = new();

    private readonly TimeSpan _bound = processBound ?? DefaultProcessBound;
    private readonly int _threads = Math.Max(1, threads ?? Math.Clamp(Environment.ProcessorCount, 1, 4));

    public HolderScan Find(IReadOnlyCollection<Device> targets, IReadOnlyList<MountPoint> mounts, CancellationToken cancellationToken)
        => Find(targets, mounts, HolderScope.Everything, cancellationToken);

    public HolderScan Find(IReadOnlyCollection<Device> targets, IReadOnlyList<MountPoint> mounts, HolderScope scope, CancellationToken cancellationToken)
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
        if (scope == HolderScope.Everything)
            KernelHolders.Find(targets, numbers, mounts, sysRoot, procRoot, scan.Holders);
        var namespaces = new MountNamespaces(ReadLink(procRoot + "/self/ns/mnt"), mounts, numbers);
        var work = new Work(ListPids(scan.Warnings), scope, cancellationToken);
        // Fewer threads for few processes: a thread costs more than scanning a handful of them.
        var workers = new List<Worker>();
        for (int i = Math.Clamp(work.Pids.Length / 16, 1, _threads); i > 0; i--)
            workers.Add(Worker.Start(new ProcessScanner(procRoot, numbers, namespaces), work));
        using (cancellationToken.UnsafeRegister(static o => { lock (o!) Monitor.PulseAll(o); }, work))
        {
            var poll = TimeSpan.FromTicks(Math.Max(_bound.Ticks / 4, TimeSpan.TicksPerMillisecond));
            while (workers.Count > 0)
            {
                for (int i = workers.Count - 1; i >= 0; i--)
                {
                    var worker = workers[i];
                    if (cancellationToken.IsCancellationRequested)
                    {
                        worker.Abandon();
                        workers.RemoveAt(i);
                        continue;
                    }
                    switch (worker.Check(_bound, out int stuck))
                    {
                        case WorkerState.Done:
                            workers.RemoveAt(i);
                            break;
                        case WorkerState.Stuck:
                            s_stuck[work.Pids[stuck]] = worker.Thread;
                            work.Slots[stuck].Warnings.Add($"pid {work.Pids[stuck]} ({ReadComm(work.Pids[stuck])}): its /proc entries did not answer within " +
                                                           $"{_bound.TotalSeconds:0.#} s (blocked on a dead filesystem?); not scanned");
                            workers[i] = Worker.Start(new ProcessScanner(procRoot, numbers, namespaces), work);
                            break;
                    }
                }
                lock (work)
                {
                    if (workers.Exists(w => !w.IsDone) && !cancellationToken.IsCancellationRequested)
                        Monitor.Wait(work, poll);
                }
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        lock (work)
        {
            foreach (var slot in work.Slots)
            {
                if (slot.Holders is { } holders)
                    scan.Holders.AddRange(holders);
                scan.Warnings.AddRange(slot.Warnings);
            }
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
        pids.Sort();
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

    private enum WorkerState { Running, Done, Stuck }

    /// <summary>What one pid gave (written under the <see cref="Work"/> lock by the thread that scanned it).</summary>
    private sealed class Slot
    {
        internal List<PartyResponse>? Holders { get; set; }

        internal List<string> Warnings { get; } = [];
    }

    /// <summary>One request's pids, the counter the threads take them from, and a slot per pid. Its lock guards the slots and wakes the supervisor.</summary>
    private sealed class Work(int[] pids, HolderScope scope, CancellationToken cancellationToken)
    {
        private int _next = -1;

        internal int[] Pids { get; } = pids;

        internal Slot[] Slots { get; } = [.. pids.Select(_ => new Slot())];

        internal HolderScope Scope { get; } = scope;

        internal CancellationToken Token { get; } = cancellationToken;

        /// <summary>The next pid's index to scan; -1 when none is left.</summary>
        internal int Take()
        {
            int i = Interlocked.Increment(ref _next);
            return i < Pids.Length && !Token.IsCancellationRequested ? i : -1;
        }
    }

    /// <summary>One scanning thread, watched by the caller.</summary>
    private sealed class Worker
    {
        private readonly ProcessScanner _scanner;
        private readonly Work _work;
        private int _current = -1;
        private long _currentSince;
        private bool _done;
        private bool _abandoned;

        private Worker(ProcessScanner scanner, Work work)
        {
            _scanner = scanner;
            _work = work;
            Thread = new Thread(Loop) { IsBackground = true, Name = "DeviceNotify holder scan" };
        }

        /// <summary>The scanning thread (still blocked in the kernel when the worker was abandoned).</summary>
        internal Thread Thread { get; }

        internal bool IsDone => Volatile.Read(ref _done);

        internal static Worker Start(ProcessScanner scanner, Work work)
        {
            var worker = new Worker(scanner, work);
            using (ExecutionContext.SuppressFlow())
                worker.Thread.Start();
            return worker;
        }

        /// <summary>Done, still going, or on one pid for longer than <paramref name="bound"/> (then abandoned, its index in <paramref name="stuck"/>).</summary>
        internal WorkerState Check(TimeSpan bound, out int stuck)
        {
            stuck = -1;
            lock (_work)
            {
                if (_done)
                    return WorkerState.Done;
                // The pid's start time is written before its index: an index read first comes with its own time or a later one.
                int current = Volatile.Read(ref _current);
                long since = Volatile.Read(ref _currentSince);
                if (current < 0 || Stopwatch.GetElapsedTime(since) <= bound)
                    return WorkerState.Running;
                _abandoned = true;
                stuck = current;
                return WorkerState.Stuck;
            }
        }

        /// <summary>Stops taking its results (cancellation); the thread ends at its next pid.</summary>
        internal void Abandon()
        {
            lock (_work)
                _abandoned = true;
        }

        private void Loop()
        {
            var warnings = new List<string>();
            for (int i = _work.Take(); i >= 0; i = _work.Take())
            {
                Volatile.Write(ref _currentSince, Stopwatch.GetTimestamp());
                Volatile.Write(ref _current, i);
                warnings.Clear();
                int pid = _work.Pids[i];
                ProcessScanner.Result? result;
                try
                {
                    result = _scanner.Scan(pid, warnings, _work.Scope == HolderScope.MountsElsewhere);
                }
                catch (Exception ex)
                {
                    // Never let a background thread die: the process is reported as not scanned.
                    result = null;
                    warnings.Add($"pid {pid}: not scanned ({ex.GetType().Name}: {ex.Message})");
                }
                List<PartyResponse>? holders = null;
                if (_scanner.NamespaceHolders.Count > 0 || result?.Holdings.Count > 0)
                {
                    holders = [.. _scanner.NamespaceHolders];
                    foreach (var h in result?.Holdings ?? [])
                    {
                        holders.Add(new PartyResponse
                        {
                            Name = result!.Command ?? "?",
                            ProcessId = result.ProcessId,
                            ProcessName = result.Command ?? "?",
                            ProcessStartTime = result.StartTime,
                            FoundBy = h.Kind,
                            Veto = VetoType.OutstandingOpen,
                            Reason = h.What,
                        });
                    }
                }
                lock (_work)
                {
                    if (_abandoned)
                        return;
                    _work.Slots[i].Holders = holders;
                    _work.Slots[i].Warnings.AddRange(warnings);
                }
            }
            lock (_work)
            {
                _done = true;
                Monitor.PulseAll(_work);
            }
        }
    }
}
