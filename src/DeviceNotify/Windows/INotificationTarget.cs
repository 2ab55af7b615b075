namespace DeviceNotify.Windows;

/// <summary>Who receives a registration's callbacks through <see cref="NotificationTrampoline"/>.</summary>
internal interface INotificationTarget
{
    /// <summary>
    /// One decoded notification, on cfgmgr32's callback thread. Returns the callback's result: ERROR_SUCCESS, or
    /// ERROR_CANCELLED to veto a query-remove. Must not unregister a registration (that waits for this very call).
    /// </summary>
    uint OnNotification(nint notification, uint action, in NotifyEvent notifyEvent);

    /// <summary>A notification whose data failed the decoder's checks (it is dropped).</summary>
    void OnMalformed(string error);
}
