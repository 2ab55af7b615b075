using System.Diagnostics;
using System.Text;
using DeviceNotify.Simulation;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Kernel;

/// <summary>
/// Record and replay with real captures: the real `devnotify monitor --json --include-existing` records a tap storm
/// and a loop-mount session while registrations watch live; replaying the capture gives the same registrations the
/// same notifications.
/// </summary>
[Collection(KernelCollection.Name)]
public class ReplayKernelTests
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "devnotify.dll");

    /// <summary>The monitor process, recording until <see cref="Finish"/>.</summary>
    private sealed class Capture : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _lines = new();
        private readonly Task _reader;
        private int _count;

        public Capture()
        {
            _process = Process.Start(new ProcessStartInfo("dotnet", $"{Cli} monitor --json --include-existing")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            _ = _process.StandardError.ReadToEndAsync();
            _reader = Task.Run(async () =>
            {
                while (await _process.StandardOutput.ReadLineAsync() is { } line)
                {
                    lock (_lines)
                    {
                        _lines.Append(line).Append('\n');
                        _count++;
                    }
                }
            });
            // The first line means the socket is open and the listing has started.
            Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref _count) > 0, TestTimeouts.Expected), "devnotify monitor printed nothing");
        }

        public bool Contains(string text)
        {
            lock (_lines)
                return _lines.ToString().Contains(text, StringComparison.Ordinal);
        }

        public string Finish()
        {
            Shell.Run("kill", $"-INT {_process.Id}");
            Assert.True(_process.WaitForExit(TestTimeouts.Expected), "devnotify monitor did not exit");
            Assert.True(_reader.Wait(TestTimeouts.Expected));
            Assert.Equal(0, _process.ExitCode);
            lock (_lines)
                return _lines.ToString();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
                _process.Kill();
            _process.Dispose();
        }
    }

    /// <summary>
    /// Runs <paramref name="session"/> while the monitor records and registrations with <paramref name="filters"/> watch
    /// live; then replays the capture into the same registrations. Returns what they got live, the replay's, and the capture.
    /// </summary>
    private static async Task<(List<string>[] Live, List<string>[] Replayed, string Capture)> RecordAndReplayAsync(
        DeviceFilter[] filters, Action<NotificationRecorder[], Capture> session)
    {
        string captured;
        List<string>[] live;
        using (var watcher = DeviceWatcher.StartNew())
        using (var capture = new Capture())
        {
            var registrations = new List<IDisposable>();
            var recorders = ReplayCompare.Register(watcher, registrations, filters);
            session(recorders, capture);
            captured = capture.Finish();
            registrations.ForEach(r => r.Dispose());
            live = recorders.Select(r => r.All.Select(ReplayCompare.Describe).ToList()).ToArray();
        }
        var replayed = await ReplayCompare.ReplayAsync(captured, ReplaySpeed.Maximum, filters);
        for (int i = 0; i < filters.Length; i++)
            Assert.Equal(live[i], replayed[i]);
        return (live, replayed, captured);
    }

    [Fact]
    public async Task A_captured_tap_storm_replays_into_the_notifications_a_registration_got_live()
    {
        const int Taps = 60;
        string prefix = NetDevices.UniqueName()[..^1] + "r";
        var taps = InterfaceClass.Custom("ReplayTaps", new DeviceMatch { Subsystem = "net", SysName = prefix + "*" });
        DeviceFilter[] filters = [DeviceFilter.ForInterfaces(InterfaceClass.Net), DeviceFilter.ForInterfaces(taps), DeviceFilter.ForDevices(new DeviceMatch { Subsystem = "net" })];

        var (expected, _, captured) = await RecordAndReplayAsync(filters, (live, capture) =>
        {
            int group = Random.Shared.Next(1000, 60000);
            try
            {
                NetDevices.CreateTapStorm(prefix, Taps, group);
            }
            finally
            {
                NetDevices.DeleteGroup(group);
            }
            Assert.True(live[1].WaitUntil(a => a.Count(n => n.Action == NotificationAction.InterfaceRemoval) == Taps, TestTimeouts.Expected));
            Assert.True(SpinWait.SpinUntil(() => capture.Contains("\"action\":\"InstanceRemoved\",\"kernelAction\":\"remove\",\"class\":null,\"path\":\"" + prefix + (Taps - 1)), TestTimeouts.Expected),
                $"the capture lacks the removal of {prefix}{Taps - 1}");
        });

        Assert.Equal(2 * Taps, expected[1].Count);
        // At the recorded pace too (the storm took well under the expected window).
        var paced = await ReplayCompare.ReplayAsync(captured, ReplaySpeed.Recorded, filters[1]);
        Assert.Equal(expected[1], paced[0]);
    }

    [Fact]
    public async Task A_captured_loop_mount_session_replays_into_the_notifications_registrations_got_live()
    {
        DeviceFilter[] filters =
        [
            DeviceFilter.ForInterfaces(InterfaceClass.Volume),
            DeviceFilter.ForInterfaces(InterfaceClass.Disk),
            DeviceFilter.ForDevices(new DeviceMatch { Subsystem = "block" }),
        ];
        string loopPath = "";
        var (expected, _, _) = await RecordAndReplayAsync(filters, (live, _) =>
        {
            using (var ext4 = new Ext4Volume("dnreplay"))
            {
                loopPath = ext4.DevNode;
                Assert.True(live[0].WaitUntil(a => a.Any(n => n.Action == NotificationAction.InterfaceArrival && n.Interface!.Path == loopPath && !n.IsSynthesized), TestTimeouts.Expected));
                ext4.Mount();
                File.WriteAllText(Path.Combine(ext4.MountPath, "hello.txt"), "hello");
                ext4.Unmount();
            }
            Assert.True(live[0].WaitUntil(a => a.Any(n => n.Action == NotificationAction.InterfaceRemoval && n.Interface!.Path == loopPath), TestTimeouts.Expected));
            Thread.Sleep(TestTimeouts.MustNotHappen);   // the detach's trailing change events
        });

        Assert.Contains(expected[0], l => l.StartsWith($"InterfaceArrival Volume {loopPath} Change Kernel", StringComparison.Ordinal));
    }
}
