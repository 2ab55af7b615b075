namespace DeviceNotify.Compat;

/// <summary><c>HCMNOTIFICATION</c>: the opaque handle <see cref="CfgMgr32.CM_Register_Notification"/> returns (pointer-sized).</summary>
/// <param name="Value">The handle's value; 0 is no handle.</param>
public readonly record struct HCMNOTIFICATION(nint Value)
{
    /// <summary>True for the null handle.</summary>
    public bool IsNull => Value == 0;
}
