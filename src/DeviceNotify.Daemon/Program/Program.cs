using System.Runtime.InteropServices;
using DeviceNotify.Daemon;

// SIGTERM (systemd's stop) and Ctrl-C end the broker cleanly: the token is cancelled, the server drains and removes
// its socket. Registered before anything else runs so an early signal is not lost to the default handler.
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return await DaemonCommandLine.RunAsync(args, Console.Out, Console.Error, stop.Token).ConfigureAwait(false);

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
