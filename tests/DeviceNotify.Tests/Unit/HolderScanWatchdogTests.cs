using DeviceNotify.Linux;
using DeviceNotify.Negotiation;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Unit;

/// <summary>
/// The holder scan's watchdog over a /proc tree built in a temporary directory, where one process's maps is a FIFO:
/// opening it blocks until a writer comes, as a real maps read blocks behind a process stuck on a dead filesystem
/// (which the kernel cannot be made to do on demand). The scan must give that process up, name it, go on with the
/// other pids, and skip it at once while the abandoned thread is still blocked.
/// </summary>
public sealed class HolderScanWatchdogTests : IDisposable
{
    // High pids, so the process-wide record of stuck pids can never meet a real process in another test's scan.
    private const int First = 4_190_000;
    private const int Count = 40;
    private const int Stuck = First + 5;
    private static readonly int[] s_holders = [First + 7, First + 30];

    private readonly string _root = Directory.CreateTempSubdirectory("devnotify-fakeproc-").FullName;
    private readonly string _held;

    public HolderScanWatchdogTests()
    {
        _held = Path.Combine(_root, "held-file");
        File.WriteAllText(_held, "x");
        for (int pid = First; pid < First + Count; pid++)
        {
            string dir = Path.Combine(_root, "proc", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(Path.Combine(dir, "fd"));
            File.WriteAllText(Path.Combine(dir, "stat"), $"{pid} (fake) S 1 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 {1000 + pid} 0 0");
            File.WriteAllText(Path.Combine(dir, "comm"), $"fake{pid - First}\n");
            if (pid == Stuck)
                Shell.Check("mkfifo", Path.Combine(dir, "maps"));
            else
                File.WriteAllText(Path.Combine(dir, "maps"), "");
            if (s_holders.Contains(pid))
                File.CreateSymbolicLink(Path.Combine(dir, "fd", "3"), _held);
        }
        Directory.CreateDirectory(Path.Combine(_root, "sys"));
    }

    [Fact]
    public void A_process_whose_proc_entries_block_is_given_up_named_and_skipped_next_time_and_the_rest_is_scanned()
    {
        string[] numbers = Shell.Check("stat", $"-c \"%Hd %Ld\" {_held}").Trim().Split(' ');
        var target = new Device("/devices/virtual/block/fake", "block",
            new Dictionary<string, string> { ["DEVTYPE"] = "disk", ["DEVNAME"] = "fake", ["MAJOR"] = numbers[0], ["MINOR"] = numbers[1] });
        var finder = new HolderFinder(Path.Combine(_root, "proc"), Path.Combine(_root, "sys"), TimeSpan.FromMilliseconds(300), threads: 2);

        var first = Task.Run(() => finder.Find([target], [], CancellationToken.None));
        Assert.True(first.Wait(TestTimeouts.Expected), "the scan waited on the blocked process");
        Assert.Equal(s_holders, first.Result.Holders.Select(h => h.ProcessId).Order());
        Assert.All(first.Result.Holders, h => Assert.Equal(HolderKind.FileDescriptor, h.FoundBy));
        Assert.Equal($"fake{s_holders[0] - First}", first.Result.Holders[0].ProcessName);
        var warning = Assert.Single(first.Result.Warnings);
        Assert.Contains($"pid {Stuck} (fake5): its /proc entries did not answer", warning, StringComparison.Ordinal);

        var second = finder.Find([target], [], CancellationToken.None);
        Assert.Equal(s_holders, second.Holders.Select(h => h.ProcessId).Order());
        Assert.Equal($"pid {Stuck}: an earlier scan of it is still blocked (a dead filesystem?); not scanned", Assert.Single(second.Warnings));
    }

    public void Dispose()
    {
        // Let the abandoned thread finish its open (a writer arrives), then remove the tree. O_RDWR never blocks on a
        // FIFO, so this cannot hang when no scan is waiting on it.
        string fifo = Path.Combine(_root, "proc", Stuck.ToString(System.Globalization.CultureInfo.InvariantCulture), "maps");
        using (var writer = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite))
        {
        }
        Directory.Delete(_root, recursive: true);
    }
}
