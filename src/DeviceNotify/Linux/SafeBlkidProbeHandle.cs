using System.Runtime.InteropServices;

namespace DeviceNotify.Linux;

/// <summary>An owned <c>blkid_probe</c> (it holds the device open); freed exactly once.</summary>
internal sealed class SafeBlkidProbeHandle : SafeHandle
{
    public SafeBlkidProbeHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    internal SafeBlkidProbeHandle(nint probe) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(probe);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        Interop.BlkidFreeProbe(handle);
        return true;
    }
}
