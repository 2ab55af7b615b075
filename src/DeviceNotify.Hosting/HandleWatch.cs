namespace DeviceNotify.Hosting;

/// <summary>
/// A watched handle of a <see cref="DeviceEventService"/>: the device or volume behind a file the service keeps
/// open (the <c>RegisterDeviceNotification(DBT_DEVTYP_HANDLE)</c> analogue). It stays bound to the device when the
/// file is closed, so the service hears the failed notices and later mounts, and reopens.
/// </summary>
public sealed class HandleWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly DeviceEventService _owner;
    private Task _loop = Task.CompletedTask;

    internal HandleWatch(DeviceEventService owner, string name, HandleIdentity identity, object? state)
    {
        _owner = owner;
        Name = name;
        Identity = identity;
        State = state;
    }

    /// <summary>The name given when the watch was made (the registration's name in negotiation results).</summary>
    public string Name { get; }

    /// <summary>The device number the watch is bound to.</summary>
    public HandleIdentity Identity { get; }

    /// <summary>Whatever the service wants to keep with the watch (its open file, a catalog entry).</summary>
    public object? State { get; set; }

    /// <summary>The device as last reported to this watch; null until a notification arrived.</summary>
    public Device? Device { get; internal set; }

    /// <summary>True once the watch was disposed, or its device was removed.</summary>
    public bool IsEnded => _loop.IsCompleted;

    internal CancellationToken Stopped => _stop.Token;

    internal void Run(Task loop) => _loop = loop;

    /// <summary>
    /// Stops watching (the registration goes; a question still open is accepted). Completes when no handler call for
    /// this watch runs any more, unless called from inside one.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
            await _stop.CancelAsync().ConfigureAwait(false);
        if (!_owner.IsInsideHandlerFor(this))
            await _loop.ConfigureAwait(false);
        _owner.Forget(this);
    }

    /// <summary>The name and the device number.</summary>
    public override string ToString() => $"{Name} ({Identity})";
}
