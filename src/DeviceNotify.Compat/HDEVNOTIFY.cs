namespace DeviceNotify.Compat;

/// <summary><c>HDEVNOTIFY</c>: the handle <see cref="User32.RegisterDeviceNotification"/> returns (pointer-sized); null on failure.</summary>
/// <param name="Value">The handle's value; 0 is no handle.</param>
public readonly record struct HDEVNOTIFY(nint Value)
{
    /// <summary>True for the null handle (the registration failed: see <see cref="Kernel32.GetLastError"/>).</summary>
    public bool IsNull => Value == 0;
}
