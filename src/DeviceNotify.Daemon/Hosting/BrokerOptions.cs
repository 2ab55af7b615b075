namespace DeviceNotify.Daemon;

/// <summary>Settings of a <see cref="BrokerServer"/> (<c>devnotify daemon</c>).</summary>
public sealed class BrokerOptions
{
    /// <summary>Default notifications that may wait for one subscriber: above the 6000 uevents of a 1000-tap storm.</summary>
    public const int DefaultSubscriberQueue = 8192;

    /// <summary>The Unix socket to listen on; null for <c>DEVNOTIFY_SOCKET</c>, else <c>/run/devnotify/devnotify.sock</c>.</summary>
    public string? SocketPath { get; init; }

    /// <summary>Notifications that may wait for a subscriber that does not ask for a size; a subscriber whose queue fills is cut off.</summary>
    public int SubscriberQueue { get; init; } = DefaultSubscriberQueue;

    /// <summary>The largest queue a subscriber may ask for.</summary>
    public int MaxSubscriberQueue { get; init; } = 65536;

    /// <summary>How long one write to a client may wait for it to read before its call is reset (it stopped reading).</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Messages that may wait for a session's client (questions, notices); a session whose queue fills is ended.</summary>
    public int SessionQueue { get; init; } = 4096;

    /// <summary>The largest message a client may send, in bytes (larger ones end the call with RESOURCE_EXHAUSTED).</summary>
    public int MaxMessageSize { get; init; } = 64 * 1024;

    /// <summary>Connections served at once.</summary>
    public int MaxConnections { get; init; } = 1024;

    /// <summary>Handle registrations one session may hold.</summary>
    public int MaxRegistrationsPerSession { get; init; } = 4096;

    /// <summary>The least important log messages written (to standard error, or the journal under systemd).</summary>
    public Microsoft.Extensions.Logging.LogLevel MinimumLogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Information;

    /// <summary>The socket path in effect.</summary>
    public string EffectiveSocketPath => string.IsNullOrEmpty(SocketPath) ? Broker.BrokerEndpoint.SocketPath : SocketPath;

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting that cannot be honoured.</summary>
    public void Validate()
    {
        if (SubscriberQueue < 16 || SubscriberQueue > MaxSubscriberQueue)
            throw new ArgumentException($"The subscriber queue must be between 16 and {MaxSubscriberQueue} notifications, not {SubscriberQueue}.", nameof(SubscriberQueue));
        if (StallTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"The stall timeout must be positive, not {StallTimeout}.", nameof(StallTimeout));
        if (SessionQueue < 16)
            throw new ArgumentException($"The session queue must be at least 16 messages, not {SessionQueue}.", nameof(SessionQueue));
        if (MaxMessageSize < 1024)
            throw new ArgumentException($"The largest message must be at least 1024 bytes, not {MaxMessageSize}.", nameof(MaxMessageSize));
        if (MaxConnections < 1 || MaxRegistrationsPerSession < 1)
            throw new ArgumentException("MaxConnections and MaxRegistrationsPerSession must be positive.");
        var path = EffectiveSocketPath;
        if (!path.StartsWith('/') || System.Text.Encoding.UTF8.GetByteCount(path) > 107)
            throw new ArgumentException($"The socket path must be absolute and at most 107 bytes (sun_path), not '{path}'.", nameof(SocketPath));
    }
}
