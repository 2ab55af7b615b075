using System.CommandLine;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;

namespace DeviceNotify.Daemon;

/// <summary>
/// <c>devnotify-daemon [--socket PATH] [--queue N] [--stall-timeout S] [--verbose]</c>: the broker as its own
/// executable. It is not a verb linked into <c>devnotify</c> because ASP.NET Core would then be part of every CLI
/// process: the single-file CLI grew from 21 to 44 MB and a monitor's resident memory by 4 MiB for a server it never
/// runs. <c>devnotify daemon ...</c> still works: the CLI replaces itself with this program (execv).
/// </summary>
[SupportedOSPlatform("linux")]
internal static class DaemonCommandLine
{
    internal static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var socket = new Option<string?>("--socket") { Description = $"The Unix socket to listen on (default: ${Broker.BrokerEndpoint.SocketVariable}, else {Broker.BrokerEndpoint.DefaultSocketPath})." };
        var queue = new Option<int>("--queue")
        {
            Description = "Notifications that may wait for one subscriber; a subscriber that falls further behind is cut off (told why) and resubscribes.",
            DefaultValueFactory = _ => BrokerOptions.DefaultSubscriberQueue,
        };
        var stall = new Option<double>("--stall-timeout")
        {
            Description = "Seconds one write may wait for a client that stopped reading before its call is reset.",
            DefaultValueFactory = _ => 120,
        };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log every registration and call (debug level)." };
        var root = new RootCommand("devnotify-daemon: the DeviceNotify broker. Device notifications and the removal negotiation for every process, gRPC over a Unix socket; runs until Ctrl-C or SIGTERM (Type=notify under systemd).")
        {
            socket, queue, stall, verbose,
        };
        root.SetAction(async (parse, ct) => (int)await ServeAsync(parse.GetValue(socket), parse.GetValue(queue), parse.GetValue(stall), parse.GetValue(verbose), error, ct).ConfigureAwait(false));
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors)
                error.WriteLine($"devnotify-daemon: {e.Message}");
            error.WriteLine("Try 'devnotify-daemon --help'.");
            return (int)DaemonExit.BadArguments;
        }
        var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null, Output = output, Error = error };
        return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<DaemonExit> ServeAsync(string? socketPath, int queue, double stallSeconds, bool verbose, TextWriter error, CancellationToken cancellationToken)
    {
        if (stallSeconds is not (> 0 and <= 86400))
        {
            error.WriteLine($"devnotify-daemon: --stall-timeout must be between 0 and 86400 seconds, not {stallSeconds}.");
            return DaemonExit.BadArguments;
        }
        var options = new BrokerOptions
        {
            SocketPath = socketPath,
            SubscriberQueue = queue,
            StallTimeout = TimeSpan.FromSeconds(stallSeconds),
            MinimumLogLevel = verbose ? LogLevel.Debug : LogLevel.Information,
        };
        BrokerServer server;
        try
        {
            server = await BrokerServer.StartAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return DaemonExit.Success;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Report(ex, options, error);
        }
        await server.RunAsync(cancellationToken).ConfigureAwait(false);
        return DaemonExit.Success;
    }

    /// <summary>Why the broker could not start, in one line, and the exit code that says so (from data, not message text).</summary>
    private static DaemonExit Report(Exception ex, BrokerOptions options, TextWriter error)
    {
        switch (ex)
        {
            case ArgumentException arg:
                // The message names the setting and what is accepted; say which option that setting came from.
                var message = arg.ParamName is { } p ? arg.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal) : arg.Message;
                var option = arg.ParamName switch
                {
                    nameof(BrokerOptions.SubscriberQueue) => "--queue: ",
                    nameof(BrokerOptions.SocketPath) => "--socket: ",
                    nameof(BrokerOptions.StallTimeout) => "--stall-timeout: ",
                    _ => "",
                };
                error.WriteLine($"devnotify-daemon: {option}{message}");
                return DaemonExit.BadArguments;
            case System.Net.Sockets.SocketException socket:
                error.WriteLine($"devnotify-daemon: cannot listen on {options.EffectiveSocketPath}: {socket.Message}");
                return socket.SocketErrorCode == System.Net.Sockets.SocketError.AccessDenied ? DaemonExit.NotPermitted : DaemonExit.Failure;
            case UnauthorizedAccessException:
                error.WriteLine($"devnotify-daemon: {ex.Message} (run as root)");
                return DaemonExit.NotPermitted;
            case DeviceNotifyException dn:
                error.WriteLine($"devnotify-daemon: {dn.Message}");
                return dn.IsPermissionDenied ? DaemonExit.NotPermitted : DaemonExit.Failure;
            case InvalidOperationException or IOException:
                error.WriteLine($"devnotify-daemon: {ex.Message}");
                return DaemonExit.Failure;
            default:
                error.WriteLine($"devnotify-daemon: {ex.GetType().Name}: {ex.Message}");
                return DaemonExit.Failure;
        }
    }
}
