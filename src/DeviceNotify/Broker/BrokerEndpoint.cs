namespace DeviceNotify.Broker;

/// <summary>
/// Where the DeviceNotify broker (<c>devnotify daemon</c>) listens, and how the library finds it: the
/// <c>DEVNOTIFY_SOCKET</c> environment variable, or <see cref="DefaultSocketPath"/>.
/// </summary>
/// <remarks>
/// When the socket exists, a <see cref="DeviceWatcher"/> of the real kernel registers its handle registrations with the
/// broker too (so removal requests of other processes ask them), and its <see cref="RemovalCoordinator"/> sends
/// requests to the broker (so registrations of every process are asked). Without a broker everything stays in the
/// process. See <see cref="DeviceWatcherOptions.DisableBroker"/>.
/// </remarks>
public static class BrokerEndpoint
{
    /// <summary>The socket a broker started without <c>--socket</c> listens on.</summary>
    public const string DefaultSocketPath = "/run/devnotify/devnotify.sock";

    /// <summary>The environment variable that overrides <see cref="DefaultSocketPath"/> for clients (and for the daemon's default).</summary>
    public const string SocketVariable = "DEVNOTIFY_SOCKET";

    /// <summary>The version of the wire contract (<c>devnotify.v1</c> in <c>protos/</c>) this library speaks.</summary>
    public const int ProtocolVersion = 1;

    /// <summary>The socket path clients use: <c>DEVNOTIFY_SOCKET</c> when set and not empty, else <see cref="DefaultSocketPath"/>.</summary>
    public static string SocketPath => Environment.GetEnvironmentVariable(SocketVariable) is { Length: > 0 } path ? path : DefaultSocketPath;

    /// <summary>
    /// True when this process cannot receive trusted kernel events itself (it runs in a user namespace other than the
    /// initial one, where the kernel's credentials do not map to root): event streams then need the broker.
    /// </summary>
    public static bool KernelEventsUnreachable => OperatingSystem.IsLinux() && Linux.UserNamespaces.InForeignNamespace;

    /// <summary>True when a socket file exists at <paramref name="socketPath"/> (a cheap check: whether it answers is learned on use).</summary>
    internal static bool Exists(string socketPath) => File.Exists(socketPath);
}
