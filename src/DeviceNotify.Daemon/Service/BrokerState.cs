using Microsoft.Extensions.Logging;

namespace DeviceNotify.Daemon.Service;

/// <summary>
/// What every call shares: the broker's watcher of the kernel and its coordinator (embedded: the broker never asks
/// another broker), the encoder, the directory of remote parties, the stall watch, and the token that fires when the
/// broker stops.
/// </summary>
internal sealed class BrokerState : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    internal BrokerState(DeviceWatcher watcher, BrokerOptions options, ILogger logger)
    {
        Watcher = watcher;
        Coordinator = new RemovalCoordinator(watcher);
        Options = options;
        Logger = logger;
        Stalls = new StallWatch(options.StallTimeout);
    }

    internal DeviceWatcher Watcher { get; }

    internal RemovalCoordinator Coordinator { get; }

    internal BrokerOptions Options { get; }

    internal ILogger Logger { get; }

    internal NotificationEncoder Encoder { get; } = new();

    internal StallWatch Stalls { get; }

    /// <summary>New at every start: a client that sees another one knows the broker restarted.</summary>
    internal string Instance { get; } = Guid.NewGuid().ToString("N");

    internal CancellationToken Stopping => _stopping.Token;

    internal int Subscribers;

    internal int Sessions;

    /// <summary>Long-lived calls end now (subscribers get UNAVAILABLE, sessions end), so the host stops promptly.</summary>
    internal void BeginStopping() => _stopping.Cancel();

    /// <summary>Idempotent: the host's container disposes it too.</summary>
    public void Dispose()
    {
        BeginStopping();
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        Stalls.Dispose();
        Watcher.Dispose();
        // _stopping is not disposed: late calls may still ask for its token (it holds no timer).
    }
}
