namespace DeviceNotify.Diagnostics;

/// <summary>
/// The names of DeviceNotify's metrics (System.Diagnostics.Metrics, OpenTelemetry naming): one meter,
/// <see cref="MeterName"/>, created through the <see cref="System.Diagnostics.Metrics.IMeterFactory"/> given in
/// <see cref="DeviceWatcherOptions.MeterFactory"/>, or a process-wide one when none is given.
/// </summary>
/// <remarks>
/// Counters that the watcher keeps anyway (events, overflows, notifications) are observable instruments: reading
/// them costs nothing until a listener collects. Negotiations are recorded when they end. Every watcher of the
/// process that uses the same meter adds to the same instruments.
/// </remarks>
public static class DeviceNotifyMeter
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "DeviceNotify";

    /// <summary>Events the source accepted (kernel uevents on Linux). Observable counter, <c>{event}</c>.</summary>
    public const string EventsReceived = "devicenotify.events.received";

    /// <summary>Datagrams dropped because the sender was not the kernel; tag <see cref="ReasonTag"/>: <c>sender</c> or <c>credentials</c>. Observable counter, <c>{event}</c>.</summary>
    public const string EventsRejected = "devicenotify.events.rejected";

    /// <summary>Datagrams dropped as unreadable; tag <see cref="ErrorTypeTag"/>: <c>truncated</c> or <c>malformed</c>. Observable counter, <c>{event}</c>.</summary>
    public const string EventsMalformed = "devicenotify.events.malformed";

    /// <summary>Buffered events dropped as duplicates of the initial listing (guarantee 1). Observable counter, <c>{event}</c>.</summary>
    public const string EventsReconciled = "devicenotify.events.reconciled";

    /// <summary>Overflows; tag <see cref="OverflowKindTag"/>: <c>kernel_buffer</c> or <c>subscriber_queue</c>. Observable counter, <c>{overflow}</c>.</summary>
    public const string Overflows = "devicenotify.overflows";

    /// <summary>Resynchronisations against the system after kernel overflows. Observable counter, <c>{resynchronization}</c>.</summary>
    public const string Resynchronizations = "devicenotify.resynchronizations";

    /// <summary>Notifications taken from registration queues by their consumers. Observable counter, <c>{notification}</c>.</summary>
    public const string NotificationsDelivered = "devicenotify.notifications.delivered";

    /// <summary>Notifications a registration could not queue because its consumer was behind (made up by resynchronisation). Observable counter, <c>{notification}</c>.</summary>
    public const string NotificationsDropped = "devicenotify.notifications.dropped";

    /// <summary>Callbacks that threw. Observable counter, <c>{error}</c>.</summary>
    public const string CallbackErrors = "devicenotify.callback.errors";

    /// <summary>Live registrations. Observable up-down counter, <c>{registration}</c>.</summary>
    public const string Registrations = "devicenotify.registrations";

    /// <summary>Notifications waiting in each registration's queue; tag <see cref="RegistrationNameTag"/>. Observable up-down counter, <c>{notification}</c>.</summary>
    public const string RegistrationQueueLength = "devicenotify.registration.queue.length";

    /// <summary>Removal negotiations that ended; tags <see cref="OperationTag"/> and <see cref="OutcomeTag"/>. Counter, <c>{negotiation}</c>.</summary>
    public const string Negotiations = "devicenotify.negotiations";

    /// <summary>Vetoes in ended negotiations; tags <see cref="OperationTag"/> and <see cref="VetoTypeTag"/>. Counter, <c>{veto}</c>.</summary>
    public const string Vetoes = "devicenotify.negotiation.vetoes";

    /// <summary>How long negotiations took, from the first question to the result; tags <see cref="OperationTag"/> and <see cref="OutcomeTag"/>. Histogram, <c>s</c>.</summary>
    public const string NegotiationDuration = "devicenotify.negotiation.duration";

    /// <summary>Tag: why an event was rejected.</summary>
    public const string ReasonTag = "devicenotify.reject.reason";

    /// <summary>Tag: why an event could not be read (the OpenTelemetry <c>error.type</c> attribute).</summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>Tag: which queue overflowed.</summary>
    public const string OverflowKindTag = "devicenotify.overflow.kind";

    /// <summary>Tag: the registration's name (<see cref="RegistrationOptions.Name"/>, or its filter).</summary>
    public const string RegistrationNameTag = "devicenotify.registration.name";

    /// <summary>Tag: <c>dismount</c>, <c>lock</c> or <c>eject</c>.</summary>
    public const string OperationTag = "devicenotify.negotiation.operation";

    /// <summary>Tag: <c>succeeded</c>, <c>forced</c>, <c>vetoed</c>, <c>refused</c> (the kernel or the platform said no) or <c>abandoned</c> (cancelled, or an exception).</summary>
    public const string OutcomeTag = "devicenotify.negotiation.outcome";

    /// <summary>Tag: the <see cref="VetoType"/> in snake case (<c>application_veto</c>, <c>timeout</c>, <c>handler_failed</c>, <c>outstanding_open</c>, <c>kernel_refused</c>).</summary>
    public const string VetoTypeTag = "devicenotify.veto.type";
}
