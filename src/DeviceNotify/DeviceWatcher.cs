using System.Runtime.CompilerServices;
using DeviceNotify.Dispatch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeviceNotify;

// Implementation notes (lifecycle):
// - Created → Running (Start: open the source, list devices, start delivering) → Ended (disposed, or the source
//   failed). The constructor does no I/O and starts no thread, so a host can create the watcher and start it in
//   its StartAsync.
// - Dispose stops the source first (after Stop returns no event is routed), then ends every registration: each
//   gets its Ended notice and its delivery stops; Dispose then waits for the delivery loops to finish, unless it is
//   called from inside a DeviceNotify callback (that would wait for itself).
// - Source failure: the dispatcher ends every registration with the exception, async streams throw it, Error is
//   raised, and Register throws from then on.
/// <summary>
/// The entry point: watches a device source (the kernel by default) and serves registrations — the
/// <c>CM_Register_Notification</c> / <c>CM_Get_Device_Interface_List</c> analogue.
/// </summary>
/// <example>
/// <code>
/// await using var watcher = await DeviceWatcher.StartNewAsync();
/// using var reg = watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.Net),
///     n => Console.WriteLine($"{n.Action} {n.Interface?.Path}"),
///     new RegistrationOptions { IncludeExisting = true });
/// </code>
/// </example>
public sealed class DeviceWatcher : IDisposable, IAsyncDisposable
{
    private const int Created = 0, Starting = 1, Running = 2, Disposed = 3;

    private readonly DeviceSource _source;
    private readonly ILogger _logger;
    private readonly Dispatcher _dispatcher;
    // Start and Dispose take it: a Dispose during Start waits for it, then undoes it.
    private readonly object _lifecycle = new();
    private readonly Broker.BrokerLink? _broker;   // [broker] handle registrations and removal requests across processes
    private int _state;

    /// <summary>Creates a watcher of the real kernel; call <see cref="Start"/> or <see cref="StartAsync"/> before registering.</summary>
    /// <exception cref="PlatformNotSupportedException">Neither Linux nor Windows (pass a source in <see cref="DeviceWatcherOptions"/> instead).</exception>
    public DeviceWatcher() : this(new DeviceWatcherOptions()) { }

    /// <summary>Creates a watcher; call <see cref="Start"/> or <see cref="StartAsync"/> before registering. Does no I/O.</summary>
    /// <exception cref="InvalidOperationException">The source already serves another watcher.</exception>
    public DeviceWatcher(DeviceWatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _source = options.Source ?? PlatformServices.CreateSource(options);
        _source.Attach();
        _logger = new SafeLogger(options.Logger ?? NullLogger.Instance);
        _dispatcher = new Dispatcher(_source, _logger, RaiseError);
        Metrics = Diagnostics.WatcherMetrics.Attach(options.MeterFactory, _source, _dispatcher);
        _broker = Broker.BrokerLink.For(options, _source, _logger);   // [broker] no I/O until used
    }

    /// <summary>Creates and starts a watcher (the real kernel unless <paramref name="options"/> names a source).</summary>
    /// <exception cref="DeviceNotifyException">The source cannot be opened (the message says why).</exception>
    public static DeviceWatcher StartNew(DeviceWatcherOptions? options = null)
    {
        var watcher = new DeviceWatcher(options ?? new DeviceWatcherOptions());
        try
        {
            watcher.Start();
            return watcher;
        }
        catch
        {
            watcher.Dispose();
            throw;
        }
    }

    /// <summary>Creates and starts a watcher without blocking the caller (the sysfs walk runs on the thread pool).</summary>
    /// <exception cref="DeviceNotifyException">The source cannot be opened (the message says why).</exception>
    public static async Task<DeviceWatcher> StartNewAsync(DeviceWatcherOptions? options = null, CancellationToken cancellationToken = default)
    {
        var watcher = new DeviceWatcher(options ?? new DeviceWatcherOptions());
        try
        {
            await watcher.StartAsync(cancellationToken).ConfigureAwait(false);
            return watcher;
        }
        catch
        {
            await watcher.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Failures after start-up, reported in-band: a callback threw (the registration goes on), or the source
    /// failed (every registration ends). Raised on a thread-pool thread, never on the reader thread.
    /// </summary>
    public event EventHandler<DeviceWatcherErrorEventArgs>? Error;

    /// <summary>True between a successful start and disposal (or a source failure).</summary>
    public bool IsRunning => Volatile.Read(ref _state) == Running && _dispatcher.End is null;

    /// <summary>The source this watcher reads.</summary>
    public DeviceSource Source => _source;

    /// <summary>[broker] The way to the broker, for watchers that may use one (see <see cref="DeviceWatcherOptions.DisableBroker"/>).</summary>
    internal Broker.BrokerLink? BrokerLink => _broker;

    /// <summary>This watcher's part of the DeviceNotify meter.</summary>
    internal Diagnostics.WatcherMetrics Metrics { get; }

    /// <summary>The dispatcher of a started watcher.</summary>
    internal Dispatcher RunningDispatcher
    {
        get
        {
            ThrowIfNotStarted();
            return _dispatcher;
        }
    }

    /// <summary>
    /// Opens the source (before listing, so nothing is missed), lists the devices present and starts delivering
    /// events. Blocks for the listing (tens of milliseconds for sysfs).
    /// </summary>
    /// <exception cref="DeviceNotifyException">The source cannot be opened (the message says why).</exception>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    /// <exception cref="ObjectDisposedException">The watcher is disposed.</exception>
    public void Start()
    {
        lock (_lifecycle)
        {
            int state = Volatile.Read(ref _state);
            ObjectDisposedException.ThrowIf(state == Disposed, this);
            if (state != Created)
                throw new InvalidOperationException("The watcher is already started.");
            Volatile.Write(ref _state, Starting);
            try
            {
                _source.Open();
                _dispatcher.Initialize(_source.Enumerate());
                _source.Start(_dispatcher);
            }
            catch
            {
                _source.Stop();
                Volatile.Write(ref _state, Disposed);
                _dispatcher.EndAll(new EndInfo(EndReason.WatcherDisposed, null));
                throw;
            }
            Volatile.Write(ref _state, Running);
        }
    }

    /// <summary>Starts the watcher (see <see cref="Start"/>) on the thread pool.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.Run(Start, cancellationToken);
    }

    /// <summary>
    /// Registers <paramref name="handler"/> for the notifications <paramref name="filter"/> selects. The handler runs
    /// on the thread pool (or a thread of its own, <see cref="RegistrationOptions.DedicatedThread"/>), one
    /// notification at a time for this registration, in kernel order.
    /// </summary>
    /// <exception cref="InvalidOperationException">The watcher is not started.</exception>
    /// <exception cref="ObjectDisposedException">The watcher is disposed.</exception>
    /// <exception cref="DeviceNotifyException">The watcher's source failed.</exception>
    public DeviceRegistration Register(DeviceFilter filter, Action<DeviceNotification> handler, RegistrationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfNotStarted();
        var registration = new DeviceRegistration(_dispatcher, filter, handler, options ?? RegistrationOptions.Default);
        // The pump exists before the registration is visible, so whoever ends it (Dispose) also waits for the pump.
        registration.StartPump();
        try
        {
            _dispatcher.Register(registration);
        }
        catch
        {
            registration.Dispose();
            throw;
        }
        if (filter.Kind == DeviceFilterKind.Handle)
            _broker?.Session.Add(registration);   // [broker] also asked by other processes' requests
        return registration;
    }

    /// <summary>
    /// Registers for notifications about the device behind an open handle (<c>RegisterDeviceNotification</c> with
    /// <c>DBT_DEVTYP_HANDLE</c>): a device node's device, or the volume that holds an open file. The handler gets
    /// <see cref="NotificationAction.RemoveComplete"/> when the device or an ancestor is removed, and
    /// <see cref="NotificationAction.CustomEvent"/> with the <see cref="VolumeEvents"/> GUIDs. Reads the volume's
    /// label on the calling thread the first time a volume is registered.
    /// </summary>
    /// <exception cref="ArgumentException">The handle is invalid, or not on a device (tmpfs, proc).</exception>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    public DeviceRegistration RegisterHandle(System.Runtime.InteropServices.SafeHandle handle, Action<DeviceNotification> handler, RegistrationOptions? options = null)
        => Register(DeviceFilter.ForHandle(handle), handler, options);

    /// <summary>Registers for notifications about the volume or device behind an open <see cref="FileStream"/>.</summary>
    /// <exception cref="ArgumentException">The stream is closed, or not on a device (tmpfs, proc).</exception>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    public DeviceRegistration RegisterHandle(FileStream stream, Action<DeviceNotification> handler, RegistrationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return RegisterHandle(stream.SafeFileHandle, handler, options);
    }

    /// <summary>
    /// The same notifications as <see cref="Register"/>, as an async stream. The registration lives while the
    /// stream is enumerated and ends when the enumeration stops or <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <remarks>
    /// Questions (<see cref="DeviceNotification.Query"/>): asking for the next notification without answering
    /// accepts the previous question, unless it was deferred (<see cref="RemovalQuery.Defer"/>); ending the
    /// enumeration accepts every question still open. When the watcher is disposed the stream ends; when its source
    /// fails, the stream throws <see cref="DeviceNotifyException"/> with the failure as the inner exception.
    /// </remarks>
    /// <exception cref="DeviceNotifyException">The source failed (thrown by the enumeration).</exception>
    public async IAsyncEnumerable<DeviceNotification> WatchAsync(DeviceFilter filter, RegistrationOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ThrowIfNotStarted();
        var registration = new DeviceRegistration(_dispatcher, filter, null, options ?? RegistrationOptions.Default);
        _dispatcher.Register(registration);
        if (filter.Kind == DeviceFilterKind.Handle)
            _broker?.Session.Add(registration);   // [broker]
        try
        {
            var reader = registration.Reader;
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var notification))
                {
                    registration.OnDequeued();
                    if (!registration.ShouldDeliver(notification))
                        continue;
                    if (notification.Action == NotificationAction.Ended)
                    {
                        if (notification.End!.Reason == EndReason.SourceFailed)
                            throw new DeviceNotifyException($"The device source failed: {notification.End.Error?.Message}", notification.End.Error!);
                        yield break;
                    }
                    yield return notification;
                    // The consumer asked for the next one: an unanswered question is accepted, unless deferred.
                    notification.Query?.AfterCallback(null);
                }
                registration.OnDrained();
            }
        }
        finally
        {
            await registration.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The interfaces of <paramref name="interfaceClass"/> present now (<c>CM_Get_Device_Interface_List</c>).</summary>
    /// <exception cref="InvalidOperationException">The watcher is not started.</exception>
    public IReadOnlyList<DeviceInterface> GetInterfaces(InterfaceClass interfaceClass)
    {
        ArgumentNullException.ThrowIfNull(interfaceClass);
        return RunningDispatcher.Snapshot(interfaceClass.Matches).Select(d => new DeviceInterface(interfaceClass, d)).ToList();
    }

    /// <summary>The devices present now that meet <paramref name="match"/> (all when null).</summary>
    /// <exception cref="InvalidOperationException">The watcher is not started.</exception>
    public IReadOnlyList<Device> GetDevices(DeviceMatch? match = null)
        => RunningDispatcher.Snapshot(match is null ? null : match.Matches);

    /// <summary>Counters since start.</summary>
    public DeviceWatcherStatistics GetStatistics()
    {
        var c = _source.Counters;
        return new DeviceWatcherStatistics
        {
            EventsReceived = Interlocked.Read(ref c.Received),
            RejectedSender = Interlocked.Read(ref c.RejectedSender),
            RejectedCredentials = Interlocked.Read(ref c.RejectedCredentials),
            Truncated = Interlocked.Read(ref c.Truncated),
            Malformed = Interlocked.Read(ref c.Malformed),
            KernelOverflows = Interlocked.Read(ref c.Overflows),
            QueueOverflows = _dispatcher.QueueOverflows,
            Resynchronizations = _dispatcher.Resynchronizations,
            ReconciledDuplicates = _dispatcher.Reconciled,
            CallbackErrors = _dispatcher.CallbackErrors,
            Registrations = _dispatcher.RegistrationCount,
        };
    }

    /// <summary>
    /// Stops the source and ends every registration (each gets <see cref="NotificationAction.Ended"/>; async streams
    /// complete); waits until their delivery has stopped, unless called from inside a callback.
    /// </summary>
    public void Dispose()
    {
        var pumps = Shutdown();
        if (pumps.Count > 0 && !DeviceRegistration.InsideCallback)
            Task.WaitAll(pumps);
    }

    /// <summary>As <see cref="Dispose"/>, without blocking a thread.</summary>
    public async ValueTask DisposeAsync()
    {
        var pumps = Shutdown();
        if (pumps.Count > 0 && !DeviceRegistration.InsideCallback)
            await Task.WhenAll(pumps).ConfigureAwait(false);
    }

    private List<Task> Shutdown()
    {
        lock (_lifecycle)
        {
            if (Interlocked.Exchange(ref _state, Disposed) == Disposed)
                return [];
            Metrics.Retire();
            _source.Stop();
            _broker?.Dispose();   // [broker]
            return _dispatcher.EndAll(new EndInfo(EndReason.WatcherDisposed, null));
        }
    }

    private void ThrowIfNotStarted()
    {
        int state = Volatile.Read(ref _state);
        ObjectDisposedException.ThrowIf(state == Disposed, this);
        if (state != Running)
            throw new InvalidOperationException("Start the watcher first (Start, StartAsync, or DeviceWatcher.StartNew).");
    }

    private void RaiseError(Exception exception, DeviceRegistration? registration)
    {
        var handler = Error;
        if (handler is null)
            return;
        // Never run user code on the reader thread, and carry no ExecutionContext into it.
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            try
            {
                handler(this, new DeviceWatcherErrorEventArgs(exception, registration));
            }
            catch (Exception)
            {
                // An Error handler that throws has nowhere to report to; swallowing keeps the process alive.
            }
        }, null);
    }
}
