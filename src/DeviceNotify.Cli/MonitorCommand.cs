using System.CommandLine;
using System.Globalization;
using System.Runtime.Versioning;
using DeviceNotify.Linux;

namespace DeviceNotify.Cli;

/// <summary>The arguments of <c>devnotify monitor</c>.</summary>
internal sealed record MonitorArgs(string? Class, string? Subsystem, bool IncludeExisting, bool Json, int? ReceiveBuffer = null, bool Broker = false);

/// <summary>
/// <c>devnotify monitor</c>: with no filter every kernel uevent (as <c>udevadm monitor</c>); with --class or
/// --subsystem the matching interfaces' arrivals and removals. Ends with exit 0 on Ctrl-C, SIGTERM, or when its
/// output's reader goes away (<c>| head -1</c>); with exit 1 when the source fails.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class MonitorCommand
{
    internal static Command Create(CliIo io)
    {
        var cls = FilterOptions.Class();
        var subsystem = FilterOptions.Subsystem();
        var json = FilterOptions.Json();
        var existing = new Option<bool>("--include-existing", "-e") { Description = "First report every matching device or interface present now (exactly once), then live events." };
        var buffer = new Option<int?>("--receive-buffer") { Description = "Netlink receive buffer to ask for, in bytes (default 128 MiB; capped at net.core.rmem_max without root)." };
        var broker = new Option<bool>("--broker") { Description = "Get the events from the broker (devnotify daemon) instead of the kernel; the default where the kernel's events cannot be read (a foreign user namespace)." };
        var command = new Command("monitor", "Print device events as they happen, until Ctrl-C.") { cls, subsystem, existing, json, buffer, broker };
        command.SetAction(async (parse, ct) => (int)await RunAsync(
            new MonitorArgs(parse.GetValue(cls), parse.GetValue(subsystem), parse.GetValue(existing), parse.GetValue(json), parse.GetValue(buffer), parse.GetValue(broker)),
            io, null, ct).ConfigureAwait(false));
        return command;
    }

    /// <param name="args">What to watch and how to print it.</param>
    /// <param name="io">Where to write.</param>
    /// <param name="source">The source to watch; null for the kernel (tests pass a simulated one).</param>
    /// <param name="cancellationToken">Ctrl-C / SIGTERM.</param>
    internal static async Task<ExitCode> RunAsync(MonitorArgs args, CliIo io, DeviceSource? source, CancellationToken cancellationToken)
    {
        var error = io.Error;
        var classes = FilterOptions.ResolveClasses(args.Class, args.Subsystem, out var message);
        if (classes is null)
        {
            error.WriteLine($"devnotify monitor: {message}");
            return ExitCode.BadArguments;
        }
        if (args.ReceiveBuffer is <= 0)
        {
            error.WriteLine($"devnotify monitor: --receive-buffer must be a positive number of bytes, not {args.ReceiveBuffer}.");
            return ExitCode.BadArguments;
        }
        var filter = classes.Count == 0 ? DeviceFilter.AllDevices : DeviceFilter.ForInterfaces([.. classes]);
        var youngGeneration = YoungGenerationCap.FromEnvironment(out var capError);
        if (capError is not null)
        {
            error.WriteLine($"devnotify monitor: {capError}");
            return ExitCode.BadArguments;
        }
        // [broker] Relayed events when asked, or where this process cannot read trusted kernel events and a broker listens.
        if (source is null && (args.Broker || (Broker.BrokerEndpoint.KernelEventsUnreachable && File.Exists(Broker.BrokerEndpoint.SocketPath))))
        {
            source = new Broker.BrokerDeviceSource();
            error.WriteLine($"devnotify monitor: events relayed by the broker at {Broker.BrokerEndpoint.SocketPath}" +
                (args.Broker ? "." : " (this process is in a user namespace of its own, where the kernel's events cannot be trusted)."));
        }
        source ??= new KernelDeviceSource(new KernelDeviceSourceOptions
        {
            ReceiveBufferSize = args.ReceiveBuffer ?? KernelDeviceSourceOptions.DefaultReceiveBufferSize,
        });
        using var watcher = Failures.StartWatcher("monitor", source, error, out var failed);
        if (watcher is null)
            return failed;
        if (source is KernelDeviceSource kernel)
            DescribeBuffer(kernel, error);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var outputWatch = new OutputClosedWatch(io.OutputFd, stop);
        var formatter = new NotificationFormatter(io.Output, args.Json);
        var gate = new object();
        Exception? sourceFailure = null;
        watcher.Error += (_, e) =>
        {
            lock (gate)
                error.WriteLine($"devnotify monitor: {e.Exception.Message}");
        };
        var options = new RegistrationOptions
        {
            IncludeExisting = args.IncludeExisting,
            QueueDrained = () =>
            {
                Write(formatter.Flush, stop);
                youngGeneration?.Check();
            },
            Name = "devnotify monitor",
            // The formatter only writes to a buffer (flushed once per batch): it runs on the reader thread itself,
            // which saves a thread wake-up per batch (bench/README: CPU per event and the latency tail).
            InlineDelivery = true,
        };
        var registration = watcher.Register(filter, n =>
        {
            if (n.Action == NotificationAction.Ended)
            {
                sourceFailure = n.End!.Error;
                stop.Cancel();
                return;
            }
            Write(() => formatter.Write(n), stop);
            if (n.Action == NotificationAction.Overflow)
            {
                lock (gate)
                    error.WriteLine($"devnotify monitor: {n.Overflow!.Kind} overflow; resynchronised from sysfs (synthesized events are marked).");
            }
        }, options);

        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C, SIGTERM, the output's reader went away, or the source ended: all normal ways to stop.
        }
        await registration.DisposeAsync().ConfigureAwait(false);
        Write(formatter.Flush, stop);

        var s = watcher.GetStatistics();
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SUMMARY {{\"events\":{s.EventsReceived},\"enobufs\":{s.KernelOverflows},\"resyncs\":{s.Resynchronizations},\"queue_overflows\":{s.QueueOverflows},\"rejected\":{s.RejectedSender + s.RejectedCredentials},\"malformed\":{s.Malformed + s.Truncated},\"dropped_notifications\":{registration.DroppedNotifications}}}"));
        if (sourceFailure is not null)
            return Failures.Report("monitor", sourceFailure, error);
        return ExitCode.Success;
    }

    /// <summary>Writes to the output; when its reader is gone (EPIPE), stops the monitor instead of failing every later write.</summary>
    private static void Write(Action write, CancellationTokenSource stop)
    {
        if (stop.IsCancellationRequested)
            return;
        try
        {
            write();
        }
        catch (IOException)
        {
            stop.Cancel();
        }
    }

    private static void DescribeBuffer(KernelDeviceSource kernel, TextWriter error)
    {
        if (kernel.ReceiveBufferForced)
            return;
        error.WriteLine(
            $"devnotify monitor: not privileged (no CAP_NET_ADMIN): monitoring and listing work, but the receive buffer is capped at " +
            $"net.core.rmem_max ({kernel.ReceiveBufferBytes} bytes effective). If a burst overflows it, events are resynchronised from sysfs " +
            "and marked synthesized. Removal requests (dismount, eject) need root.");
    }
}
