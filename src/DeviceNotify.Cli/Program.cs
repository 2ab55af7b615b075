using System.CommandLine;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using DeviceNotify.Cli;

[assembly: SupportedOSPlatform("linux")]

var root = new RootCommand("devnotify: Windows-style device notifications on Linux, from the kernel's own sources.")
{
    ListCommand.Create(),
    MonitorCommand.Create(),
    VolumesCommand.Create(),
    HoldersCommand.Create(),
    DismountCommand.Create(),
    LockCommand.Create(),
    EjectCommand.Create(),
};

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var e in parsed.Errors)
        Console.Error.WriteLine($"devnotify: {e.Message}");
    Console.Error.WriteLine("Try 'devnotify --help'.");
    return (int)ExitCode.BadArguments;
}

// Ctrl-C and SIGTERM end long-running verbs cleanly (exit 0): the verb sees its token cancelled, flushes and
// disposes. Registered before anything else runs so an early signal is not lost to the default handler.
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token).ConfigureAwait(false);

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
