using System.Runtime.Versioning;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace DeviceNotify.Daemon.Peers;

/// <summary>Kestrel connection middleware: reads the peer's credentials once, at accept, and keeps them as a connection feature.</summary>
[SupportedOSPlatform("linux")]
internal static class PeerCredentialsMiddleware
{
    internal static IConnectionBuilder UsePeerCredentials(this IConnectionBuilder builder) => builder.Use(next => async context =>
    {
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket;
        using var credentials = socket is null ? null : PeerCredentials.FromSocket(socket);
        if (credentials is not null)
            context.Features.Set(credentials);
        await next(context).ConfigureAwait(false);
    });
}
