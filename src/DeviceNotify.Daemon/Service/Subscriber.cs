using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Daemon.Service;

// Implementation notes:
// - Each subscriber is a registration on the broker's own watcher, read directly (as WatchAsync reads one), so it
//   has every guarantee of DESIGN.md §2 from the same code: exactly-once enumeration, pairing, kernel order, and
//   overflow notices plus synthesized events after a kernel overflow at the broker.
// - Enumeration: Register queues every include-existing arrival under the dispatcher's lock before it returns, so
//   everything in the queue right after it, up to the first notification of another origin, is the enumeration.
//   EnumerationComplete follows it.
// - The registration's queue is the subscriber's bounded queue (its capacity). When the client falls that far behind
//   (it stopped reading), the registration stops queueing: the broker's memory for it is bounded and nobody else
//   waits. The subscriber is then cut off: it gets what was queued before the overflow, then CutOff saying why, then
//   status RESOURCE_EXHAUSTED; subscribing again with include_existing resynchronises it (the library does that).
//   A client that never reads again is reset by the StallWatch after the stall timeout.
// - Writes: bytes pre-encoded by the NotificationEncoder; notifications already waiting are written with BufferHint
//   and flushed with the last one, or once 16 KiB are unflushed, so a burst costs one flush per 16 KiB rather than one
//   per event. The bound matters: bytes written with BufferHint wait unflushed in the response pipe, outside its
//   back-pressure; without it a burst moved every subscriber's whole backlog there (measured: 343 MB peak RSS for 200
//   subscribers in a 1000-tap storm).
/// <summary>One Subscribe call.</summary>
internal sealed class Subscriber(DeviceRegistration registration, IServerStreamWriter<EncodedMessage> stream, BrokerState state,
    int capacity, CancellationToken call, string who) : IStallable
{
    private static readonly WriteOptions s_buffered = new(WriteFlags.BufferHint);
    private const int FlushEvery = 16 * 1024;
    private readonly CancellationTokenSource _cancel = CancellationTokenSource.CreateLinkedTokenSource(call, state.Stopping);
    private long _writeStartedAt;
    private long _written;
    private int _unflushed;

    public long WriteStartedAt => Volatile.Read(ref _writeStartedAt);

    internal long Written => Interlocked.Read(ref _written);

    internal async Task RunAsync(bool includeExisting)
    {
        try
        {
            var reader = registration.Reader;
            var enumerated = new List<DeviceNotification>();
            DeviceNotification? firstLive = null;
            if (includeExisting)
            {
                while (reader.TryRead(out var n))
                {
                    registration.OnDequeued();
                    if (n.Origin != NotificationOrigin.Enumeration)
                    {
                        firstLive = n;
                        break;
                    }
                    enumerated.Add(n);
                }
            }
            foreach (var n in enumerated)
                await WriteAsync(state.Encoder.Encode(n), more: true).ConfigureAwait(false);
            var complete = new Wire.SubscribeResponse { EnumerationComplete = new Wire.EnumerationComplete { Count = (uint)enumerated.Count } };
            await WriteAsync(NotificationEncoder.Encode(complete), more: firstLive is not null).ConfigureAwait(false);
            if (firstLive is not null)
                await DeliverAsync(firstLive, more: reader.TryPeek(out _)).ConfigureAwait(false);

            while (await reader.WaitToReadAsync(_cancel.Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var n))
                {
                    registration.OnDequeued();
                    await DeliverAsync(n, more: reader.TryPeek(out _)).ConfigureAwait(false);
                }
            }
            throw new RpcException(new Status(StatusCode.Unavailable, "The broker is stopping; subscribe again when it is back."));
        }
        catch (OperationCanceledException) when (state.Stopping.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The broker is stopping; subscribe again when it is back."));
        }
    }

    private async Task DeliverAsync(DeviceNotification n, bool more)
    {
        if (n.Action == NotificationAction.Ended)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, n.End!.Reason == EndReason.SourceFailed
                ? $"The broker's device source failed ({n.End.Error?.Message}); subscribe again when the broker is back."
                : "The broker is stopping; subscribe again when it is back."));
        }
        await WriteAsync(state.Encoder.Encode(n), more).ConfigureAwait(false);
        if (registration.DroppedNotifications > 0)
            await CutOffAsync().ConfigureAwait(false);
    }

    /// <summary>The queue filled: deliver what was queued before the overflow, then say why, then end the call.</summary>
    private async Task CutOffAsync()
    {
        await registration.DisposeAsync().ConfigureAwait(false);
        var reader = registration.Reader;
        while (reader.TryRead(out var n))
        {
            registration.OnDequeued();
            if (n.Action == NotificationAction.Ended)
                break;
            await WriteAsync(state.Encoder.Encode(n), more: true).ConfigureAwait(false);
        }
        string reason = string.Create(CultureInfo.InvariantCulture,
            $"the subscriber's queue of {capacity} notifications filled (it stopped reading, or read slower than events came); everything queued before that was delivered. Subscribe again with include_existing to resynchronise.");
        state.Logger.LogWarning("Cut off subscriber {Who}: {Reason}", who, reason);
        await WriteAsync(NotificationEncoder.Encode(new Wire.SubscribeResponse { CutOff = new Wire.CutOff { Reason = reason, QueueCapacity = (uint)capacity } }), more: false).ConfigureAwait(false);
        throw new RpcException(new Status(StatusCode.ResourceExhausted, "Cut off: " + reason));
    }

    private async Task WriteAsync(EncodedMessage message, bool more)
    {
        _unflushed += message.Bytes.Length;
        more &= _unflushed < FlushEvery;
        if (!more)
            _unflushed = 0;
        stream.WriteOptions = more ? s_buffered : null;
        Volatile.Write(ref _writeStartedAt, Stopwatch.GetTimestamp());
        try
        {
            await stream.WriteAsync(message, _cancel.Token).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _writeStartedAt, 0);
        }
        Interlocked.Increment(ref _written);
    }

    public void Stalled(TimeSpan waited)
    {
        state.Logger.LogWarning("Resetting subscriber {Who}: one write waited {Seconds:0} s for it to read.", who, waited.TotalSeconds);
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
