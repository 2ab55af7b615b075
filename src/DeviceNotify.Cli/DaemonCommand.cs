using System.CommandLine;
using System.Runtime.Versioning;
using DeviceNotify.Daemon;

namespace DeviceNotify.Cli;

/// <summary>The arguments of <c>devnotify daemon</c>.</summary>
internal sealed record DaemonArgs(string? Socket, int Queue, double StallTimeoutSeconds, bool Verbose);

/// <summary>
/// <c>devnotify daemon [--socket PATH]</c>: the broker. Serves device notifications and the removal negotiation to
/// every process (gRPC over a Unix socket) until Ctrl-C or SIGTERM; under systemd it reports readiness (Type=notify).
/// </summary>
[SupportedOSPlatform("linux")]
internal static class DaemonCommand
{
    internal static Command Create(CliIo io)
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
        var command = new Command("daemon", "Run the broker: notifications and removal negotiation for every process, over a Unix socket.") { socket, queue, stall, verbose };
        command.SetAction(async (parse, ct) => (int)await RunAsync(new DaemonArgs(parse.GetValue(socket), parse.GetValue(queue), parse.GetValue(stall), parse.GetValue(verbose)),
            io, ct).ConfigureAwait(false));
        return command;
    }

    internal static async Task<ExitCode> RunAsync(DaemonArgs args, CliIo io, CancellationToken cancellationToken)
    {
        if (args.StallTimeoutSeconds is not (> 0 and <= 86400))
        {
            io.Error.WriteLine($"devnotify daemon: --stall-timeout must be between 0 and 86400 seconds, not {args.StallTimeoutSeconds}.");
            return ExitCode.BadArguments;
        }
        var options = new BrokerOptions
        {
            SocketPath = args.Socket,
            SubscriberQueue = args.Queue,
            StallTimeout = TimeSpan.FromSeconds(args.StallTimeoutSeconds),
            MinimumLogLevel = args.Verbose ? Microsoft.Extensions.Logging.LogLevel.Debug : Microsoft.Extensions.Logging.LogLevel.Information,
        };
        BrokerServer server;
        try
        {
            server = await BrokerServer.StartAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return ExitCode.Success;
        }
        catch (InvalidOperationException ex)
        {
            io.Error.WriteLine($"devnotify daemon: {ex.Message}");
            return ExitCode.Failure;
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            io.Error.WriteLine($"devnotify daemon: cannot listen on {options.EffectiveSocketPath}: {ex.Message}");
            return ex.SocketErrorCode == System.Net.Sockets.SocketError.AccessDenied ? ExitCode.NotPermitted : ExitCode.Failure;
        }
        catch (Exception ex) when (ex is ArgumentException or DeviceNotifyException or UnauthorizedAccessException or IOException)
        {
            return ex is IOException ? Failures.Report("daemon", new DeviceNotifyException(ex.Message, ex), io.Error) : Failures.Report("daemon", ex, io.Error);
        }
        await server.RunAsync(cancellationToken).ConfigureAwait(false);
        return ExitCode.Success;
    }
}
