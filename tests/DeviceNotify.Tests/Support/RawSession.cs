using System.Collections.Concurrent;
using DeviceNotify.Broker;
using System.Runtime.InteropServices;
using Grpc.Core;
using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Tests.Support;

/// <summary>A Session call spoken by hand (as a client in another language would), to test the broker's rules.</summary>
internal sealed class RawSession : IDisposable
{
    private readonly AsyncDuplexStreamingCall<Wire.SessionRequest, Wire.SessionResponse> _call;
    private readonly BlockingCollection<Wire.SessionResponse> _received = [];
    private readonly CancellationTokenSource _cancel = new();
    private readonly SemaphoreSlim _write = new(1);

    public RawSession(Wire.DeviceBroker.DeviceBrokerClient client)
    {
        _call = client.Session(cancellationToken: _cancel.Token);
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var m in _call.ResponseStream.ReadAllAsync())
                    _received.Add(m);
            }
            catch (RpcException)
            {
            }
            finally
            {
                _received.CompleteAdding();
            }
        });
    }

    public void Send(Wire.SessionRequest request)
    {
        _write.Wait();
        try
        {
            _call.RequestStream.WriteAsync(request).GetAwaiter().GetResult();
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>Registers a handle this process holds; returns the broker's acknowledgement.</summary>
    public Wire.Registered Register(ulong id, SafeHandle handle, string name)
    {
        Send(new Wire.SessionRequest
        {
            Register = new Wire.RegisterHandle { Registration = id, Handle = WireRemoval.Encode(HandleIdentity.Of(handle)), Name = name },
        });
        return Next(Wire.SessionResponse.KindOneofCase.Registered).Registered;
    }

    public void Answer(ulong question, string? veto)
        => Send(new Wire.SessionRequest
        {
            Answer = veto is null
                ? new Wire.Answer { Question = question, Accept = new Wire.Accept() }
                : new Wire.Answer { Question = question, Veto = new Wire.Veto { Reason = veto } },
        });

    /// <summary>The next message of <paramref name="kind"/> (others before it are skipped); throws on timeout.</summary>
    public Wire.SessionResponse Next(Wire.SessionResponse.KindOneofCase kind)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Expected;
        while (DateTime.UtcNow < deadline)
        {
            if (_received.TryTake(out var m, TimeSpan.FromMilliseconds(100)) && m.KindCase == kind)
                return m;
        }
        throw new TimeoutException($"no {kind} from the broker");
    }

    /// <summary>Ends the call from this side, as a client that goes away.</summary>
    public void Cancel() => _cancel.Cancel();

    public void Dispose()
    {
        _cancel.Cancel();
        _call.Dispose();
    }
}
