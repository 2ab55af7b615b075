namespace DeviceNotify.Cli;

// Implementation notes:
// - `devnotify monitor | head -1` must end when head exits, as `udevadm monitor` does. A write to a pipe without a
//   reader fails (EPIPE: .NET ignores SIGPIPE), but a monitor that sees no more events would never write again.
//   poll(2) on the write end of a pipe whose readers are all gone reports POLLERR at once (pipe_poll), and a
//   socket or terminal whose peer hung up reports POLLHUP; asking for no events means only those wake it. A
//   regular file never does, so the watch just sleeps there.
// - One background thread, polling with a timeout so it also notices the verb ending.
/// <summary>Cancels a token when the reader of the process's stdout goes away.</summary>
internal sealed class OutputClosedWatch : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread? _thread;

    internal OutputClosedWatch(int? fd, CancellationTokenSource onClosed)
    {
        if (fd is not int f)
            return;
        using (ExecutionContext.SuppressFlow())
        {
            _thread = new Thread(() => Watch(f, onClosed)) { IsBackground = true, Name = "devnotify stdout watch" };
            _thread.Start();
        }
    }

    private unsafe void Watch(int fd, CancellationTokenSource onClosed)
    {
        var p = new Interop.PollFd { Fd = fd, Events = 0 };
        while (!_stop.IsCancellationRequested)
        {
            int rc = Interop.Poll(&p, 1, 200);
            if (rc > 0 && (p.REvents & (Interop.POLLERR | Interop.POLLHUP | Interop.POLLNVAL)) != 0)
            {
                try
                {
                    onClosed.Cancel();
                }
                catch (ObjectDisposedException)
                {
                }
                return;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join();
        _stop.Dispose();
    }
}
