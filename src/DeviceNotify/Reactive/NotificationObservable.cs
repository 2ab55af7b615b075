namespace DeviceNotify.Reactive;

/// <summary>A registration per subscription; the Ended notice becomes OnCompleted or OnError.</summary>
internal sealed class NotificationObservable(DeviceWatcher watcher, DeviceFilter filter, RegistrationOptions? options) : IObservable<DeviceNotification>
{
    public IDisposable Subscribe(IObserver<DeviceNotification> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        try
        {
            return watcher.Register(filter, n => Deliver(observer, n), options);
        }
        catch (Exception ex) when (ex is InvalidOperationException or DeviceNotifyException)
        {
            // ObjectDisposedException is an InvalidOperationException: a disposed watcher fails the sequence too.
            observer.OnError(ex);
            return NoSubscription.Instance;
        }
    }

    private static void Deliver(IObserver<DeviceNotification> observer, DeviceNotification n)
    {
        if (n.Action != NotificationAction.Ended)
        {
            observer.OnNext(n);
            return;
        }
        if (n.End!.Reason == EndReason.SourceFailed)
            observer.OnError(new DeviceNotifyException($"The device source failed: {n.End.Error?.Message}", n.End.Error!));
        else
            observer.OnCompleted();
    }

    private sealed class NoSubscription : IDisposable
    {
        internal static readonly NoSubscription Instance = new();

        public void Dispose()
        {
        }
    }
}
