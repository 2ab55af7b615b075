using System.Diagnostics;

namespace DeviceNotify.Tests.Support;

/// <summary>
/// The holder program (TestData/holder/Program.cs), built once per test run with <c>dotnet build</c> against the
/// DeviceNotify assemblies beside the tests, and run as another process with DEVNOTIFY_SOCKET pointing at a broker. It
/// prints one line per thing it does; tests wait for lines. Dispose ends it (quit, then SIGKILL).
/// </summary>
internal sealed class HolderProgram : IDisposable
{
    private static readonly Lazy<string> s_program = new(Build);
    private readonly Process _process;
    private readonly ProcessOutput _output;

    private HolderProgram(Process process)
    {
        _process = process;
        _output = new ProcessOutput(process);
    }

    public int Pid => _process.Id;

    /// <summary>The apphost's name, which /proc/PID/comm shows.</summary>
    public const string ProcessName = "dnholder";

    /// <summary>SHA-256 of what it wrote (file mode).</summary>
    public string Sha256 => Lines.First(l => l.StartsWith("sha256 ", StringComparison.Ordinal))[7..];

    public IReadOnlyList<string> Lines => _output.Lines;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts it and waits until its handle is registered (with the broker, when one answers).</summary>
    /// <param name="broker">The broker whose socket it uses (its environment); null for none.</param>
    /// <param name="kind">file or device.</param>
    /// <param name="path">The file to write, or the device node to hold.</param>
    /// <param name="mode">accept, veto:REASON or defer.</param>
    public static HolderProgram Start(BrokerProcess? broker, string kind, string path, string mode)
    {
        var psi = new ProcessStartInfo(s_program.Value)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(s_program.Value)!,
        };
        psi.ArgumentList.Add(kind);
        psi.ArgumentList.Add(path);
        psi.ArgumentList.Add(mode);
        if (broker is not null)
            psi.Environment[global::DeviceNotify.Broker.BrokerEndpoint.SocketVariable] = broker.SocketPath;
        var holder = new HolderProgram(Process.Start(psi)!);
        if (!holder.WaitFor(l => l.StartsWith("ready ", StringComparison.Ordinal)))
        {
            holder.Dispose();
            throw new InvalidOperationException("The holder did not get ready: " + holder._output);
        }
        return holder;
    }

    /// <summary>Waits for a line that meets <paramref name="match"/>; false on timeout.</summary>
    public bool WaitFor(Func<string, bool> match, TimeSpan? timeout = null) => _output.WaitFor(match, timeout);

    public bool WaitForLine(string line, TimeSpan? timeout = null) => WaitFor(l => l == line, timeout);

    public int Count(string line) => Lines.Count(l => l == line);

    /// <summary>SIGKILL.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.WriteLine("quit");
                _process.StandardInput.Flush();
                if (!_process.WaitForExit(5000))
                    Kill();
            }
        }
        catch (IOException)
        {
            Kill();
        }
        _process.WaitForExit();
        _process.Dispose();
    }

    private static string Build()
    {
        string source = Path.Combine(AppContext.BaseDirectory, "TestData", "holder");
        string work = Directory.CreateTempSubdirectory("devnotify-holder-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        File.Copy(Path.Combine(source, "Program.cs"), Path.Combine(work, "Program.cs"));
        File.WriteAllText(Path.Combine(work, "holder.csproj"),
            File.ReadAllText(Path.Combine(source, "holder.csproj")).Replace("HINTDIR", AppContext.BaseDirectory.TrimEnd('/'), StringComparison.Ordinal));
        string output = Path.Combine(work, "out");
        // Outside the repository: no Directory.Build.props or central package versions of anyone else's.
        Shell.Check("dotnet", $"build {work}/holder.csproj -c Release -o {output} --nologo -v q -p:ImportDirectoryBuildProps=false -p:ImportDirectoryPackagesProps=false -p:ImportDirectoryBuildTargets=false");
        Shell.Check("chmod", $"-R a+rX {work}");
        return Path.Combine(output, ProcessName);
    }
}
