using DeviceNotify.Cli;
using DeviceNotify.Tests.Kernel;
using DeviceNotify.Tests.Support;
using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Tests.Broker;

/// <summary>
/// The broker is its own program, devnotify-daemon; <c>devnotify daemon ...</c> replaces itself with it, so the
/// process a supervisor started is the broker (same pid, its signals, its exit code), not a CLI in between.
/// </summary>
[Collection(KernelCollection.Name)]
public class DaemonProgramTests
{
    [Fact]
    public void Devnotify_daemon_becomes_the_broker_in_the_same_process_and_stops_cleanly_on_SIGTERM()
    {
        using var broker = new BrokerProcess(throughCli: true);
        using var channel = broker.Channel();
        var hello = broker.Client(channel).Hello(new Wire.HelloRequest { Client = "tests" }, deadline: DateTime.UtcNow.Add(TestTimeouts.Expected));
        Assert.Equal(broker.Pid, hello.BrokerPid);
        Assert.Contains("devnotify-daemon.dll", File.ReadAllText($"/proc/{broker.Pid}/cmdline"), StringComparison.Ordinal);

        Assert.Equal(0, broker.Stop());
        Assert.False(File.Exists(broker.SocketPath), "the broker removes its socket when stopped");
    }

    [Fact]
    public void A_wrong_broker_argument_through_devnotify_names_the_option_and_exits_2()
    {
        var queue = CliProcess.Run("daemon --queue 3");
        Assert.Equal(2, queue.ExitCode);
        Assert.Contains("--queue", queue.StdErr, StringComparison.Ordinal);
        Assert.Contains("between 16 and 65536", queue.StdErr, StringComparison.Ordinal);

        var stall = CliProcess.Run("daemon --stall-timeout -1");
        Assert.Equal(2, stall.ExitCode);
        Assert.Contains("--stall-timeout", stall.StdErr, StringComparison.Ordinal);

        var unknown = CliProcess.Run("daemon --frobnicate");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--frobnicate", unknown.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Devnotify_daemon_help_is_the_brokers_own()
    {
        var help = CliProcess.Run("daemon --help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("devnotify-daemon [options]", help.StdOut, StringComparison.Ordinal);
        Assert.Contains("--stall-timeout", help.StdOut, StringComparison.Ordinal);

        var top = CliProcess.Run("--help");
        Assert.Contains("daemon", top.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void The_launcher_prefers_the_running_dotnet_host_then_the_executable_beside_then_the_runtimes_host()
    {
        var files = new HashSet<string>(StringComparer.Ordinal);
        var executables = new HashSet<string>(StringComparer.Ordinal);
        bool Exists(string p) => files.Contains(p) || executables.Contains(p);
        bool Executable(string p) => executables.Contains(p);
        string[] args = ["--socket", "/run/x.sock"];

        Assert.Null(DaemonLauncher.Resolve(args, "/opt/dn", "/opt/dn/devnotify", "/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.0/", Exists, Executable));

        files.Add("/opt/dn/devnotify-daemon"); // as a tool package unpacks it: no execute bit
        Assert.Null(DaemonLauncher.Resolve(args, "/opt/dn", "/opt/dn/devnotify", null, Exists, Executable));
        executables.Add("/opt/dn/devnotify-daemon");
        var beside = DaemonLauncher.Resolve(args, "/opt/dn", "/opt/dn/devnotify", null, Exists, Executable)!;
                Assert.Equal(["/opt/dn/devnotify-daemon", "--socket", "/run/x.sock"], beside);

        files.Add("/opt/dn/devnotify-daemon.dll");
        var hosted = DaemonLauncher.Resolve(args, "/opt/dn", "/usr/bin/dotnet", null, Exists, Executable)!;
                Assert.Equal(["/usr/bin/dotnet", "/opt/dn/devnotify-daemon.dll", "--socket", "/run/x.sock"], hosted);

        executables.Remove("/opt/dn/devnotify-daemon");
        executables.Add("/usr/share/dotnet/dotnet");
        var tool = DaemonLauncher.Resolve(args, "/opt/dn", "/root/.dotnet/tools/devnotify", "/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.0/", Exists, Executable)!;
                Assert.Equal(["/usr/share/dotnet/dotnet", "/opt/dn/devnotify-daemon.dll", "--socket", "/run/x.sock"], tool);
    }
}
