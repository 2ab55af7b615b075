using DeviceNotify.Cli;
using DeviceNotify.Simulation;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Simulation;

/// <summary>
/// Record and replay without the kernel: the monitor's JSON capture of a scripted simulated session replays into the
/// same registrations as the session itself (the kernel tests do the same with real captures).
/// </summary>
public class ReplayTests
{
    private static readonly DeviceFilter[] Filters =
    [
        DeviceFilter.ForInterfaces(InterfaceClass.Net),
        DeviceFilter.ForInterfaces(InterfaceClass.Volume, InterfaceClass.Disk),
        DeviceFilter.AllDevices,
    ];

    private static Device Loop(string name, ulong size) => new($"/devices/virtual/block/{name}", "block",
        new Dictionary<string, string> { ["DEVTYPE"] = "disk", ["DEVNAME"] = name, ["MAJOR"] = "7", ["MINOR"] = "0" },
        new DeviceAttributes { SizeSectors = size });

    private static SimulatedDeviceSource Existing()
    {
        var sim = new SimulatedDeviceSource();
        sim.Add(Sim.Net("a0"));
        sim.Add(Loop("loop0", 0));
        return sim;
    }

    /// <summary>The session: arrivals, a loop device getting and losing its backing file (size), a rename, an overflow.</summary>
    private static void Script(SimulatedDeviceSource sim)
    {
        sim.Add(Sim.Net("a1"));
        var loop = Loop("loop0", 65536);
        sim.Change(loop.DevPath, loop.Properties.Where(p => p.Key is not ("DEVPATH" or "SUBSYSTEM")), loop.Attributes);   // attached: now a Volume
        sim.Move("/devices/virtual/net/a1", "/devices/virtual/net/b1");
        sim.SimulateOverflow(() =>
        {
            sim.Remove("/devices/virtual/net/a0");
            sim.Add(Sim.Net("a2"));
        });
        sim.Remove("/devices/virtual/net/b1");
        var detached = Loop("loop0", 0);
        sim.Change(detached.DevPath, detached.Properties.Where(p => p.Key is not ("DEVPATH" or "SUBSYSTEM")), detached.Attributes);
    }

    [Fact]
    public async Task A_monitor_capture_replays_into_the_notifications_the_registrations_got_live()
    {
        // Live: the session with the registrations under test.
        var liveSim = Existing();
        List<string>[] live;
        using (var watcher = DeviceWatcher.StartNew(new DeviceWatcherOptions { Source = liveSim }))
        {
            var registrations = new List<IDisposable>();
            var recorders = ReplayCompare.Register(watcher, registrations, Filters);
            Script(liveSim);
            Assert.True(recorders[2].WaitUntil(a => a.Count(n => n.Origin == NotificationOrigin.Kernel) == 5, TestTimeouts.Expected));
            Thread.Sleep(100);
            live = recorders.Select(r => r.All.Select(ReplayCompare.Describe).ToList()).ToArray();
            registrations.ForEach(r => r.Dispose());
        }

        // Capture: the same session, watched by `devnotify monitor --json --include-existing`.
        var captureSim = Existing();
        var output = new SharedOutput();
        using var stop = new CancellationTokenSource();
        var monitor = MonitorCommand.RunAsync(new MonitorArgs(null, null, IncludeExisting: true, Json: true), new CliIo(output, TextWriter.Null), captureSim, stop.Token);
        Assert.True(SpinWait.SpinUntil(() => output.Lines.Length >= 2, TestTimeouts.Expected), "the monitor listed nothing");
        Script(captureSim);
        Assert.True(SpinWait.SpinUntil(() => output.Lines.Count(l => l.Contains("\"origin\":\"Kernel\"", StringComparison.Ordinal)) == 5, TestTimeouts.Expected), output.Text);
        stop.Cancel();
        Assert.Equal(ExitCode.Success, await monitor);
        Assert.Contains("\"attributes\":{\"size\":65536}", output.Text, StringComparison.Ordinal);

        var replayed = await ReplayCompare.ReplayAsync(output.Text, ReplaySpeed.Maximum, Filters);

        for (int i = 0; i < Filters.Length; i++)
            Assert.Equal(live[i], replayed[i]);
        Assert.Contains(live[1], l => l.StartsWith("InterfaceArrival Volume /dev/loop0", StringComparison.Ordinal));
        Assert.Contains(live[0], l => l.StartsWith("Overflow", StringComparison.Ordinal));
    }

    [Fact]
    public void A_capture_line_that_is_not_JSON_is_an_error_naming_the_line()
    {
        var ex = Assert.Throws<FormatException>(() => ReplayDeviceSource.Parse(new StringReader("{\"action\":\"Overflow\"}\nnot json\n"), "cap.jsonl"));
        Assert.StartsWith("cap.jsonl, line 2: not a JSON object", ex.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<FormatException>(() => ReplayDeviceSource.Parse(new StringReader("{\"origin\":\"Kernel\",\"devpath\":\"/devices/x\"}"), "cap.jsonl"));
        Assert.Contains("line 1: a device line needs \"subsystem\"", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Playing_needs_a_started_watcher_and_plays_once()
    {
        var replay = ReplayDeviceSource.Parse(new StringReader(""));
        await Assert.ThrowsAsync<InvalidOperationException>(() => replay.PlayAsync());
        await using var watcher = await DeviceWatcher.StartNewAsync(new DeviceWatcherOptions { Source = replay });
        await replay.PlayAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => replay.PlayAsync());
    }
}
