using System.Diagnostics;

namespace DeviceNotify.Tests.Support;

/// <summary>
/// A FUSE filesystem (TestData/deadfuse.c, compiled with gcc on first use) mounted on a temp folder, that can stop
/// answering like a dead server. Dispose kills it (aborting the connection, so nothing stays blocked) and unmounts.
/// </summary>
internal sealed class DeadFuse : IDisposable
{
    private static readonly Lazy<string> s_binary = new(Compile);
    private readonly Process _daemon;
    private int _disposed;

    public DeadFuse()
    {
        MountPath = Directory.CreateTempSubdirectory("devnotify-fuse-").FullName;
        _daemon = Process.Start(new ProcessStartInfo(s_binary.Value, MountPath) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var ready = _daemon.StandardOutput.ReadLineAsync();
        if (!ready.Wait(TestTimeouts.Expected) || ready.Result != "ready")
        {
            Dispose();
            throw new InvalidOperationException($"deadfuse did not mount: {_daemon.StandardError.ReadToEnd()}");
        }
    }

    public string MountPath { get; }

    /// <summary>The one file it serves (1 MiB).</summary>
    public string FilePath => Path.Combine(MountPath, "f");

    /// <summary>From now on every request that reaches the server blocks.</summary>
    public void PlayDead() => Shell.Check("kill", $"-USR1 {_daemon.Id}");

    /// <summary>Kills the server: the kernel aborts the connection, so processes blocked on the mount get an error and can exit.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (!_daemon.HasExited)
        {
            _daemon.Kill();
            _daemon.WaitForExit();
        }
        _daemon.Dispose();
        Shell.Run("umount", $"-l {MountPath}");
        try
        {
            Directory.Delete(MountPath);
        }
        catch (IOException)
        {
        }
    }

    private static string Compile()
    {
        string output = Path.Combine(AppContext.BaseDirectory, "deadfuse");
        Shell.Check("gcc", $"-O1 -o {output} {Path.Combine(AppContext.BaseDirectory, "TestData", "deadfuse.c")}");
        return output;
    }
}
