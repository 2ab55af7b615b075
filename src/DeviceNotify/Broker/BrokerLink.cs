using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Broker;

// Implementation notes:
// - A watcher's way to the broker: the session for its handle registrations (BrokerSession) and the removal requests
//   of its RemovalCoordinator. Created with the watcher; it does no I/O until used.
// - "Without a broker the embedded behaviour stays": a request goes to the broker only when its socket exists and the
//   call reaches it. A socket nobody listens on (a broker that died) is the same as none: the request runs in process.
//   Once a call has reached the broker, its failure is an error, never a silent fallback (the broker may have asked
//   parties already; DESIGN.md §3).
// - The requester resolves the path itself (its mount namespace, its permissions) and sends the device number; the
//   broker never follows a client's path. The broker's reply names the parties of every process; the result's device
//   is the requester's own record of it.
/// <summary>The watcher's connection to the broker: handle registrations and removal requests.</summary>
internal sealed class BrokerLink : IDisposable
{
    private static readonly TimeSpan s_releaseBound = TimeSpan.FromSeconds(10);
    private readonly Lazy<GrpcChannel> _channel;
    private readonly Lazy<Wire.DeviceBroker.DeviceBrokerClient> _client;

    internal BrokerLink(string socketPath, ILogger logger)
    {
        SocketPath = socketPath;
        _channel = new(() => BrokerChannel.Create(socketPath));
        _client = new(() => new Wire.DeviceBroker.DeviceBrokerClient(_channel.Value));
        Session = new BrokerSession(socketPath, () => _client.Value, logger);
    }

    internal string SocketPath { get; }

    /// <summary>The link for a new watcher: none when the broker is disabled, or the watcher reads a source of its own choosing.</summary>
    internal static BrokerLink? For(DeviceWatcherOptions options, DeviceSource source, ILogger logger)
    {
        if (options.DisableBroker || !OperatingSystem.IsLinux())
            return null;
        if (options.Source is BrokerDeviceSource relayed)
            return new BrokerLink(options.BrokerSocketPath ?? relayed.SocketPath, logger);
        if (options.Source is not null && source is not BrokerDeviceSource)
            return null;
        return new BrokerLink(options.BrokerSocketPath ?? (source as BrokerDeviceSource)?.SocketPath ?? BrokerEndpoint.SocketPath, logger);
    }

    internal BrokerSession Session { get; }

    private bool Present => BrokerEndpoint.Exists(SocketPath);

    /// <summary>Dismount or eject through the broker; null when no broker answers (run it in process).</summary>
    internal async Task<RemovalResult?> TryRemoveAsync(RemovalOperation operation, Device device, string path, RemovalOptions options, CancellationToken cancellationToken)
    {
        if (!Present)
            return null;
        var request = WireRemoval.Request(device, path, options);
        try
        {
            var client = _client.Value;
            var reply = operation == RemovalOperation.Eject
                ? await client.EjectAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await client.DismountAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            return WireRemoval.Decode(reply, device);
        }
        catch (RpcException ex) when (BrokerChannel.NeverReached(ex))
        {
            return null;
        }
        catch (RpcException ex)
        {
            return Refused(ex, operation, device, cancellationToken);
        }
    }

    /// <summary>A lock through the broker (it holds the exclusive open for as long as the returned lock); null when no broker answers.</summary>
    internal async Task<VolumeLock?> TryLockAsync(Device device, string path, RemovalOptions options, CancellationToken cancellationToken)
    {
        if (!Present)
            return null;
        var lifetime = new CancellationTokenSource();
        AsyncDuplexStreamingCall<Wire.LockRequest, Wire.LockResponse>? call = null;
        try
        {
            call = _client.Value.Lock(cancellationToken: lifetime.Token);
            using var asking = cancellationToken.Register(lifetime.Cancel);
            await call.RequestStream.WriteAsync(new Wire.LockRequest { Lock = WireRemoval.Request(device, path, options) }, cancellationToken).ConfigureAwait(false);
            if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false) || call.ResponseStream.Current.KindCase != Wire.LockResponse.KindOneofCase.Result)
                throw new DeviceNotifyException($"The broker at {SocketPath} ended the lock request without a result.");
            var result = WireRemoval.Decode(call.ResponseStream.Current.Result, device);
            if (!result.Succeeded)
            {
                call.Dispose();
                lifetime.Dispose();
                return new VolumeLock(result, null, null);
            }
            return new VolumeLock(result, new RemoteLockHold(call, lifetime, SocketPath, s_releaseBound));
        }
        catch (RpcException ex) when (BrokerChannel.NeverReached(ex))
        {
            call?.Dispose();
            lifetime.Dispose();
            return null;
        }
        catch (RpcException ex)
        {
            call?.Dispose();
            lifetime.Dispose();
            return new VolumeLock(Refused(ex, RemovalOperation.Lock, device, cancellationToken), null, null);
        }
        catch
        {
            call?.Dispose();
            lifetime.Dispose();
            throw;
        }
    }

    /// <summary>The holders the broker sees (every user's processes); null when no broker answers.</summary>
    internal IReadOnlyList<PartyResponse>? TryFindHolders(Device device, string path, CancellationToken cancellationToken)
    {
        if (!Present)
            return null;
        try
        {
            var reply = _client.Value.FindHolders(new Wire.HoldersRequest { Device = WireRemoval.Number(device), Path = path }, cancellationToken: cancellationToken);
            return reply.Holders.Select(WireRemoval.Decode).ToList();
        }
        catch (RpcException ex) when (BrokerChannel.NeverReached(ex))
        {
            return null;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.PermissionDenied)
        {
            throw new UnauthorizedAccessException(ex.Status.Detail, ex);
        }
        catch (RpcException ex)
        {
            throw Failed(ex, cancellationToken);
        }
    }

    /// <summary>A call that reached the broker and failed: a refusal by rule is a NotPermitted result; anything else throws.</summary>
    private RemovalResult Refused(RpcException ex, RemovalOperation operation, Device device, CancellationToken cancellationToken)
    {
        if (ex.StatusCode == StatusCode.PermissionDenied)
            return new RemovalResult { Operation = operation, Device = device, Failure = RemovalFailure.NotPermitted, Error = ex.Status.Detail };
        throw Failed(ex, cancellationToken);
    }

    private Exception Failed(RpcException ex, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return new OperationCanceledException("The request was cancelled; the broker told everyone it asked that it failed.", ex, cancellationToken);
        if (ex.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound)
            return new ArgumentException(ex.Status.Detail, ex);
        return new DeviceNotifyException(
            $"The broker at {SocketPath} failed during the request ({ex.StatusCode}: {ex.Status.Detail}). It acts only after every party has answered, " +
            "so a broker that went away while asking did nothing; the parties it asked are told the request failed.", ex);
    }

    public void Dispose()
    {
        Session.Dispose();
        if (_channel.IsValueCreated)
            _channel.Value.Dispose();
    }
}
