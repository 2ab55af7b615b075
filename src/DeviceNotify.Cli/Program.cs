using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using DeviceNotify.Cli;

[assembly: SupportedOSPlatform("linux")]

// Ctrl-C and SIGTERM end long-running verbs cleanly (exit 0): the verb sees its token cancelled, flushes and
// disposes. Registered before anything else runs so an early signal is not lost to the default handler.
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return await CliApp.RunAsync(args, CliIo.Console(), stop.Token).ConfigureAwait(false);

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
