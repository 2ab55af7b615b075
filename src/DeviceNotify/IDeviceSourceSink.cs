namespace DeviceNotify;

/// <summary>What a source reports to (the dispatcher). Called from one thread at a time.</summary>
internal interface IDeviceSourceSink
{
    /// <summary>Events in kernel order; <paramref name="timestamp"/> is when the batch was received (Stopwatch ticks).</summary>
    void OnEvents(ReadOnlySpan<Device?> events, long timestamp);

    /// <summary>Events were lost; the sink resynchronises before the next <see cref="OnEvents"/>.</summary>
    void OnOverflow();

    /// <summary>A failure after start-up.</summary>
    void OnError(Exception exception);
}
