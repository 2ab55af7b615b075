using System.Runtime.CompilerServices;
using DeviceNotify.Dispatch;
using DeviceNotify.Linux;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeviceNotify;

/// <summary>
/// The entry point: watches a device source (the kernel by default) and serves registrations — the
/// <c>CM_Register_Notification</c> / <c>CM_Get_Device_Interface_List</c> analogue.
/// </summary>
/// <example>
/// <code>
/// using var watcher = new DeviceWatcher();
/// using var reg = watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.Net),
///     n => Console.WriteLine($"{n.Action} {n.Interface!.Path}"),
///     new RegistrationOptions { IncludeExisting = true });
/// </code>
/// </example>
public sealed class DeviceWatcher : IDisposable
{
    private readonly DeviceSource _source;
    private readonly Dispatcher _dispatcher;
    private int _disposed;

    /// <summary>Starts watching the real kernel.</summary>
    /// <exception cref="DeviceNotifyException">The uevent socket cannot be opened (the message says why).</exception>
    public DeviceWatcher() : this(new DeviceWatcherOptions()) { }

    /// <summary>Starts watching the given source.</summary>
    /// <exception cref="DeviceNotifyException">The source cannot be opened (the message says why).</exception>
    public DeviceWatcher(DeviceWatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _source = options.Source ?? CreateDefaultSource();
        _source.Attach();
        ILogger logger = options.Logger ?? NullLogger.Instance;
        _dispatcher = new Dispatcher(_source, logger, RaiseError);
        _source.Open();
        try
        {
            _dispatcher.Initialize(_source.Enumerate());
            _source.Start(_dispatcher);
        }
        catch
        {
            _source.Stop();
            throw;
        }
    }

    /// <summary>
    /// Failures after start-up, reported in-band: a callback threw (the registration goes on), or the source
    /// failed. Raised on a thread-pool thread, never on the reader thread.
    /// </summary>
    public event EventHandler<DeviceWatcherErrorEventArgs>? Error;

    internal Dispatcher Dispatcher => _dispatcher;

    /// <summary>The source this watcher reads.</summary>
    public DeviceSource Source => _source;

    /// <summary>
    /// Registers <paramref name="handler"/> for the notifications <paramref name="filter"/> selects. The
    /// handler runs on the thread pool, one notification at a time for this registration, in kernel order.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The watcher is disposed.</exception>
    public DeviceRegistration Register(DeviceFilter filter, Action<DeviceNotification> handler, RegistrationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(handler);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var registration = new DeviceRegistration(_dispatcher, filter, handler, options ?? RegistrationOptions.Default);
        _dispatcher.Register(registration);
        registration.StartPump();
        return registration;
    }

    /// <summary>
    /// Registers for notifications about the device behind an open handle (<c>RegisterDeviceNotification</c> with
    /// <c>DBT_DEVTYP_HANDLE</c>): a device node's device, or the volume that holds an open file. The handler gets
    /// <see cref="NotificationAction.RemoveComplete"/> when the device or an ancestor is removed, and
    /// <see cref="NotificationAction.CustomEvent"/> with the <see cref="VolumeEvents"/> GUIDs.
    /// </summary>
    /// <exception cref="ArgumentException">The handle is invalid, or not on a device (tmpfs, proc).</exception>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public DeviceRegistration RegisterHandle(System.Runtime.InteropServices.SafeHandle handle, Action<DeviceNotification> handler, RegistrationOptions? options = null)
        => Register(DeviceFilter.ForHandle(handle), handler, options);

    /// <summary>Registers for notifications about the volume or device behind an open <see cref="FileStream"/>.</summary>
    /// <exception cref="ArgumentException">The stream is closed, or not on a device (tmpfs, proc).</exception>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public DeviceRegistration RegisterHandle(FileStream stream, Action<DeviceNotification> handler, RegistrationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return RegisterHandle(stream.SafeFileHandle, handler, options);
    }

    /// <summary>
    /// The same notifications as <see cref="Register"/>, as an async stream. The registration lives while the
    /// stream is enumerated and ends when the enumeration stops or <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async IAsyncEnumerable<DeviceNotification> WatchAsync(DeviceFilter filter, RegistrationOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var registration = new DeviceRegistration(_dispatcher, filter, null, options ?? RegistrationOptions.Default);
        _dispatcher.Register(registration);
        try
        {
            var reader = registration.Reader;
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var notification))
                {
                    registration.OnDequeued();
                    yield return notification;
                }
                registration.OnDrained();
            }
        }
        finally
        {
            registration.Dispose();
        }
    }

    /// <summary>The interfaces of <paramref name="interfaceClass"/> present now (<c>CM_Get_Device_Interface_List</c>).</summary>
    public IReadOnlyList<DeviceInterface> GetInterfaces(InterfaceClass interfaceClass)
    {
        ArgumentNullException.ThrowIfNull(interfaceClass);
        return _dispatcher.Snapshot(interfaceClass.Matches).Select(d => new DeviceInterface(interfaceClass, d)).ToList();
    }

    /// <summary>The devices present now that meet <paramref name="match"/> (all when null).</summary>
    public IReadOnlyList<Device> GetDevices(DeviceMatch? match = null)
        => _dispatcher.Snapshot(match is null ? null : match.Matches);

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

    /// <summary>Stops the source. Registrations receive nothing more; dispose them as usual.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _source.Stop();
    }

    private static DeviceSource CreateDefaultSource()
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("DeviceNotify's kernel source runs on Linux; on other systems pass a SimulatedDeviceSource.");
        return new KernelDeviceSource();
    }

    private void RaiseError(Exception exception, DeviceRegistration? registration)
    {
        var handler = Error;
        if (handler is null)
            return;
        // Never run user code on the reader thread: hand it to the pool.
        ThreadPool.QueueUserWorkItem(_ =>
        {
            try
            {
                handler(this, new DeviceWatcherErrorEventArgs(exception, registration));
            }
            catch (Exception)
            {
                // An Error handler that throws has nowhere to report to; swallowing keeps the process alive.
            }
        });
    }
}
