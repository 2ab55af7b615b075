using System.Runtime.Versioning;
using System.Threading.Channels;
using DeviceNotify.Dispatch;
using Grpc.Core;
using Grpc.Net.Client;
using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Broker;

// Implementation notes:
// - Kernel events relayed by the broker, for a process that cannot read them itself (a foreign user namespace, where
//   the kernel's credentials are not root's; no netlink access). One subscription to every device with
//   include_existing: the broker's own registration gives each present device exactly once, then the live events in
//   kernel order, with no gap between the two (DESIGN.md §2.1). So the enumeration part is this source's listing and
//   the rest its events, and no reconciliation window is needed (the snapshot's sequence number is 0).
// - Discontinuities: a broken call (the broker restarted), a cut-off (this process fell behind), or an Overflow notice
//   (the broker's own kernel buffer overflowed) all mean events may be missing. The source drops that subscription,
//   counts an overflow and tells the dispatcher, which asks for a fresh listing: the source subscribes again (backoff
//   0.1 s doubling to 2 s while the broker is away; for ever once started) and returns the new enumeration. The
//   dispatcher delivers the differences as synthesized events, so every registration ends with the right view, with
//   no duplicate and no gap, and events from the dropped subscription are never delivered.
// - Threads: a read loop per subscription decodes into a queue; one delivery thread ("DeviceNotify broker relay")
//   feeds the dispatcher, as the kernel source's reader thread does. Both start under SuppressFlow.
// - Mount table: this process's own mountinfo, read at each listing (the broker's mount namespace may differ).
// - Timestamps are the broker's receive times (CLOCK_MONOTONIC is one clock per boot): latency includes the hop.
/// <summary>
/// Device events relayed by the DeviceNotify broker (<c>devnotify daemon</c>) instead of read from the kernel: for
/// processes that cannot read kernel events themselves (containers, other user namespaces). A default
/// <see cref="DeviceWatcher"/> picks it by itself when the kernel is unreachable and a broker listens; pass one in
/// <see cref="DeviceWatcherOptions.Source"/> to use the broker always.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class BrokerDeviceSource : DeviceSource
{
    private static readonly TimeSpan s_startBound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_helloBound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_minBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(2);
    private const int BatchSize = 64;

    private readonly CancellationTokenSource _stop = new();
    private GrpcChannel? _channel;
    private Wire.DeviceBroker.DeviceBrokerClient? _client;
    private Subscription? _current;
    private IDeviceSourceSink? _sink;
    private Thread? _thread;
    private long _subscriptions;
    private long _malformed;
    private int _stopped;

    /// <summary>A source relaying the broker at <see cref="BrokerEndpoint.SocketPath"/>.</summary>
    public BrokerDeviceSource() : this(null) { }

    /// <summary>A source relaying the broker at <paramref name="socketPath"/> (null: <see cref="BrokerEndpoint.SocketPath"/>).</summary>
    public BrokerDeviceSource(string? socketPath) => SocketPath = string.IsNullOrEmpty(socketPath) ? BrokerEndpoint.SocketPath : socketPath;

    /// <summary>The broker's socket.</summary>
    public string SocketPath { get; }

    /// <summary>The broker's process id, as it said when the source opened (0 before).</summary>
    public int BrokerProcessId { get; private set; }

    /// <summary>How many subscriptions were made: 1, plus one after each broker restart, cut-off or overflow.</summary>
    public long Subscriptions => Interlocked.Read(ref _subscriptions);

    /// <summary>The source a default watcher uses instead of the kernel: when the kernel is unreachable here and a broker listens.</summary>
    internal static BrokerDeviceSource? InsteadOfKernel(DeviceWatcherOptions options)
    {
        if (options.DisableBroker)
            return null;
        string socket = options.BrokerSocketPath ?? BrokerEndpoint.SocketPath;
        return BrokerEndpoint.Exists(socket) && BrokerEndpoint.KernelEventsUnreachable ? new BrokerDeviceSource(socket) : null;
    }

    internal override void Open()
    {
        _channel = BrokerChannel.Create(SocketPath);
        _client = new Wire.DeviceBroker.DeviceBrokerClient(_channel);
        try
        {
            var hello = _client.Hello(new Wire.HelloRequest { Client = $"DeviceNotify {typeof(BrokerDeviceSource).Assembly.GetName().Version} (BrokerDeviceSource)" },
                deadline: DateTime.UtcNow + s_helloBound, cancellationToken: _stop.Token);
            if (hello.ProtocolVersion != BrokerEndpoint.ProtocolVersion)
                throw new DeviceNotifyException($"The broker at {SocketPath} speaks protocol version {hello.ProtocolVersion}; this library speaks {BrokerEndpoint.ProtocolVersion}.");
            BrokerProcessId = hello.BrokerPid;
        }
        catch (RpcException ex)
        {
            throw new DeviceNotifyException($"No DeviceNotify broker answers at {SocketPath} ({ex.StatusCode}: {ex.Status.Detail}). Start one with " +
                $"'devnotify daemon', or set {BrokerEndpoint.SocketVariable} to the socket it listens on.", ex);
        }
        _current = Subscribe();
    }

    internal override DeviceSnapshot Enumerate()
    {
        var started = DateTime.UtcNow;
        var backoff = s_minBackoff;
        var devices = new List<Device>();
        while (true)
        {
            var subscription = _current ??= Subscribe();
            devices.Clear();
            if (subscription.TryReadEnumeration(devices, _stop.Token, out string? why))
                return new DeviceSnapshot(devices, 0, Linux.MountTable.Read("/proc/self/mountinfo"));
            subscription.Dispose();
            _current = null;
            if (_sink is null && DateTime.UtcNow - started > s_startBound)
                throw new DeviceNotifyException($"The broker at {SocketPath} did not deliver its device listing within {s_startBound.TotalSeconds} s ({why}).");
            if (_stop.Token.WaitHandle.WaitOne(backoff * (0.75 + Random.Shared.NextDouble() / 2)))
                throw new OperationCanceledException(_stop.Token);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, s_maxBackoff.Ticks));
        }
    }

    internal override void Start(IDeviceSourceSink sink)
    {
        _sink = sink;
        using (ExecutionContext.SuppressFlow())
        {
            _thread = new Thread(Run) { IsBackground = true, Name = "DeviceNotify broker relay" };
            _thread.Start();
        }
    }

    internal override void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        _stop.Cancel();
        _current?.Dispose();
        if (_thread is not null && _thread != Thread.CurrentThread)
            _thread.Join();
        _channel?.Dispose();
    }

    internal override VolumeProbeResult ProbeVolume(Device device) => Linux.FileSystemProbe.Probe(device.DevNode ?? "/dev/" + device.SysName);

    private Subscription Subscribe()
    {
        Interlocked.Increment(ref _subscriptions);
        return Subscription.Start(_client!, _stop.Token, () => Interlocked.Increment(ref _malformed));
    }

    /// <summary>The delivery thread: events in batches (one receive time each), a discontinuity as an overflow.</summary>
    private void Run()
    {
        var sink = _sink!;
        var batch = new Device?[BatchSize];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var subscription = _current;
                if (subscription is null || !subscription.WaitToRead(_stop.Token))
                {
                    Discontinuity(sink, subscription);
                    continue;
                }
                int n = 0;
                long timestamp = 0;
                bool broken = false;
                while (n < BatchSize && subscription.TryRead(out var item))
                {
                    if (item.Kind == ItemKind.Break)
                    {
                        broken = true;
                        break;
                    }
                    if (item.Kind != ItemKind.Event)
                        continue;
                    if (n > 0 && item.Timestamp != timestamp)
                    {
                        Deliver(sink, batch, n, timestamp);
                        n = 0;
                    }
                    batch[n++] = item.Device;
                    timestamp = item.Timestamp;
                }
                if (n > 0)
                    Deliver(sink, batch, n, timestamp);
                Array.Clear(batch);
                if (broken)
                    Discontinuity(sink, subscription);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (!_stop.IsCancellationRequested)
        {
            sink.OnFailed(ex);
        }
    }

    private void Deliver(IDeviceSourceSink sink, Device?[] batch, int count, long timestamp)
    {
        Interlocked.Add(ref Counters.Received, count);
        sink.OnEvents(batch.AsSpan(0, count), timestamp);
    }

    /// <summary>Events may be missing: drop the subscription and let the dispatcher resynchronise from a new one.</summary>
    private void Discontinuity(IDeviceSourceSink sink, Subscription? broken)
    {
        _stop.Token.ThrowIfCancellationRequested();
        broken?.Dispose();
        if (_current == broken)
            _current = null;
        Interlocked.Increment(ref Counters.Overflows);
        sink.OnOverflow();
    }

    private enum ItemKind
    {
        None = 0,
        Event,
        EnumerationComplete,
        Break,
    }

    private readonly record struct Item(ItemKind Kind, Device? Device, long Timestamp, bool Enumerated, string? Reason);

    /// <summary>One Subscribe call, read into a queue by its own loop.</summary>
    private sealed class Subscription : IDisposable
    {
        private readonly CancellationTokenSource _cancel;
        private readonly Channel<Item> _items = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        private readonly Action _malformed;

        private Subscription(CancellationTokenSource cancel, Action malformed)
        {
            _cancel = cancel;
            _malformed = malformed;
        }

        internal static Subscription Start(Wire.DeviceBroker.DeviceBrokerClient client, CancellationToken stop, Action malformed)
        {
            var subscription = new Subscription(CancellationTokenSource.CreateLinkedTokenSource(stop), malformed);
            using (ExecutionContext.SuppressFlow())
                _ = Task.Run(() => subscription.ReadAsync(client));
            return subscription;
        }

        private async Task ReadAsync(Wire.DeviceBroker.DeviceBrokerClient client)
        {
            string reason = "the broker ended the subscription";
            try
            {
                using var call = client.Subscribe(new Wire.SubscribeRequest { Filter = new Wire.Filter(), IncludeExisting = true }, cancellationToken: _cancel.Token);
                await foreach (var response in call.ResponseStream.ReadAllAsync(_cancel.Token).ConfigureAwait(false))
                {
                    switch (response.KindCase)
                    {
                        case Wire.SubscribeResponse.KindOneofCase.Notification:
                            var n = response.Notification;
                            if (n.Action == Wire.NotificationAction.Overflow)
                            {
                                reason = "the broker's kernel buffer overflowed";
                                return;
                            }
                            if (WireDevices.TryDecode(n.Device, out _) is { } device)
                                _items.Writer.TryWrite(new Item(ItemKind.Event, device, n.TimestampNs, n.Origin == Wire.Origin.Enumeration, null));
                            else
                                _malformed();
                            break;
                        case Wire.SubscribeResponse.KindOneofCase.EnumerationComplete:
                            _items.Writer.TryWrite(new Item(ItemKind.EnumerationComplete, null, 0, false, null));
                            break;
                        case Wire.SubscribeResponse.KindOneofCase.CutOff:
                            reason = "cut off: " + response.CutOff.Reason;
                            return;
                    }
                }
            }
            catch (RpcException ex)
            {
                reason = $"{ex.StatusCode}: {ex.Status.Detail}";
            }
            catch (OperationCanceledException)
            {
                reason = "stopped";
            }
            finally
            {
                _items.Writer.TryWrite(new Item(ItemKind.Break, null, 0, false, reason));
                _items.Writer.TryComplete();
            }
        }

        /// <summary>Reads the enumeration into <paramref name="devices"/>; false (with why) when the subscription broke first.</summary>
        internal bool TryReadEnumeration(List<Device> devices, CancellationToken stop, out string? why)
        {
            why = null;
            while (WaitToRead(stop))
            {
                while (_items.Reader.TryRead(out var item))
                {
                    switch (item.Kind)
                    {
                        case ItemKind.EnumerationComplete:
                            return true;
                        case ItemKind.Break:
                            why = item.Reason;
                            return false;
                        case ItemKind.Event when item.Enumerated:
                            devices.Add(item.Device!);
                            break;
                    }
                }
            }
            why = "the subscription ended";
            return false;
        }

        internal bool WaitToRead(CancellationToken stop) => _items.Reader.WaitToReadAsync(stop).AsTask().GetAwaiter().GetResult();

        internal bool TryRead(out Item item) => _items.Reader.TryRead(out item);

        public void Dispose()
        {
            try
            {
                _cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
