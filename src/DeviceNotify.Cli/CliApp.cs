using System.CommandLine;

namespace DeviceNotify.Cli;

/// <summary>Builds the command line and runs one invocation: the whole CLI, callable in process.</summary>
internal static class CliApp
{
    internal static async Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancellationToken)
    {
        // The broker's arguments are its own (help included): hand them over untouched.
        if (args.Length > 0 && args[0] == DaemonCommand.Name)
            return (int)DaemonLauncher.Exec(args[1..], io);
        var root = new RootCommand("devnotify: Windows-style device notifications on Linux, from the kernel's own sources.")
        {
            ListCommand.Create(io),
            MonitorCommand.Create(io),
            VolumesCommand.Create(io),
            HoldersCommand.Create(io),
            DismountCommand.Create(io),
            LockCommand.Create(io),
            EjectCommand.Create(io),
            DaemonCommand.Create(),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors)
                io.Error.WriteLine($"devnotify: {e.Message}");
            io.Error.WriteLine("Try 'devnotify --help'.");
            return (int)ExitCode.BadArguments;
        }
        var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null, Output = new StreamWriter(io.Output) { AutoFlush = true }, Error = io.Error };
        return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
