using System.Diagnostics;
using System.Text.Json;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Kernel;

/// <summary>The real devnotify holders/dismount/lock/eject processes on a loop-backed ext4 volume.</summary>
[Collection(KernelCollection.Name)]
public class RemovalCliTests
{
    private static Shell.Result Cli(string args) => Shell.Run("dotnet", $"{Path.Combine(AppContext.BaseDirectory, "devnotify.dll")} {args}");

    [Fact]
    public void Dismount_names_the_holder_and_exits_1_then_succeeds_once_it_is_gone()
    {
        using var ext4 = new Ext4Volume("dncli");
        ext4.Mount();
        using var child = Process.Start(new ProcessStartInfo("sleep", "60") { WorkingDirectory = ext4.MountPath })!;
        try
        {
            var holders = Cli($"holders {ext4.MountPath}");
            Assert.Equal(0, holders.ExitCode);
            Assert.Contains($"pid {child.Id}", holders.StdOut, StringComparison.Ordinal);

            var vetoed = Cli($"dismount {ext4.MountPath} --json");
            Assert.Equal(1, vetoed.ExitCode);
            var doc = JsonDocument.Parse(vetoed.StdOut).RootElement;
            Assert.False(doc.GetProperty("succeeded").GetBoolean());
            var party = doc.GetProperty("parties").EnumerateArray().Single(p => p.GetProperty("pid").GetInt32() == child.Id);
            Assert.Equal("OutstandingOpen", party.GetProperty("veto").GetString());
            Assert.Equal("sleep", party.GetProperty("process").GetString());
            Assert.Contains("sleep", vetoed.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            child.Kill();
            child.WaitForExit();
        }
        var done = Cli($"dismount {ext4.DevNode}");
        Assert.Equal(0, done.ExitCode);
        Assert.Contains("done", done.StdOut, StringComparison.Ordinal);
        Assert.False(ext4.IsMounted);
    }

    [Fact]
    public void Lock_for_a_while_then_eject_removes_the_loop_device()
    {
        using var ext4 = new Ext4Volume("dncli2");
        var locked = Cli($"lock {ext4.DevNode} --for 0.3");
        Assert.Equal(0, locked.ExitCode);
        Assert.Contains("released", locked.StdErr, StringComparison.Ordinal);
        string name = Path.GetFileName(ext4.DevNode);
        var eject = Cli($"eject {ext4.DevNode} --json");
        Assert.Equal(0, eject.ExitCode);
        Assert.True(JsonDocument.Parse(eject.StdOut).RootElement.GetProperty("succeeded").GetBoolean());
        Assert.True(SpinWait.SpinUntil(() => !Directory.Exists("/sys/block/" + name), TestTimeouts.Expected));
    }

    [Fact]
    public void Without_privilege_dismount_exits_3_naming_what_is_missing()
    {
        using var ext4 = new Ext4Volume("dncli3");
        ext4.Mount();
        var dll = Path.Combine(AppContext.BaseDirectory, "devnotify.dll");
        Shell.Check("chmod", $"-R a+rX {AppContext.BaseDirectory}");
        var r = Shell.Run("setpriv", $"--reuid=65534 --regid=65534 --clear-groups env HOME=/tmp dotnet {dll} dismount {ext4.MountPath}");
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("needs root", r.StdErr, StringComparison.Ordinal);
        Assert.True(ext4.IsMounted);
    }

    [Theory]
    [InlineData("dismount /no/such/path", "No such file or directory")]
    [InlineData("holders /proc/self/status", "is not on a block device")]
    [InlineData("dismount / --timeout 0", "--timeout must be between")]
    [InlineData("lock / --for -2", "--for must be a positive number")]
    public void Bad_paths_and_values_exit_2_with_a_clear_message(string args, string message)
    {
        var r = Cli(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", r.StdErr, StringComparison.Ordinal);
    }
}
