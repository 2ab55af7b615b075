using System.Threading.Channels;
using DeviceNotify.Dispatch;

namespace DeviceNotify;

// Implementation notes:
// - Lifecycle: Live → Disposed (its owner disposed it: no notice, no callback afterwards), or Live → Ended (the
//   watcher was disposed or its source failed: one last Ended notice, then nothing) → Disposed. Every path answers
//   the removal questions this registration still holds (accept: a registration that is gone holds nothing; the
//   holder scan still sees any handle left open), so a negotiation never waits on a registration that cannot answer.
// - Queue: an unbounded Channel with a counted soft capacity (see Views). When the watcher is disposed, queued
//   notifications are dropped (they describe a world nobody watches any more) and only the Ended notice is
//   delivered; when the source fails, queued notifications are delivered first (they are real events).
// - Delivery: callbacks run one at a time on the thread pool (the pump) or on a thread of the registration's own,
//   each inside _callbackGate. Dispose unhooks the registration from the dispatcher, then takes the gate to wait
//   for a callback in flight — unless it is called from that callback (t_current), where it returns at once
//   (guarantee 5). Pumps and threads start under ExecutionContext.SuppressFlow: they carry nothing of the caller.
// - Lock order: _callbackGate → dispatcher lock (a callback may register or dispose). The dispatcher never takes a
//   gate; under its lock a registration only queues.
/// <summary>
/// A live registration (the <c>HCMNOTIFICATION</c> analogue). Dispose it to unregister; see the remarks for the
/// threading rules.
/// </summary>
/// <remarks>
/// Disposing from another thread waits for a callback in progress and guarantees no callback afterwards.
/// Disposing from inside this registration's own callback is allowed and returns at once. Disposing twice is a
/// no-op. Two registrations whose callbacks dispose each other at the same moment deadlock, as on Windows.
/// When the watcher is disposed or its source fails, the registration's last notification is
/// <see cref="NotificationAction.Ended"/>; dispose it as usual afterwards.
/// </remarks>
public sealed partial class DeviceRegistration : IDisposable, IAsyncDisposable
{
    private const int Live = 0, Ended = 1, Disposed = 2;

    [ThreadStatic]
    private static DeviceRegistration? t_current;

    private readonly Dispatcher _dispatcher;
    private readonly Action<DeviceNotification>? _handler;
    private readonly RegistrationOptions _options;
    private readonly Channel<DeviceNotification> _channel;
    private readonly object _callbackGate = new();
    private readonly HashSet<RemovalQuery> _openQueries = [];
    private int _state;
    private volatile bool _discardQueued;
    private int _queued;
    // Written by the one consumer only (no interlock, no cache line shared with the source thread); for the metrics.
    private long _delivered;
    private Task? _pump;
    private ManualResetEventSlim? _wakeup;

    internal DeviceRegistration(Dispatcher dispatcher, DeviceFilter filter, Action<DeviceNotification>? handler, RegistrationOptions options)
    {
        if (options.QueueCapacity < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.QueueCapacity, "QueueCapacity must be at least 1.");
        if (options.InlineDelivery && options.DedicatedThread)
            throw new ArgumentException("Choose InlineDelivery or DedicatedThread, not both.", nameof(options));
        _dispatcher = dispatcher;
        Filter = filter;
        _handler = handler;
        _options = options;
        _channel = Channel.CreateUnbounded<DeviceNotification>(new UnboundedChannelOptions
        {
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
        InitializeViews();
        if (filter.Kind == DeviceFilterKind.Handle && filter.HandleIsHere)
            Party = new Negotiation.LocalParty(this, dispatcher);
    }

    /// <summary>What this registration listens to.</summary>
    public DeviceFilter Filter { get; }

    /// <summary>The name given in <see cref="RegistrationOptions.Name"/>, if any.</summary>
    public string? Name => _options.Name;

    /// <summary>True once disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref _state) == Disposed;

    /// <summary>True once the registration ended without being disposed (watcher disposed, source failed): see <see cref="NotificationAction.Ended"/>.</summary>
    public bool IsEnded => Volatile.Read(ref _state) != Live;

    /// <summary>Notifications this registration could not queue because its consumer was behind (made up by resynchronisation).</summary>
    public long DroppedNotifications => Interlocked.Read(ref _dropped);

    /// <summary>How many times this registration's queue overflowed.</summary>
    public long QueueOverflows => Interlocked.Read(ref _queueOverflows);

    /// <summary>Notifications the consumer took from the queue (for the metrics).</summary>
    internal long Delivered => Volatile.Read(ref _delivered);

    /// <summary>Notifications waiting for the consumer now.</summary>
    public int QueuedNotifications => Volatile.Read(ref _queued);

    /// <summary>For a handle registration: the party the removal coordinator asks; null for other kinds.</summary>
    internal Negotiation.LocalParty? Party { get; }

    /// <summary>A label for logs and negotiation results.</summary>
    internal string DisplayName => _options.Name ?? Filter.ToString();

    internal bool IsLive => Volatile.Read(ref _state) == Live;

    /// <summary>A callback registration delivered on the routing thread (see <see cref="RegistrationOptions.InlineDelivery"/>).</summary>
    internal bool IsInline => _handler is not null && _options.InlineDelivery;

    internal ChannelReader<DeviceNotification> Reader => _channel.Reader;

    /// <summary>[broker] For a handle registration also registered with the broker: disposing it unregisters there.</summary>
    internal IDisposable? BrokerLease { get; set; }

    /// <summary>The delivery loop of a callback registration; null for async streams.</summary>
    internal Task? Pump => _pump;

    internal void StartPump()
    {
        if (_handler is null || IsInline)
            return;
        // Long-lived delivery must not carry the registering caller's AsyncLocals, Activity or culture scope.
        using (ExecutionContext.SuppressFlow())
        {
            if (_options.DedicatedThread)
            {
                _wakeup = new ManualResetEventSlim(false, spinCount: 1);
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var thread = new Thread(() =>
                {
                    DedicatedLoop();
                    done.TrySetResult();
                })
                { IsBackground = true, Name = "DeviceNotify delivery" };
                _pump = done.Task;
                thread.Start();
            }
            else
            {
                _pump = Task.Run(PumpAsync);
            }
        }
    }

    /// <summary>
    /// Under the dispatcher lock: the watcher is disposed or the source failed. Queue the Ended notice after what is
    /// queued (dropping that when the watcher was disposed), answer open questions, and close the queue.
    /// </summary>
    internal void End(EndInfo info, long timestamp)
    {
        if (Interlocked.CompareExchange(ref _state, Ended, Live) != Live)
            return;
        _discardQueued = info.Reason == EndReason.WatcherDisposed;
        BrokerLease?.Dispose();   // [broker]
        AnswerOpenQueries();
        Interlocked.Increment(ref _queued);
        _channel.Writer.TryWrite(new DeviceNotification(NotificationAction.Ended, null, null, DeviceAction.None, NotificationOrigin.None, timestamp, end: info));
        _channel.Writer.TryComplete();
        _wakeup?.Set();
    }

    /// <summary>A question was queued to this registration: it stays open until answered or the registration goes.</summary>
    internal void TrackQuery(RemovalQuery query)
    {
        lock (_openQueries)
        {
            _openQueries.RemoveWhere(q => q.IsAnswered);
            _openQueries.Add(query);
        }
        if (!IsLive)
            AnswerOpenQueries();
    }

    /// <summary>Called by the consumer after it took one notification from the queue.</summary>
    internal void OnDequeued()
    {
        Interlocked.Decrement(ref _queued);
        _delivered++;
    }

    /// <summary>Called by the consumer when the queue ran empty.</summary>
    internal void OnDrained()
    {
        if (NeedsResync && Volatile.Read(ref _queued) == 0)
            _dispatcher.ResynchronizeRegistration(this);
    }

    /// <summary>
    /// What an async-stream consumer does with a notification it took: false when it must be skipped (the watcher was
    /// disposed and it is not the Ended notice; an open question is then answered).
    /// </summary>
    internal bool ShouldDeliver(DeviceNotification notification)
    {
        if (notification.Action == NotificationAction.Ended || !_discardQueued)
            return true;
        notification.Query?.Accept();
        return false;
    }

    /// <summary>Unregisters; see the class remarks for the threading rules.</summary>
    public void Dispose()
    {
        if (!BeginDispose())
            return;
        if (t_current == this)
            return;
        // Wait for a callback in flight; afterwards the Disposed state stops any further one.
        lock (_callbackGate) { }
    }

    /// <summary>Unregisters without blocking a thread; completes when no callback of this registration runs any more.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!BeginDispose())
            return;
        if (t_current == this || _pump is null)
            return;
        await _pump.ConfigureAwait(false);
    }

    private bool BeginDispose()
    {
        int previous = Interlocked.Exchange(ref _state, Disposed);
        if (previous == Disposed)
            return false;
        if (previous == Live)
        {
            _dispatcher.Unregister(this);
            BrokerLease?.Dispose();   // [broker]
            AnswerOpenQueries();
            _channel.Writer.TryComplete();
        }
        _wakeup?.Set();
        return true;
    }

    private void AnswerOpenQueries()
    {
        RemovalQuery[] open;
        lock (_openQueries)
        {
            open = [.. _openQueries];
            _openQueries.Clear();
        }
        foreach (var q in open)
            q.Accept();
    }

    /// <summary>
    /// Inline delivery: the dispatcher calls this on the routing thread after releasing its lock. Whoever holds the
    /// callback gate drains the queue, so two routing threads (the reader, a probe, the coordinator) deliver one at a
    /// time and in queue order; a resynchronisation queued by the drain is delivered in the same pass.
    /// </summary>
    internal void DrainInline()
    {
        if (Volatile.Read(ref _queued) == 0)
            return;
        lock (_callbackGate)
        {
            while (Volatile.Read(ref _queued) > 0 && DeliverQueued(_channel.Reader))
            {
            }
        }
    }

    /// <summary>The pump on its own thread: deliver, then sleep until the next offer.</summary>
    private void DedicatedLoop()
    {
        var reader = _channel.Reader;
        var wakeup = _wakeup!;
        try
        {
            while (true)
            {
                wakeup.Reset();
                if (!DeliverQueued(reader) || reader.Completion.IsCompleted)
                    return;
                // An offer after the drain has already set the event: Wait returns at once.
                if (Volatile.Read(ref _queued) == 0)
                    wakeup.Wait();
            }
        }
        catch (Exception ex)
        {
            _dispatcher.ReportCallbackError(ex, this);
        }
    }

    private async Task PumpAsync()
    {
        var reader = _channel.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                if (!DeliverQueued(reader))
                    return;
            }
        }
        catch (Exception ex)
        {
            // Only a library bug gets here (user exceptions are caught per callback); never fail silently.
            _dispatcher.ReportCallbackError(ex, this);
        }
    }

    /// <summary>
    /// Delivers everything queued, one callback at a time; answers questions the callback left open; then, with the
    /// queue empty, resynchronises after an overflow and runs QueueDrained. False once nothing more will be delivered.
    /// </summary>
    private bool DeliverQueued(ChannelReader<DeviceNotification> reader)
    {
        while (reader.TryRead(out var notification))
        {
            OnDequeued();
            if (!ShouldDeliver(notification))
                continue;
            var failure = RunUserCode(_handler!, notification);
            notification.Query?.AfterCallback(failure);
            if (notification.Action == NotificationAction.Ended || IsDisposed)
                return false;
        }
        OnDrained();
        // The single-reader channel cannot count; _queued is our own count of what waits.
        if (_options.QueueDrained is { } drained && Volatile.Read(ref _queued) == 0)
            RunUserCode(static a => a(), drained);
        return true;
    }

    /// <summary>
    /// Runs user code (a callback or the QueueDrained hook) inside the callback gate, unless disposed; marks the
    /// thread so Dispose from inside returns at once; contains and reports an exception.
    /// </summary>
    private Exception? RunUserCode<T>(Action<T> action, T argument)
    {
        lock (_callbackGate)
        {
            if (IsDisposed)
                return null;
            t_current = this;
            try
            {
                action(argument);
                return null;
            }
            catch (Exception ex)
            {
                _dispatcher.ReportCallbackError(ex, this);
                return ex;
            }
            finally
            {
                t_current = null;
            }
        }
    }

    /// <summary>True on a thread that is running a DeviceNotify callback now.</summary>
    internal static bool InsideCallback => t_current is not null;
}
