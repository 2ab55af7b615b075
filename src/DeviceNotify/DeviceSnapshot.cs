namespace DeviceNotify;

/// <summary>The devices a source listed, the event sequence number it had reached when the listing ended, and the mount table.</summary>
internal readonly record struct DeviceSnapshot(IReadOnlyList<Device> Devices, ulong SequenceNumber, IReadOnlyList<MountPoint> Mounts);
