namespace DeviceNotify.Dispatch;

/// <summary>What a volume probe found: filesystem type, label and UUID, or why it could not tell.</summary>
internal readonly record struct VolumeProbeResult(string? Type, string? Label, string? Uuid, string? Error)
{
    internal static VolumeProbeResult Unavailable(string why) => new(null, null, null, why);
}
