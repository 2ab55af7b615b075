using System.Diagnostics;
using System.Globalization;
using System.Text;
using DeviceNotify.Broker;
using Grpc.Net.Client;
using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Tests.Support;

/// <summary>
/// The real broker (<c>devnotify-daemon</c>, or <c>devnotify daemon</c> which execs it) as a child process on a socket in a temp folder. Kill is SIGKILL (the socket
/// file stays, as after a crash); Start again restarts it on the same socket. Dispose stops it and removes the folder.
/// </summary>
internal sealed class BrokerProcess : IDisposable
{
    private readonly string _extra;
    private readonly bool _throughCli;
    private readonly StringBuilder _log = new();
    private Process? _process;

    public BrokerProcess(string extraArguments = "", bool throughCli = false)
    {
        _extra = extraArguments;
        _throughCli = throughCli;
        Folder = Directory.CreateTempSubdirectory("devnotify-broker-").FullName;
        // Like a 0755 RuntimeDirectory: other users must reach the socket (the socket itself is 0666).
        File.SetUnixFileMode(Folder, (UnixFileMode)0x1ED);
        SocketPath = Path.Combine(Folder, "broker.sock");
        Start();
    }

    /// <summary>The broker's program, built beside the tests (and beside the CLI, which execs it).</summary>
    public static string DaemonDll => Path.Combine(AppContext.BaseDirectory, "devnotify-daemon.dll");

    public string Folder { get; }

    public string SocketPath { get; }

    public int Pid => _process!.Id;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>What the broker logged (standard error).</summary>
    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    /// <summary>Environment for a client process: where the broker is.</summary>
    public string Environment => $"{BrokerEndpoint.SocketVariable}={SocketPath}";

    public void Start()
    {
        var program = _throughCli ? $"{CliProcess.Dll} daemon" : DaemonDll;
        var psi = new ProcessStartInfo("dotnet", $"{program} --socket {SocketPath} {_extra}")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _process = Process.Start(psi)!;
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow + TestTimeouts.Expected;
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The broker exited ({_process.ExitCode}) at start: {Log}");
            if (File.Exists(SocketPath) && TryHello())
                return;
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"The broker did not answer within {TestTimeouts.Expected}: {Log}");
            Thread.Sleep(50);
        }
    }

    /// <summary>SIGKILL, as a crash: nothing is cleaned up.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit();
        }
    }

    /// <summary>SIGTERM and wait: the graceful stop.</summary>
    public int Stop()
    {
        if (_process is not { HasExited: false } p)
            return _process?.ExitCode ?? -1;
        Shell.Run("kill", $"-TERM {p.Id}");
        if (!p.WaitForExit(TestTimeouts.Expected))
            p.Kill();
        p.WaitForExit();
        return p.ExitCode;
    }

    public GrpcChannel Channel() => BrokerChannel.Create(SocketPath);

    public Wire.DeviceBroker.DeviceBrokerClient Client(GrpcChannel channel) => new(channel);

    /// <summary>VmRSS / VmHWM of the broker, in kB.</summary>
    public long StatusKb(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"no {field} in /proc/{Pid}/status");
    }

    /// <summary>User plus system CPU time of the broker, in clock ticks (1/100 s).</summary>
    public long CpuTicks()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private bool TryHello()
    {
        using var channel = Channel();
        try
        {
            Client(channel).Hello(new Wire.HelloRequest { Client = "tests" }, deadline: DateTime.UtcNow.AddSeconds(2));
            return true;
        }
        catch (Grpc.Core.RpcException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_log)
        {
            if (_log.Length < 1 << 20)
                _log.AppendLine(line);
        }
    }

    public void Dispose()
    {
        Stop();
        _process?.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
