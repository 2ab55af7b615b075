namespace DeviceNotify;

/// <summary>What a removal request asks for.</summary>
public enum RemovalOperation
{
    /// <summary>Not set.</summary>
    None = 0,
    /// <summary>Unmount a volume.</summary>
    Dismount,
    /// <summary>Take an exclusive lock on a volume.</summary>
    Lock,
    /// <summary>Unmount a device's volumes, then remove the device.</summary>
    Eject,
}
