using System.Diagnostics;

namespace DeviceNotify.Tests.Support;

/// <summary>Collects a started process's standard output line by line (and its standard error), so a test can wait for a line.</summary>
internal sealed class ProcessOutput
{
    private readonly List<string> _lines = [];
    private readonly Task<string> _errors;

    public ProcessOutput(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (_lines)
            {
                _lines.Add(e.Data);
                Monitor.PulseAll(_lines);
            }
        };
        process.BeginOutputReadLine();
        _errors = process.StandardError.ReadToEndAsync();
    }

    public Process Process { get; }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
                return [.. _lines];
        }
    }

    /// <summary>Standard error, once the process has exited (empty before).</summary>
    public string Errors => _errors.IsCompleted ? _errors.Result : "";

    /// <summary>Waits for a line that meets <paramref name="match"/>; false on timeout or when the process exited without one.</summary>
    public bool WaitFor(Func<string, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TestTimeouts.Expected);
        lock (_lines)
        {
            while (!_lines.Any(match))
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || Process.HasExited)
                    return _lines.Any(match);
                Monitor.Wait(_lines, left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
            }
            return true;
        }
    }

    /// <summary>SIGINT (Ctrl-C), then waits for the exit (SIGKILL after the expected window).</summary>
    public void Interrupt()
    {
        if (!Process.HasExited)
            Shell.Run("kill", $"-INT {Process.Id}");
        if (!Process.WaitForExit(TestTimeouts.Expected))
            Process.Kill();
        Process.WaitForExit();
    }

    /// <summary>Everything seen, for failure messages.</summary>
    public override string ToString() => string.Join('\n', Lines) + "\n" + Errors;
}
