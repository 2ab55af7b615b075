using System.Diagnostics;
using System.Text.Json;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Kernel;

/// <summary>The real `devnotify` binary against the real kernel, as an operator runs it.</summary>
[Collection(KernelCollection.Name)]
public class MonitorProcessTests
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "devnotify.dll");

    [Fact]
    public void Monitor_json_reports_a_tap_arrival_and_exits_0_on_sigint()
    {
        var psi = new ProcessStartInfo("dotnet", $"{Cli} monitor --subsystem net --include-existing --json")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string tap = NetDevices.UniqueName();
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            var lines = new List<JsonElement>();
            JsonElement Next()
            {
                var read = p.StandardOutput.ReadLineAsync();
                Assert.True(read.Wait(TestTimeouts.Expected), "no output from devnotify monitor");
                Assert.NotNull(read.Result);
                var e = JsonDocument.Parse(read.Result!).RootElement;
                lines.Add(e);
                return e;
            }
            var first = Next();                       // the enumeration has started: the socket is open
            Assert.True(first.GetProperty("synthesized").GetBoolean());
            NetDevices.CreateTap(tap);
            JsonElement arrival;
            do
                arrival = Next();
            while (arrival.GetProperty("path").GetString() != tap);

            Assert.Equal("InterfaceArrival", arrival.GetProperty("action").GetString());
            Assert.Equal("add", arrival.GetProperty("kernelAction").GetString());
            Assert.Equal($"/devices/virtual/net/{tap}", arrival.GetProperty("devpath").GetString());
            Assert.Equal("net", arrival.GetProperty("subsystem").GetString());
            Assert.Equal(tap, arrival.GetProperty("properties").GetProperty("INTERFACE").GetString());
            Assert.True(arrival.GetProperty("seqnum").GetInt64() > 0);
            Assert.False(arrival.GetProperty("synthesized").GetBoolean());
            Assert.True(arrival.GetProperty("_t").GetInt64() > 0);
        }
        finally
        {
            NetDevices.Delete(tap);
            Shell.Run("kill", $"-INT {p.Id}");
            if (!p.WaitForExit(TestTimeouts.Expected))
                p.Kill();
        }
        Assert.Equal(0, p.ExitCode);
        Assert.Contains("SUMMARY {\"events\":", stderr.Result, StringComparison.Ordinal);
    }

    /// <summary>How soon after its reader went away the monitor must be gone (it notices at once; the rest is .NET shutting down).</summary>
    private static readonly TimeSpan ExitAfterPipeClosed = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData("monitor --include-existing")]
    [InlineData("monitor --include-existing --json --subsystem net")]
    public void Monitor_exits_0_when_the_reader_of_its_output_goes_away(string args)
    {
        var psi = new ProcessStartInfo("dotnet", $"{Cli} {args}") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            var line = p.StandardOutput.ReadLineAsync();
            Assert.True(line.Wait(TestTimeouts.Expected), "no output");
            p.StandardOutput.Close();                          // what head -1 does after its line; no further event comes
            Assert.True(p.WaitForExit(ExitAfterPipeClosed), "devnotify monitor is still running after its output's reader went away");
            Assert.Equal(0, p.ExitCode);
            Assert.Contains("SUMMARY", stderr.Result, StringComparison.Ordinal);
        }
        finally
        {
            if (!p.HasExited)
                p.Kill();
        }
    }

    [Fact]
    public void Monitor_piped_into_head_ends_with_the_pipeline()
    {
        // bash with pipefail: the pipeline's status is the monitor's; the stamps say when head ended and when it all did.
        var script = $"set -o pipefail; dotnet {Cli} monitor --include-existing | (head -1 >/dev/null; date +%s%N); s=$?; date +%s%N; exit $s";
        var psi = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        try
        {
            Assert.True(p.WaitForExit(TestTimeouts.Expected), "the pipeline did not end");
            Assert.Equal(0, p.ExitCode);
            var stamps = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
            Assert.True(TimeSpan.FromTicks((stamps[1] - stamps[0]) / 100) < ExitAfterPipeClosed, $"the monitor outlived head by {(stamps[1] - stamps[0]) / 1_000_000} ms");
        }
        finally
        {
            if (!p.HasExited)
                p.Kill(entireProcessTree: true);
        }
    }

    [Theory]
    [InlineData("monitor --class Nope", "unknown interface class 'Nope'")]
    [InlineData("list --class Nope", "Known classes: Disk")]
    [InlineData("monitor --receive-buffer -1", "--receive-buffer must be a positive number")]
    [InlineData("monitor --bogus", "Unrecognized command or argument '--bogus'")]
    [InlineData("list --class Net --subsystem block", "give one or the other")]
    public void Bad_arguments_exit_2_and_say_what_is_accepted(string args, string message)
    {
        var r = Shell.Run("dotnet", $"{Cli} {args}");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.StdErr, StringComparison.Ordinal);
    }
}
