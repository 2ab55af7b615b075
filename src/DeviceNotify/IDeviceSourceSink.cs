namespace DeviceNotify;

/// <summary>What a source reports to (the dispatcher). Called from one thread at a time.</summary>
internal interface IDeviceSourceSink
{
    /// <summary>Events in kernel order; <paramref name="timestamp"/> is when the batch was received (Stopwatch ticks).</summary>
    void OnEvents(ReadOnlySpan<Device?> events, long timestamp);

    /// <summary>Events were lost; the sink resynchronises before the next <see cref="OnEvents"/>.</summary>
    void OnOverflow();

    /// <summary>The mount table changed; <paramref name="mounts"/> is all of it.</summary>
    void OnMountTable(IReadOnlyList<MountPoint> mounts);

    /// <summary>A watched device node was closed after writing (udevd's "watch"): re-probe its volume.</summary>
    void OnDeviceNodeWritten(string devNode);

    /// <summary>A failure after start-up.</summary>
    void OnError(Exception exception);
}
