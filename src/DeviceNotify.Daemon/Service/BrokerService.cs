using System.Globalization;
using System.Runtime.Versioning;
using DeviceNotify.Broker;
using DeviceNotify.Daemon.Peers;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Daemon.Service;

// Implementation notes:
// - The handlers of devnotify.v1.DeviceBroker. Protocol mapping lives in DeviceNotify.Broker.Wire* (shared with the
//   client) and NotificationEncoder; this file is the server loop: who is calling, what they may do, and which part
//   of the broker answers.
// - Callers are known by SO_PEERCRED (PeerCredentials, per connection). Anyone may subscribe and register handles;
//   removal requests and holder lists follow RemovalRule, checked against the device node the broker sees for the
//   device number the client sent (the broker never follows a client's path). A call whose caller cannot be
//   identified may only say hello and subscribe.
// - Each removal request is one round (RoundContext): the sessions asked learn how it ended.
// - Failures are statuses with sentences: INVALID_ARGUMENT (bad options, filter), NOT_FOUND (no such device),
//   PERMISSION_DENIED (the rule), UNAVAILABLE (stopping).
/// <summary>The broker's gRPC service.</summary>
[SupportedOSPlatform("linux")]
internal sealed class BrokerService(BrokerState state)
{
    private static readonly string s_version = typeof(BrokerService).Assembly.GetName().Version?.ToString() ?? "?";
    private static readonly Lazy<string> s_bootId = new(() => ReadText("/proc/sys/kernel/random/boot_id"));

    public Task<Wire.HelloReply> Hello(Wire.HelloRequest request, ServerCallContext context)
    {
        var peer = Peer(context);
        state.Logger.LogDebug("Hello from {Client} ({Peer})", request.Client, peer);
        return Task.FromResult(new Wire.HelloReply
        {
            ProtocolVersion = BrokerEndpoint.ProtocolVersion,
            BrokerVersion = s_version,
            BrokerPid = Environment.ProcessId,
            Instance = state.Instance,
            BootId = s_bootId.Value,
            PeerPid = peer?.ProcessId ?? 0,
            PeerUid = peer?.UserId ?? uint.MaxValue,
            PeerGid = peer?.GroupId ?? uint.MaxValue,
        });
    }

    public async Task Subscribe(Wire.SubscribeRequest request, IServerStreamWriter<EncodedMessage> stream, ServerCallContext context)
    {
        var filter = Argument(() => WireFilters.Decode(request.Filter));
        int capacity = request.QueueCapacity == 0 ? state.Options.SubscriberQueue : (int)Math.Clamp(request.QueueCapacity, 64u, (uint)state.Options.MaxSubscriberQueue);
        var peer = Peer(context);
        string who = peer is null ? "(unknown peer)" : $"pid {peer.ProcessId} ({PeerProcess.Command(peer.ProcessId)})";
        var registration = new DeviceRegistration(state.Watcher.RunningDispatcher, filter, null,
            new RegistrationOptions { IncludeExisting = request.IncludeExisting, QueueCapacity = capacity, Name = "subscriber " + who });
        state.Watcher.RunningDispatcher.Register(registration);
        var subscriber = new Subscriber(registration, stream, state, capacity, context.CancellationToken, who);
        Interlocked.Increment(ref state.Subscribers);
        state.Stalls.Add(subscriber);
        try
        {
            await subscriber.RunAsync(request.IncludeExisting).ConfigureAwait(false);
        }
        finally
        {
            state.Stalls.Remove(subscriber);
            Interlocked.Decrement(ref state.Subscribers);
            await registration.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async Task Session(IAsyncStreamReader<Wire.SessionRequest> requests, IServerStreamWriter<Wire.SessionResponse> responses, ServerCallContext context)
    {
        var peer = Peer(context) ?? throw new RpcException(new Status(StatusCode.Unauthenticated,
            "The broker cannot tell who is calling (no SO_PEERCRED): sessions are served on its Unix socket only."));
        using var session = new ClientSession(state, peer, context.CancellationToken);
        Interlocked.Increment(ref state.Sessions);
        state.Stalls.Add(session);
        var writer = session.WriteLoopAsync(responses);
        try
        {
            while (await requests.MoveNext(session.Token).ConfigureAwait(false))
                await session.HandleAsync(requests.Current).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (session.CutReason is { } reason)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "The broker ended the session: " + reason));
        }
        catch (OperationCanceledException) when (state.Stopping.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The broker is stopping; register again when it is back."));
        }
        finally
        {
            state.Stalls.Remove(session);
            Interlocked.Decrement(ref state.Sessions);
            session.End();
            await writer.ConfigureAwait(false);
        }
    }

    public Task<Wire.RemovalResult> Dismount(Wire.RemovalRequest request, ServerCallContext context)
        => RemoveAsync(RemovalOperation.Dismount, request, context);

    public Task<Wire.RemovalResult> Eject(Wire.RemovalRequest request, ServerCallContext context)
        => RemoveAsync(RemovalOperation.Eject, request, context);

    private async Task<Wire.RemovalResult> RemoveAsync(RemovalOperation operation, Wire.RemovalRequest request, ServerCallContext context)
    {
        var (device, peer) = Authorize(operation.ToString().ToLowerInvariant(), request.Device, context);
        var options = Argument(() => WireRemoval.Options(request));
        var round = RoundContext.Begin(Requester(peer));
        RemovalResult result;
        try
        {
            result = operation == RemovalOperation.Eject
                ? await state.Coordinator.EjectAsync(device.DevNode!, options, context.CancellationToken).ConfigureAwait(false)
                : await state.Coordinator.DismountAsync(device.DevNode!, options, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            round.End(false);
            throw Status(ex);
        }
        round.End(result.Succeeded);
        Log(operation, device, peer, result);
        return WireRemoval.Encode(result);
    }

    public async Task Lock(IAsyncStreamReader<Wire.LockRequest> requests, IServerStreamWriter<Wire.LockResponse> responses, ServerCallContext context)
    {
        var token = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, state.Stopping);
        try
        {
            if (!await requests.MoveNext(token.Token).ConfigureAwait(false) || requests.Current.KindCase != Wire.LockRequest.KindOneofCase.Lock)
                throw new RpcException(new Status(StatusCode.InvalidArgument, "The first message of a Lock call asks for the lock (LockRequest.lock)."));
            var request = requests.Current.Lock;
            var (device, peer) = Authorize("lock", request.Device, context);
            var options = Argument(() => WireRemoval.Options(request));
            var round = RoundContext.Begin(Requester(peer));
            VolumeLock held;
            try
            {
                held = await state.Coordinator.LockAsync(device.DevNode!, options, token.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                round.End(false);
                throw Status(ex);
            }
            round.End(held.IsHeld);
            Log(RemovalOperation.Lock, device, peer, held.Result);
            using (held)
            {
                await responses.WriteAsync(new Wire.LockResponse { Result = WireRemoval.Encode(held.Result) }, token.Token).ConfigureAwait(false);
                if (!held.IsHeld)
                    return;
                try
                {
                    while (await requests.MoveNext(token.Token).ConfigureAwait(false) && requests.Current.KindCase != Wire.LockRequest.KindOneofCase.Unlock)
                    {
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException or RpcException)
                {
                    // The holder went away (or the broker is stopping): the lock ends with its call.
                }
            }
            state.Logger.LogInformation("Released the lock of {Device} held for pid {Pid}", device.DevNode, peer.ProcessId);
            if (!token.IsCancellationRequested)
                await responses.WriteAsync(new Wire.LockResponse { Released = new Wire.Released() }, token.Token).ConfigureAwait(false);
        }
        finally
        {
            token.Dispose();
        }
    }

    public async Task<Wire.HoldersReply> FindHolders(Wire.HoldersRequest request, ServerCallContext context)
    {
        var (device, _) = Authorize("holders", request.Device, context);
        var holders = await Task.Run(() => state.Coordinator.FindHolders(device.DevNode!, context.CancellationToken), context.CancellationToken).ConfigureAwait(false);
        var reply = new Wire.HoldersReply { Device = WireDevices.Encode(device) };
        reply.Holders.AddRange(holders.Select(WireRemoval.Encode));
        return reply;
    }

    /// <summary>The target device and the caller, once the caller may act on it; a status naming the rule otherwise.</summary>
    private (Device Device, PeerCredentials Peer) Authorize(string operation, Wire.DeviceNumber? number, ServerCallContext context)
    {
        if (number is null || number.Major > int.MaxValue || number.Minor > int.MaxValue)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The request names no device number (major, minor)."));
        var device = state.Watcher.RunningDispatcher.FindByNumber((int)number.Major, (int)number.Minor, block: true);
        if (device?.DevNode is null)
            throw new RpcException(new Status(StatusCode.NotFound, $"The broker knows no block device {WireRemoval.Describe(number)} with a device node."));
        var peer = Peer(context) ?? throw new RpcException(new Status(StatusCode.PermissionDenied,
            $"{operation} of {device.DevNode} needs the caller's identity (SO_PEERCRED), and the broker cannot see it: call it on its Unix socket."));
        var groups = peer.IsRoot ? [] : PeerProcess.Groups(peer.ProcessId);
        // The groups were read from /proc/PID: they count only if PID is still the process that connected.
        if (!peer.IsRoot && !peer.StillTheSameProcess())
            groups = [];
        if (RemovalRule.Check(peer.UserId, peer.GroupId, groups, peer.ProcessId, operation, device.DevNode, DeviceNode.Of(device.DevNode, (int)number.Major, (int)number.Minor)) is { } refusal)
        {
            state.Logger.LogWarning("Refused: {Refusal}", refusal);
            throw new RpcException(new Status(StatusCode.PermissionDenied, refusal));
        }
        return (device, peer);
    }

    private static Wire.Requester Requester(PeerCredentials peer)
        => new() { Pid = peer.ProcessId, Uid = peer.UserId, ProcessName = PeerProcess.Command(peer.ProcessId) };

    private void Log(RemovalOperation operation, Device device, PeerCredentials peer, RemovalResult result)
        => state.Logger.LogInformation("{Operation} of {Device} for pid {Pid} (uid {Uid}): {Outcome}", operation, device.DevNode, peer.ProcessId, peer.UserId,
            result.Succeeded ? "done" : result.Error);

    private static PeerCredentials? Peer(ServerCallContext context) => context.GetHttpContext().Features.Get<PeerCredentials>();

    private static T Argument<T>(Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (ArgumentException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }
    }

    private static RpcException Status(Exception ex) => ex switch
    {
        RpcException rpc => rpc,
        OperationCanceledException => new RpcException(new Status(StatusCode.Cancelled, "The request was cancelled; everyone asked was told it failed.")),
        ArgumentException arg => new RpcException(new Status(StatusCode.InvalidArgument, arg.Message)),
        DeviceNotifyException dn => new RpcException(new Status(StatusCode.FailedPrecondition, dn.Message)),
        _ => new RpcException(new Status(StatusCode.Internal, $"{ex.GetType().Name}: {ex.Message}")),
    };

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }
}
