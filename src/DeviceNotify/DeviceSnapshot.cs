namespace DeviceNotify;

/// <summary>The devices a source listed, and the event sequence number it had reached when the listing ended.</summary>
internal readonly record struct DeviceSnapshot(IReadOnlyList<Device> Devices, ulong SequenceNumber);
