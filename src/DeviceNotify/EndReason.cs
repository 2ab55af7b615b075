namespace DeviceNotify;

/// <summary>Why a registration ended without being disposed (<see cref="NotificationAction.Ended"/>).</summary>
public enum EndReason
{
    /// <summary>Not set.</summary>
    None = 0,
    /// <summary>The watcher was disposed.</summary>
    WatcherDisposed,
    /// <summary>The device source failed (the kernel socket broke, the reader thread hit an error); see <see cref="EndInfo.Error"/>.</summary>
    SourceFailed,
}
