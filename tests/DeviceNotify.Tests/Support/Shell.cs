using System.Diagnostics;

namespace DeviceNotify.Tests.Support;

/// <summary>Runs system tools (ip, losetup, mkfs) for the kernel tests.</summary>
internal static class Shell
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static Result Run(string file, string arguments, string? stdin = null)
    {
        var psi = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        var outTask = p.StandardOutput.ReadToEndAsync();
        var errTask = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return new Result(p.ExitCode, outTask.Result, errTask.Result);
    }

    /// <summary>Runs and throws with the tool's stderr when it fails.</summary>
    public static string Check(string file, string arguments, string? stdin = null)
    {
        var r = Run(file, arguments, stdin);
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"{file} {arguments} failed ({r.ExitCode}): {r.StdErr.Trim()}");
        return r.StdOut;
    }
}
