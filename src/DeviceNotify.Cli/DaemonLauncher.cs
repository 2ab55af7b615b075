using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace DeviceNotify.Cli;

/// <summary>
/// <c>devnotify daemon ...</c>: replaces this process with <c>devnotify-daemon ...</c> (execv), installed next to
/// devnotify. Exec rather than spawn so the pid a supervisor started (systemd's MainPID, a test's kill) is the
/// broker's own, and its signals, exit code and standard streams are the broker's, with no CLI process left between.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class DaemonLauncher
{
    internal const string ExecutableName = "devnotify-daemon";

    /// <summary>
    /// Where the broker is, relative to this CLI in <paramref name="baseDirectory"/>: under the <c>dotnet</c> host (a
    /// framework-dependent CLI run as <c>dotnet devnotify.dll</c> or installed as a tool) the same host runs
    /// <c>devnotify-daemon.dll</c>; otherwise the <c>devnotify-daemon</c> executable beside it (a published or
    /// single-file CLI); failing that, the dll under the host of the runtime this CLI runs on. Returns the argv to exec
    /// (argv[0] is the program), or null when the broker is not installed here.
    /// </summary>
    /// <remarks>
    /// An executable counts only with an execute bit: a dotnet tool package carries the apphost without one.
    /// </remarks>
    internal static string[]? Resolve(IReadOnlyList<string> arguments, string baseDirectory, string? processPath, string? runtimeDirectory,
        Func<string, bool> exists, Func<string, bool> executable)
    {
        var dll = Path.Combine(baseDirectory, ExecutableName + ".dll");
        var apphost = Path.Combine(baseDirectory, ExecutableName);
        if (processPath is not null && Path.GetFileName(processPath) == "dotnet" && exists(dll))
            return [processPath, dll, .. arguments];
        if (executable(apphost))
            return [apphost, .. arguments];
        if (runtimeDirectory is not null && exists(dll))
        {
            // <root>/shared/Microsoft.NETCore.App/<version>/ -> <root>/dotnet
            var root = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
            var host = Path.Combine(root, "dotnet");
            if (executable(host))
                return [host, dll, .. arguments];
        }
        return null;
    }

    /// <summary>Execs the broker; returns only when that is impossible, having said why.</summary>
    internal static ExitCode Exec(IReadOnlyList<string> arguments, CliIo io)
    {
        var argv = Resolve(arguments, AppContext.BaseDirectory, Environment.ProcessPath, RuntimeEnvironment.GetRuntimeDirectory(), File.Exists, IsExecutable);
        if (argv is null)
        {
            io.Error.WriteLine($"devnotify daemon: the broker's program {ExecutableName} is not installed next to devnotify (looked in {AppContext.BaseDirectory}); run {ExecutableName} directly where it is installed.");
            return ExitCode.Failure;
        }
        io.Output.Flush();
        io.Error.Flush();
        var errno = ExecV(argv);
        io.Error.WriteLine($"devnotify daemon: cannot run {argv[0]}: {Marshal.GetPInvokeErrorMessage(errno)}");
        return errno is 1 or 13 ? ExitCode.NotPermitted : ExitCode.Failure; // EPERM, EACCES
    }

    private static bool IsExecutable(string path)
        => File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    /// <summary>execv(argv[0], argv); returns errno, having failed.</summary>
    private static unsafe int ExecV(string[] arguments)
    {
        var argv = (byte**)NativeMemory.AllocZeroed((nuint)(arguments.Length + 1), (nuint)sizeof(byte*));
        try
        {
            for (var i = 0; i < arguments.Length; i++)
                argv[i] = (byte*)Marshal.StringToCoTaskMemUTF8(arguments[i]);
            Interop.Execv(argv[0], argv);
            return Marshal.GetLastPInvokeError();
        }
        finally
        {
            for (var i = 0; i < arguments.Length; i++)
                Marshal.FreeCoTaskMem((IntPtr)argv[i]);
            NativeMemory.Free(argv);
        }
    }
}
