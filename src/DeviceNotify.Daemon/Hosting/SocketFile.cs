using System.Net.Sockets;
using System.Runtime.Versioning;

namespace DeviceNotify.Daemon.Hosting;

// Implementation notes:
// - The broker binds its socket itself, then hands the listening descriptor to Kestrel (ListenHandle): the mode is
//   final before the first connection can arrive. bind() creates the file with 0777 & ~umask, so the umask is set to
//   0177 just around bind (the file is born 0600, never more open than meant), then the file is chmod'ed to 0666:
//   connecting needs write permission, and anyone may connect (authorization is per call, from SO_PEERCRED). A
//   RuntimeDirectory with a stricter mode restricts it further.
// - A socket file left by a broker that was killed (SIGKILL) makes bind fail with EADDRINUSE. At start the file is
//   probed: connection refused means nobody listens, so it is stale and removed; a successful connect means another
//   broker is running, which is an error (two brokers would each believe they own every registration).
// - On stop the file is removed only if it is still the one this broker bound (same inode), never a successor's.
/// <summary>The broker's listening Unix socket and its file.</summary>
[SupportedOSPlatform("linux")]
internal sealed class SocketFile : IDisposable
{
    private const uint PrivateUmask = 0x7F;   // 0177
    private const UnixFileMode EveryoneMayConnect = (UnixFileMode)0x1B6;   // 0666

    private readonly long _inode;   // the file this broker bound, so stopping never removes a successor's

    private SocketFile(string path, Socket socket, long inode)
    {
        Path = path;
        Socket = socket;
        _inode = inode;
    }

    internal string Path { get; }

    internal Socket Socket { get; }

    /// <summary>Creates the directory if needed, removes a stale socket, binds, sets the mode and listens.</summary>
    /// <exception cref="InvalidOperationException">Another broker listens on <paramref name="path"/>.</exception>
    internal static SocketFile Bind(string path, int backlog = 512)
    {
        string? directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        RemoveStale(path);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            uint saved = Interop.Umask(PrivateUmask);
            try
            {
                socket.Bind(new UnixDomainSocketEndPoint(path));
            }
            finally
            {
                Interop.Umask(saved);
            }
            File.SetUnixFileMode(path, EveryoneMayConnect);
            socket.Listen(backlog);
            return new SocketFile(path, socket, Inode(path));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Removes a socket file nobody listens on; throws when a broker answers on it.</summary>
    internal static void RemoveStale(string path)
    {
        if (!File.Exists(path))
            return;
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            File.Delete(path);
            return;
        }
        throw new InvalidOperationException($"Another broker is listening on {path}; stop it first, or give this one another --socket.");
    }

    public void Dispose()
    {
        Socket.Dispose();
        try
        {
            if (Inode(Path) == _inode)
                File.Delete(Path);
        }
        catch (IOException)
        {
        }
    }

    private static long Inode(string path) => PathStat.TryStat(path, DeviceNotify.Interop.STATX_INO, out var st) ? (long)st.Inode : -1;
}
