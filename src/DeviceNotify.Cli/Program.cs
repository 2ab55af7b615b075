using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using DeviceNotify.Cli;

[assembly: SupportedOSPlatform("linux")]

// Ctrl-C and SIGTERM end long-running verbs cleanly (exit 0): the verb sees its token cancelled, flushes and
// disposes. Registered before anything else runs so an early signal is not lost to the default handler.
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
var exitCode = await CliApp.RunAsync(args, CliIo.Console(), stop.Token).ConfigureAwait(false);

// Every verb has flushed and closed what it wrote by now (its output is an unbuffered stdout stream, errors go to the
// auto-flushing Console.Error), so the runtime's orderly shutdown has nothing left to do for us, yet it is 5 ms of a
// 60 ms `devnotify list` (measured with timestamps around Main; README "Start-up"): end here.
Interop.Exit(exitCode);
return exitCode;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
