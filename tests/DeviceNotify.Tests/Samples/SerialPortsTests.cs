using System.Diagnostics;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Samples;

/// <summary>The serial-ports sample as a user runs it.</summary>
public class SerialPortsTests
{
    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "serial-ports.dll");

    [Fact]
    public void Once_lists_the_serial_ports_the_library_lists()
    {
        var r = Shell.Run("dotnet", $"{Program} --once");
        Assert.Equal(0, r.ExitCode);
        var listed = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim().Split(' ')[0]).ToList();
        Assert.Equal(DeviceEnumerator.GetInterfaces(InterfaceClass.ComPort).Select(i => i.Path).Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Watching_prints_the_present_ports_and_exits_0_on_sigterm()
    {
        using var p = Process.Start(new ProcessStartInfo("dotnet", Program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        try
        {
            int expected = DeviceEnumerator.GetInterfaces(InterfaceClass.ComPort).Count;
            for (int i = 0; i < expected; i++)
            {
                var line = p.StandardOutput.ReadLineAsync();
                Assert.True(line.Wait(TestTimeouts.Expected), "serial-ports printed nothing");
                Assert.StartsWith("  /dev/", line.Result, StringComparison.Ordinal);   // present: unmarked
            }
            Shell.Run("kill", $"-TERM {p.Id}");
            Assert.True(p.WaitForExit(TestTimeouts.Expected));
            Assert.Equal(0, p.ExitCode);
        }
        finally
        {
            if (!p.HasExited)
                p.Kill();
        }
    }
}
