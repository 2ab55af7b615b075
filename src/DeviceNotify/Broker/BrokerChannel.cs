using System.Net.Http;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;

namespace DeviceNotify.Broker;

// Implementation notes:
// - gRPC over a Unix socket: HTTP/2 with prior knowledge to "http://localhost", the connection made by a
//   ConnectCallback that connects the socket path. One handler per channel; several HTTP/2 connections when one
//   connection's stream limit (Kestrel's default: 100) is reached.
// - A call that fails before it reached a broker (no socket file, connection refused: a broker that died and left
//   its socket) is told apart from one that failed after: the first means "no broker here, stay embedded", the
//   second "the broker went away during the call".
/// <summary>Creates channels to the broker and classifies their failures.</summary>
internal static class BrokerChannel
{
    internal static GrpcChannel Create(string socketPath) => GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            EnableMultipleHttp2Connections = true,
            // A broker that stops answering on an idle stream (a session waiting for questions) is noticed.
            KeepAlivePingDelay = TimeSpan.FromSeconds(20),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
        },
        DisposeHttpClient = true,
    });

    /// <summary>True when the call never reached a broker: the socket could not be connected.</summary>
    internal static bool NeverReached(RpcException exception)
    {
        if (exception.StatusCode != StatusCode.Unavailable)
            return false;
        for (Exception? e = exception.Status.DebugException; e is not null; e = e.InnerException)
        {
            if (e is SocketException)
                return true;
        }
        return false;
    }
}
