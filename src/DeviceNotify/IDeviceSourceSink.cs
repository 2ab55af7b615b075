namespace DeviceNotify;

/// <summary>What a source reports to (the dispatcher). Called from one thread at a time.</summary>
internal interface IDeviceSourceSink
{
    /// <summary>Events in order; <paramref name="timestamp"/> is when the batch was received (Stopwatch ticks).</summary>
    void OnEvents(ReadOnlySpan<Device?> events, long timestamp);

    /// <summary>Events were lost; the sink resynchronises (calling <see cref="DeviceSource.Enumerate"/>) before returning.</summary>
    void OnOverflow();

    /// <summary>The mount table changed; <paramref name="mounts"/> is all of it.</summary>
    void OnMountTable(IReadOnlyList<MountPoint> mounts);

    /// <summary>The volume behind a watched device node may have new contents (closed after writing): probe it again.</summary>
    void OnVolumeWritten(string devNode);

    /// <summary>The source failed after start-up and delivers nothing more.</summary>
    void OnFailed(Exception exception);

    /// <summary>
    /// The removal parties of this process bound to <paramref name="device"/> (its handle registrations): a platform
    /// whose own removal requests reach the source (Windows' query-remove) asks and tells them directly. No lock is
    /// held when it returns.
    /// </summary>
    IReadOnlyList<RemovalParty> PartiesOf(Device device);
}
