namespace DeviceNotify;

/// <summary>
/// Someone the removal coordinator must ask before a device or volume goes: a handle registration in this process
/// (built in), or one in another process reached through a broker. The coordinator asks every party bound to the
/// target at once, waits for the answers until the deadline, and tells every party it asked how it ended.
/// </summary>
/// <remarks>
/// Implementations answer through the returned task: accept once the handle is closed, or veto with a reason.
/// The token passed to <see cref="AskAsync"/> is cancelled when the question is withdrawn (the deadline passed, or
/// the requester gave up); the coordinator then records the party's silence itself. <see cref="Tell"/> must not
/// block: queue and return.
/// </remarks>
public abstract class RemovalParty
{
    /// <summary>Creates a party.</summary>
    protected RemovalParty() { }

    /// <summary>A name for results and logs (the registration's name).</summary>
    public abstract string Name { get; }

    /// <summary>The process that holds the handle.</summary>
    public abstract int ProcessId { get; }

    /// <summary>That process's command name, when known.</summary>
    public abstract string? ProcessName { get; }

    /// <summary>The device the party's handle is bound to now; null once the device is gone or the party left.</summary>
    public abstract Device? Device { get; }

    /// <summary>Asks the question; completes with the party's answer.</summary>
    /// <param name="question">What is asked (<see cref="NotificationAction.QueryRemove"/>, or a VolumeDismount/VolumeLock custom event).</param>
    /// <param name="cancellationToken">Cancelled when the question is withdrawn.</param>
    public abstract Task<PartyAnswer> AskAsync(RemovalMessage question, CancellationToken cancellationToken);

    /// <summary>Tells the party something that needs no answer (a failed notice, RemovePending, VolumeUnlock). Does not block.</summary>
    public abstract void Tell(RemovalMessage notice);

    /// <summary>Name and process.</summary>
    public override string ToString() => $"{Name} (pid {ProcessId} {ProcessName})";
}
