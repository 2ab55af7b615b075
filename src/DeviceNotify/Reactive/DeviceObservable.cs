namespace DeviceNotify.Reactive;

/// <summary>
/// Notifications as an <see cref="IObservable{T}"/>, for System.Reactive and other Rx-style consumers (no
/// dependency: any <see cref="IObserver{T}"/> works).
/// </summary>
public static class DeviceObservable
{
    /// <summary>
    /// The notifications <paramref name="filter"/> selects, as a cold observable: each subscription is a registration
    /// of its own, with every guarantee of <see cref="DeviceWatcher.Register"/>.
    /// </summary>
    /// <remarks>
    /// <para>OnNext runs one call at a time per subscription, in kernel order, on the thread pool (or the
    /// registration's own thread, <see cref="RegistrationOptions.DedicatedThread"/>). Disposing the subscription
    /// waits for an OnNext in progress and guarantees none afterwards; disposing it from inside OnNext returns at once.</para>
    /// <para>The sequence completes when the watcher is disposed and fails with <see cref="DeviceNotifyException"/>
    /// when its source fails; the <see cref="NotificationAction.Ended"/> notice itself is not passed on. A subscription
    /// that cannot be registered (watcher not started, disposed, or failed) gets OnError at once.</para>
    /// <para>Questions (<see cref="DeviceNotification.Query"/>): returning from OnNext without answering accepts,
    /// unless deferred; an OnNext that throws vetoes (<see cref="VetoType.HandlerFailed"/>) and the subscription goes
    /// on, as with a callback.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="watcher"/> or <paramref name="filter"/> is null.</exception>
    public static IObservable<DeviceNotification> Observe(this DeviceWatcher watcher, DeviceFilter filter, RegistrationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        ArgumentNullException.ThrowIfNull(filter);
        return new NotificationObservable(watcher, filter, options);
    }
}
