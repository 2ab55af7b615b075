using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DeviceNotify.Hosting;

// Implementation notes:
// - Each registration (the interface classes, and each handle watch) is read by a loop of its own through
//   DeviceWatcher.WatchAsync, so a registration's notifications stay in order and a slow handler only delays its own.
//   The loop starts its enumeration on the calling thread, so the registration exists when Watch* returns (a removal
//   request made right after asks it).
// - Handler calls of one service run one at a time (_gate), as the SCM calls a service's HandlerEx: the service's
//   state needs no lock of its own. A handler must therefore not wait for another notification of the same service;
//   it may dispose a watch (the watch's loop stops waiting for the gate).
// - Answers: a question handler's returned PartyAnswer answers the query; a handler that throws vetoes
//   (the reason names the exception). Returning without a question concerned is just a return.
// - Shutdown (StopAsync): Stopping is cancelled first, so a handler in the middle of a question gives up; then,
//   holding the gate, OnStoppingAsync closes the service's files; only then are the questions left open accepted
//   (the service holds nothing any more), and the loops end, which disposes the registrations. A negotiation under
//   way therefore gets an answer, not a timeout, and the holder scan after it finds the files closed.
// - Loops start under ExecutionContext.SuppressFlow: they carry nothing of the caller (no AsyncLocal, Activity).
/// <summary>
/// Base class of a hosted service that reacts to device events: the <c>HandlerEx</c> analogue. Override the
/// <c>On*Async</c> methods for the notifications the service cares about; answer questions (dismount, lock, query
/// remove) by returning a <see cref="PartyAnswer"/>; watch the files the service keeps open with
/// <see cref="WatchHandle(FileStream, string?, object?)"/>.
/// </summary>
/// <remarks>
/// Register it with <see cref="DeviceNotifyServiceCollectionExtensions.AddDeviceEventService{TService}"/> after
/// <see cref="DeviceNotifyServiceCollectionExtensions.AddDeviceNotifications"/>. Handler calls of one service run one
/// at a time, never concurrently; every handler gets <see cref="Stopping"/>, which is cancelled when the host stops.
/// </remarks>
public abstract partial class DeviceEventService : IHostedService, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _loops = new();
    private readonly AsyncLocal<object?> _inside = new();
    private readonly List<Task> _loopTasks = [];
    private readonly List<RemovalQuery> _late = [];
    private readonly HashSet<HandleWatch> _watches = [];
    private readonly ILogger _logger;
    private int _stopRequested;

    /// <summary>Creates the service on the host's watcher.</summary>
    protected DeviceEventService(DeviceWatcher watcher, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        ArgumentNullException.ThrowIfNull(logger);
        Watcher = watcher;
        _logger = logger;
    }

    /// <summary>The watcher (started by the host before this service starts).</summary>
    protected DeviceWatcher Watcher { get; }

    /// <summary>The service's logger.</summary>
    protected ILogger Logger => _logger;

    /// <summary>Cancelled when the host stops the service.</summary>
    protected CancellationToken Stopping => _stopping.Token;

    /// <summary>
    /// The interface classes whose arrivals and removals the service wants (<see cref="OnInterfaceArrivalAsync"/>),
    /// existing ones first; none by default.
    /// </summary>
    protected virtual IReadOnlyList<InterfaceClass> InterfaceClasses => [];

    /// <summary>How many notifications may wait for each of the service's registrations.</summary>
    protected virtual int QueueCapacity => RegistrationOptions.DefaultQueueCapacity;

    /// <summary>The handle watches live now.</summary>
    public IReadOnlyCollection<HandleWatch> HandleWatches
    {
        get
        {
            lock (_watches)
                return [.. _watches];
        }
    }

    /// <summary>Registers for the interface classes, then calls <see cref="OnStartedAsync"/>.</summary>
    public virtual async Task StartAsync(CancellationToken cancellationToken)
    {
        if (InterfaceClasses.Count > 0)
        {
            StartLoop(DeviceFilter.ForInterfaces([.. InterfaceClasses]), null,
                new RegistrationOptions { IncludeExisting = true, Name = $"{GetType().Name} interfaces", QueueCapacity = QueueCapacity });
        }
        await RunOnceAsync(() => OnStartedAsync(cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops: cancels <see cref="Stopping"/>, waits for the handler in progress, calls <see cref="OnStoppingAsync"/>,
    /// accepts the questions still open (the service holds nothing any more) and ends every registration.
    /// </summary>
    public virtual async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) != 0)
            return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        bool gated = false;
        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            gated = true;
            await OnStoppingAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStopTimedOut(GetType().Name);
        }
        catch (Exception ex)
        {
            LogHandlerFailed(ex, GetType().Name, nameof(OnStoppingAsync));
        }
        finally
        {
            AcceptLateQuestions();
            await _loops.CancelAsync().ConfigureAwait(false);
            if (gated)
                _gate.Release();
        }
        Task[] loops;
        lock (_loopTasks)
            loops = [.. _loopTasks];
        try
        {
            await Task.WhenAll(loops).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStopTimedOut(GetType().Name);
        }
    }

    /// <summary>Stops the service if the host did not.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
        _loops.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Watches the volume (or device) behind an open file: the service hears when it is dismounted, locked or removed.</summary>
    /// <exception cref="ArgumentException">The stream is closed, or not on a device (tmpfs, proc).</exception>
    /// <exception cref="InvalidOperationException">The service is stopping.</exception>
    [SupportedOSPlatform("linux")]
    protected HandleWatch WatchHandle(FileStream stream, string? name = null, object? state = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Watch(HandleIdentity.Of(stream.SafeFileHandle), name ?? stream.Name, state);
    }

    /// <summary>Watches the volume (or device) behind an open handle.</summary>
    /// <exception cref="ArgumentException">The handle is closed, or not on a device (tmpfs, proc).</exception>
    /// <exception cref="InvalidOperationException">The service is stopping.</exception>
    [SupportedOSPlatform("linux")]
    protected HandleWatch WatchHandle(SafeHandle handle, string name, object? state = null)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return Watch(HandleIdentity.Of(handle), name, state);
    }

    /// <summary>
    /// Watches a device by its number, without a handle (a volume the service saw arrive and wants to hear mounted,
    /// dismounted or removed).
    /// </summary>
    /// <exception cref="ArgumentException">The device has no device number (a network interface).</exception>
    /// <exception cref="InvalidOperationException">The service is stopping.</exception>
    protected HandleWatch WatchDevice(Device device, string? name = null, object? state = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.Major is not int major || device.Minor is not int minor)
            throw new ArgumentException($"{device} has no device number (MAJOR/MINOR); watch a block or character device.", nameof(device));
        var watch = Watch(new HandleIdentity(major, minor, IsDeviceNode: true, IsBlock: device.Subsystem == "block"), name ?? device.DevNode ?? device.SysName, state);
        watch.Device = device;
        return watch;
    }

    /// <summary>Watches the device an identity names (see <see cref="HandleIdentity"/>).</summary>
    /// <exception cref="ArgumentException">No device with that number is known.</exception>
    /// <exception cref="InvalidOperationException">The service is stopping.</exception>
    protected HandleWatch Watch(HandleIdentity identity, string name, object? state = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_stopping.IsCancellationRequested)
            throw new InvalidOperationException($"{GetType().Name} is stopping; it cannot watch {name}.");
        var watch = new HandleWatch(this, name, identity, state);
        lock (_watches)
            _watches.Add(watch);
        try
        {
            StartLoop(DeviceFilter.ForHandle(identity), watch, new RegistrationOptions { Name = name, QueueCapacity = QueueCapacity });
        }
        catch
        {
            Forget(watch);
            throw;
        }
        return watch;
    }

    /// <summary>Called once after the service registered (and before any notification is handled): open files here.</summary>
    protected virtual ValueTask OnStartedAsync(CancellationToken cancellationToken) => default;

    /// <summary>Called once when the host stops, after the handler in progress returned: close files here.</summary>
    protected virtual ValueTask OnStoppingAsync(CancellationToken cancellationToken) => default;

    /// <summary>An interface of one of <see cref="InterfaceClasses"/> arrived (or was present at start).</summary>
    protected virtual ValueTask OnInterfaceArrivalAsync(DeviceInterface deviceInterface, DeviceNotification notification, CancellationToken cancellationToken) => default;

    /// <summary>An interface of one of <see cref="InterfaceClasses"/> went away.</summary>
    protected virtual ValueTask OnInterfaceRemovalAsync(DeviceInterface deviceInterface, DeviceNotification notification, CancellationToken cancellationToken) => default;

    /// <summary>Events were lost and are being made up (synthesized notifications follow); <paramref name="watch"/> is null for the interface registration.</summary>
    protected virtual ValueTask OnOverflowAsync(HandleWatch? watch, DeviceNotification notification, CancellationToken cancellationToken) => default;

    /// <summary>Someone asks to remove the watched device (<c>DBT_DEVICEQUERYREMOVE</c>): close the handle and accept, or veto.</summary>
    protected virtual ValueTask<PartyAnswer> OnQueryRemoveAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken)
        => ValueTask.FromResult(PartyAnswer.Accepted);

    /// <summary>The removal failed (<c>DBT_DEVICEQUERYREMOVEFAILED</c>): reopen.</summary>
    protected virtual ValueTask OnQueryRemoveFailedAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken) => default;

    /// <summary>The device is being removed (<c>DBT_DEVICEREMOVEPENDING</c>).</summary>
    protected virtual ValueTask OnRemovePendingAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken) => default;

    /// <summary>The device is gone (<c>DBT_DEVICEREMOVECOMPLETE</c>); the watch ends after this call.</summary>
    protected virtual ValueTask OnRemoveCompleteAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken) => default;

    /// <summary>
    /// The volume is being dismounted: close the files on it and accept, or veto. For a dismount someone requested
    /// through DeviceNotify, <see cref="DeviceNotification.Query"/> is set and the answer counts; for an unmount that
    /// already happened (an external <c>umount</c>) the answer is ignored.
    /// </summary>
    protected virtual ValueTask<PartyAnswer> OnVolumeDismountAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken)
        => ValueTask.FromResult(PartyAnswer.Accepted);

    /// <summary>The requested dismount failed: reopen.</summary>
    protected virtual ValueTask OnVolumeDismountFailedAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken) => default;

    /// <summary>The volume was mounted (<see cref="CustomEventData.MountPoint"/> says where).</summary>
    protected virtual ValueTask OnVolumeMountAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken) => default;

    /// <summary>Someone asks for an exclusive lock on the volume: close the files on it and accept, or veto.</summary>
    protected virtual ValueTask<PartyAnswer> OnVolumeLockAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken)
        => ValueTask.FromResult(PartyAnswer.Accepted);

    /// <summary>The requested lock failed: reopen.</summary>
    protected virtual ValueTask OnVolumeLockFailedAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken) => default;

    /// <summary>The lock was released: reopen.</summary>
    protected virtual ValueTask OnVolumeUnlockAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken) => default;

    /// <summary>The volume's label changed (<see cref="CustomEventData.OldLabel"/>, <see cref="CustomEventData.NewLabel"/>).</summary>
    protected virtual ValueTask OnVolumeChangeAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken) => default;

    /// <summary>Another custom event (size change, media arrival or removal, eject request).</summary>
    protected virtual ValueTask OnCustomEventAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken) => default;

    internal bool IsInsideHandlerFor(HandleWatch watch) => ReferenceEquals(_inside.Value, watch);

    internal void Forget(HandleWatch watch)
    {
        lock (_watches)
            _watches.Remove(watch);
    }

    private void StartLoop(DeviceFilter filter, HandleWatch? watch, RegistrationOptions options)
    {
        var linked = watch is null ? null : CancellationTokenSource.CreateLinkedTokenSource(_loops.Token, watch.Stopped);
        var token = linked?.Token ?? _loops.Token;
        var stream = Watcher.WatchAsync(filter, options, token).GetAsyncEnumerator(token);
        // The first step runs here, synchronously up to its first wait: that is where the registration is made, so
        // it exists when this returns, and a registration error is thrown to the caller.
        var first = stream.MoveNextAsync();
        if (first.IsCompleted && !first.IsCompletedSuccessfully)
        {
            try
            {
                first.GetAwaiter().GetResult();
            }
            finally
            {
                linked?.Dispose();
            }
        }
        Task loop;
        using (ExecutionContext.SuppressFlow())
            loop = Task.Run(() => LoopAsync(stream, first, watch, linked));
        watch?.Run(loop);
        lock (_loopTasks)
        {
            _loopTasks.RemoveAll(t => t.IsCompleted);
            _loopTasks.Add(loop);
        }
    }

    private async Task LoopAsync(IAsyncEnumerator<DeviceNotification> stream, ValueTask<bool> first, HandleWatch? watch, CancellationTokenSource? linked)
    {
        try
        {
            bool more = await first.ConfigureAwait(false);
            while (more && await HandleAsync(watch, stream.Current).ConfigureAwait(false))
                more = await stream.MoveNextAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_loops.IsCancellationRequested || watch?.Stopped.IsCancellationRequested == true)
        {
            // Stopped by the service or the watch: the normal end.
        }
        catch (DeviceNotifyException ex)
        {
            LogSourceFailed(ex, GetType().Name);
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            linked?.Dispose();
            if (watch is not null)
                Forget(watch);
        }
    }

    /// <summary>One notification: the handler runs under the gate; a question is answered. False after the last one of a watch.</summary>
    private async Task<bool> HandleAsync(HandleWatch? watch, DeviceNotification n)
    {
        var query = n.Query;
        if (watch is not null && n.Device is not null)
            watch.Device = n.Device;
        // A watch disposed while it waits here (by a handler of another registration, which holds the gate and awaits
        // this loop) stops waiting: its registration goes, and a question it held is accepted.
        await _gate.WaitAsync(watch?.Stopped ?? CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_stopping.IsCancellationRequested)
            {
                // Keep the loop (and so the registration) until the service's files are closed; then it is accepted.
                Late(query);
                return true;
            }
            PartyAnswer answer;
            try
            {
                _inside.Value = (object?)watch ?? this;
                answer = await DispatchAsync(watch, n, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // Shutting down: answered once OnStoppingAsync has closed the service's files.
                Late(query);
                return true;
            }
            catch (Exception ex)
            {
                LogHandlerFailed(ex, GetType().Name, n.ToString());
                answer = new PartyAnswer(VetoType.HandlerFailed, $"{GetType().Name} failed: {ex.Message}");
            }
            if (query is not null)
            {
                if (answer.IsVeto)
                    query.Veto(string.IsNullOrWhiteSpace(answer.Reason) ? $"vetoed by {GetType().Name}" : answer.Reason);
                else
                    query.Accept();
            }
            return n.Action != NotificationAction.RemoveComplete;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<PartyAnswer> DispatchAsync(HandleWatch? watch, DeviceNotification n, CancellationToken ct)
    {
        if (n.Action == NotificationAction.Overflow)
        {
            await OnOverflowAsync(watch, n, ct).ConfigureAwait(false);
            return PartyAnswer.Accepted;
        }
        if (watch is null)
        {
            if (n.Action == NotificationAction.InterfaceArrival)
                await OnInterfaceArrivalAsync(n.Interface!, n, ct).ConfigureAwait(false);
            else if (n.Action == NotificationAction.InterfaceRemoval)
                await OnInterfaceRemovalAsync(n.Interface!, n, ct).ConfigureAwait(false);
            return PartyAnswer.Accepted;
        }
        switch (n.Action)
        {
            case NotificationAction.QueryRemove:
                return await OnQueryRemoveAsync(watch, n, ct).ConfigureAwait(false);
            case NotificationAction.QueryRemoveFailed:
                await OnQueryRemoveFailedAsync(watch, n, ct).ConfigureAwait(false);
                break;
            case NotificationAction.RemovePending:
                await OnRemovePendingAsync(watch, n, ct).ConfigureAwait(false);
                break;
            case NotificationAction.RemoveComplete:
                await OnRemoveCompleteAsync(watch, n, ct).ConfigureAwait(false);
                break;
            case NotificationAction.CustomEvent:
                return await DispatchCustomAsync(watch, n, ct).ConfigureAwait(false);
        }
        return PartyAnswer.Accepted;
    }

    private async ValueTask<PartyAnswer> DispatchCustomAsync(HandleWatch watch, DeviceNotification n, CancellationToken ct)
    {
        var g = n.CustomEvent!.EventGuid;
        if (g == VolumeEvents.VolumeDismount)
            return await OnVolumeDismountAsync(watch, n, ct).ConfigureAwait(false);
        if (g == VolumeEvents.VolumeLock)
            return await OnVolumeLockAsync(watch, n, ct).ConfigureAwait(false);
        var handler = g == VolumeEvents.VolumeDismountFailed ? OnVolumeDismountFailedAsync
            : g == VolumeEvents.VolumeMount ? OnVolumeMountAsync
            : g == VolumeEvents.VolumeLockFailed ? OnVolumeLockFailedAsync
            : g == VolumeEvents.VolumeUnlock ? OnVolumeUnlockAsync
            : g == VolumeEvents.VolumeChange ? OnVolumeChangeAsync
            : (Func<HandleWatch, DeviceNotification, CancellationToken, ValueTask>)OnCustomEventAsync;
        await handler(watch, n, ct).ConfigureAwait(false);
        return PartyAnswer.Accepted;
    }

    private async Task RunOnceAsync(Func<ValueTask> action)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await action().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Late(RemovalQuery? query)
    {
        if (query is null)
            return;
        query.Defer();
        lock (_late)
            _late.Add(query);
    }

    private void AcceptLateQuestions()
    {
        RemovalQuery[] late;
        lock (_late)
        {
            late = [.. _late];
            _late.Clear();
        }
        foreach (var q in late)
            q.Accept();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Service}: a handler failed ({What}); a question it was answering is vetoed.")]
    private partial void LogHandlerFailed(Exception exception, string service, string what);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Service}: the device source failed; the service hears no more device events.")]
    private partial void LogSourceFailed(Exception exception, string service);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service}: the host stopped waiting for the service to stop.")]
    private partial void LogStopTimedOut(string service);
}
