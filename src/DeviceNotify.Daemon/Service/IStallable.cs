namespace DeviceNotify.Daemon.Service;

/// <summary>A call that writes to a client, watched for a write that waits too long (the client stopped reading).</summary>
internal interface IStallable
{
    /// <summary>Stopwatch timestamp at which the pending write started; 0 when none is pending.</summary>
    long WriteStartedAt { get; }

    /// <summary>Ends the call: the client has not read for longer than the stall timeout.</summary>
    void Stalled(TimeSpan waited);
}
