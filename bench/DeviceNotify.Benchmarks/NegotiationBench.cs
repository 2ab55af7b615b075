using System.Diagnostics;
using System.Globalization;

namespace DeviceNotify.Benchmarks;

/// <summary>
/// Negotiation overhead: time from a Dismount request to its result with 0, 1 and 100 registered handlers on one
/// volume (each closes its handle and accepts at once), next to a bare umount2 of the same volume; then the fixed
/// costs piece by piece (resolve, mount table, holder scan, the actuator's checks) and `fuser -m` as a whole
/// process, all in one run. Needs root; builds a loop-backed ext4 and always removes it. Not BenchmarkDotNet: each
/// iteration needs a fresh mount, which BenchmarkDotNet's iteration model does not fit.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class NegotiationBench
{
    public static int Run(string[] args)
    {
        int reps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
        string image = Path.Combine(Path.GetTempPath(), $"devnotify-negotiation-{Guid.NewGuid():N}.img");
        string mountPath = Directory.CreateTempSubdirectory("devnotify-negotiation-").FullName;
        string? loop = null;
        try
        {
            using (var f = File.Create(image))
                f.SetLength(64 << 20);
            loop = Sh("losetup", $"--find --show {image}").Trim();
            Sh("mkfs.ext4", $"-q -F {loop}");
            using var watcher = DeviceWatcher.StartNew();
            var coordinator = new RemovalCoordinator(watcher);

            var rows = new List<(string Name, List<double> Ms)>();
            rows.Add(("bare umount2 (no negotiation)", Measure(reps, loop, mountPath, () =>
            {
                var sw = Stopwatch.StartNew();
                if (Interop.Umount2(mountPath, 0) != 0)
                    throw new InvalidOperationException("umount2 failed");
                return sw.Elapsed.TotalMilliseconds;
            })));
            foreach (int handlers in new[] { 0, 1, 100 })
            {
                rows.Add(($"Dismount, {handlers} handler(s)", Measure(reps, loop, mountPath, () =>
                {
                    var regs = new List<DeviceRegistration>();
                    for (int i = 0; i < handlers; i++)
                    {
                        var h = File.OpenHandle(loop, FileMode.Open, FileAccess.Read);
                        regs.Add(watcher.RegisterHandle(h, n =>
                        {
                            if (n.Query is not null)
                            {
                                h.Dispose();
                                n.Query.Accept();
                            }
                        }));
                    }
                    var sw = Stopwatch.StartNew();
                    var result = coordinator.DismountAsync(mountPath).GetAwaiter().GetResult();
                    double ms = sw.Elapsed.TotalMilliseconds;
                    foreach (var r in regs)
                        r.Dispose();
                    if (!result.Succeeded)
                        throw new InvalidOperationException("dismount failed: " + result.Error);
                    return ms;
                })));
            }
            // The pieces, on a mounted volume (nothing is unmounted).
            Sh("mount", $"{loop} {mountPath}");
            Thread.Sleep(50);
            var device = coordinator.Resolve(mountPath);
            var actuator = new Linux.RemovalActuator();
            var finder = new Linux.HolderFinder();
            rows.Add(("  piece: resolve the path (statx + device table)", Repeat(reps, () => coordinator.Resolve(mountPath))));
            rows.Add(("  piece: read the mount table", Repeat(reps, () => actuator.ReadMounts())));
            rows.Add(("  piece: holder scan, in process (all of /proc + kernel holders)", Repeat(reps, () => finder.Find([device], actuator.ReadMounts(), CancellationToken.None))));
            var oneLane = new Linux.HolderFinder(threads: 1);
            rows.Add(("  piece: holder scan, one thread", Repeat(reps, () => oneLane.Find([device], actuator.ReadMounts(), CancellationToken.None))));
            rows.Add(("  piece: mount namespaces only (what a dismount checks before umount2)", Repeat(reps, () => finder.Find([device], actuator.ReadMounts(), Negotiation.HolderScope.MountsElsewhere, CancellationToken.None))));
            var numbers = new HashSet<(int, int)> { (device.Major!.Value, device.Minor!.Value) };
            rows.Add(("  piece: kernel holders (sysfs holders, swaps, loop backing files)", Repeat(reps, () => Linux.KernelHolders.Find([device], numbers, actuator.ReadMounts(), "/sys", "/proc", []))));
            rows.Add(("fuser -m PATH, whole process (psmisc)", Repeat(reps, () => Sh("fuser", $"-m {mountPath}", check: false))));
            rows.Add(("lsof PATH, whole process", Repeat(reps, () => Sh("lsof", $"-w {mountPath}", check: false))));
            Interop.Umount2(mountPath, 0);

            double baseline = Median(rows[0].Ms);
            Console.WriteLine($"| operation ({reps} runs, {Environment.ProcessorCount} CPUs) | median ms | p90 ms | × bare umount2 |");
            Console.WriteLine("|---|---|---|---|");
            foreach (var (name, ms) in rows)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {Median(ms):0.00} | {Percentile(ms, 0.9):0.00} | {Median(ms) / baseline:0.0} |"));
            Console.WriteLine($"processes scanned for holders: {Directory.GetDirectories("/proc").Count(d => Path.GetFileName(d).All(char.IsAsciiDigit))}");
            return 0;
        }
        finally
        {
            Interop.Umount2(mountPath, Interop.MNT_DETACH);
            if (loop is not null)
                Sh("losetup", $"-d {loop}", check: false);
            File.Delete(image);
            Directory.Delete(mountPath);
        }
    }

    private static List<double> Measure(int reps, string loop, string mountPath, Func<double> once)
    {
        var list = new List<double>();
        for (int i = 0; i < reps + 3; i++)
        {
            Sh("mount", $"{loop} {mountPath}");
            // Let the mount watcher see the mount before the next request.
            Thread.Sleep(20);
            double ms = once();
            if (i >= 3)
                list.Add(ms);   // the first three warm up
            Thread.Sleep(20);
        }
        return list;
    }

    /// <summary>Times <paramref name="action"/> reps times after three warm-up runs.</summary>
    private static List<double> Repeat(int reps, Action action)
    {
        var list = new List<double>();
        for (int i = 0; i < reps + 3; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            if (i >= 3)
                list.Add(sw.Elapsed.TotalMilliseconds);
        }
        return list;
    }

    internal static double Median(List<double> v) => Percentile(v, 0.5);

    internal static double Percentile(List<double> v, double p)
    {
        var s = v.Order().ToList();
        return s[Math.Min(s.Count - 1, (int)(p * s.Count))];
    }

    internal static string Sh(string file, string arguments, bool check = true)
    {
        using var p = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string o = p.StandardOutput.ReadToEnd();
        string e = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (check && p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {arguments}: {e}");
        return o;
    }
}
