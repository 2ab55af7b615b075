namespace DeviceNotify.Simulation;

/// <summary>
/// One step of a parsed capture: a batch of events received together (<paramref name="Events"/>, stamped
/// <paramref name="Time"/> in nanoseconds), or an overflow after which the device tree is <paramref name="TreeAfter"/>.
/// </summary>
internal sealed record CaptureStep(Device[]? Events, IReadOnlyList<Device>? TreeAfter, long Time);
