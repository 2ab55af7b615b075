namespace DeviceNotify.Simulation;

/// <summary>How fast a <see cref="ReplayDeviceSource"/> plays its capture.</summary>
public enum ReplaySpeed
{
    /// <summary>Not set: as <see cref="Maximum"/>.</summary>
    None = 0,
    /// <summary>Every batch as soon as the previous one was dispatched.</summary>
    Maximum,
    /// <summary>With the gaps between batches that the capture recorded (its <c>_t</c> stamps).</summary>
    Recorded,
}
