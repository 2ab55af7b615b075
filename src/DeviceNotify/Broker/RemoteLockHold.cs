using Grpc.Core;
using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Broker;

/// <summary>
/// A lock the broker holds for this process: the Lock call stays open while it is held. Releasing sends Unlock and
/// waits (bounded) for the broker's Released, so a request made right after the release finds the volume free.
/// </summary>
internal sealed class RemoteLockHold(AsyncDuplexStreamingCall<Wire.LockRequest, Wire.LockResponse> call, CancellationTokenSource lifetime,
    string socketPath, TimeSpan releaseBound) : IDisposable
{
    public void Dispose()
    {
        try
        {
            ReleaseAsync().Wait(releaseBound);
        }
        catch (AggregateException)
        {
            // The broker went away: it released the lock when the call broke.
        }
        finally
        {
            lifetime.Cancel();
            call.Dispose();
            lifetime.Dispose();
        }
    }

    private async Task ReleaseAsync()
    {
        try
        {
            await call.RequestStream.WriteAsync(new Wire.LockRequest { Unlock = new Wire.Unlock() }).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            while (await call.ResponseStream.MoveNext(CancellationToken.None).ConfigureAwait(false))
            {
                if (call.ResponseStream.Current.KindCase == Wire.LockResponse.KindOneofCase.Released)
                    return;
            }
        }
        catch (RpcException ex)
        {
            throw new DeviceNotifyException($"The broker at {socketPath} did not confirm the release ({ex.StatusCode}); it releases a lock whose call broke.", ex);
        }
    }
}
