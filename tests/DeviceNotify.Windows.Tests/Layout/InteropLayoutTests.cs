using System.Runtime.InteropServices;

namespace DeviceNotify.Windows.Tests.Layout;

/// <summary>The Windows backend's own interop structures (Interop/Windows) against the SDK's numbers.</summary>
public unsafe class InteropLayoutTests
{
    [Fact]
    public void The_backends_CM_NOTIFY_FILTER_is_416_bytes_with_the_class_and_handle_at_16()
    {
        Interop.CfgMgr32.CM_NOTIFY_FILTER f = default;
        byte* b = (byte*)&f;
        Assert.Equal(416, sizeof(Interop.CfgMgr32.CM_NOTIFY_FILTER));
        Assert.Equal(0, (int)((byte*)&f.cbSize - b));
        Assert.Equal(4, (int)((byte*)&f.Flags - b));
        Assert.Equal(8, (int)((byte*)&f.FilterType - b));
        Assert.Equal(12, (int)((byte*)&f.Reserved - b));
        Assert.Equal(16, (int)((byte*)&f.ClassGuid - b));
        Assert.Equal(16, (int)((byte*)&f.hTarget - b));
        Assert.Equal(416u, CmRegistrationFilters.Interface.cbSize);
    }

    [Fact]
    public void STORAGE_DEVICE_NUMBER_and_DEVPROPKEY_match_the_SDK()
    {
        Assert.Equal(12, Marshal.SizeOf<Interop.Kernel32.STORAGE_DEVICE_NUMBER>());
        Assert.Equal(20, sizeof(Interop.CfgMgr32.DEVPROPKEY));
    }

    [Fact]
    public void The_control_codes_are_CTL_CODE_of_the_SDKs_operands()
    {
        static uint CtlCode(uint deviceType, uint function, uint method, uint access) => deviceType << 16 | access << 14 | function << 2 | method;
        Assert.True(Interop.Kernel32.FSCTL_LOCK_VOLUME == CtlCode(9, 6, 0, 0), "Interop.Kernel32.FSCTL_LOCK_VOLUME");
        Assert.True(Interop.Kernel32.FSCTL_UNLOCK_VOLUME == CtlCode(9, 7, 0, 0), "Interop.Kernel32.FSCTL_UNLOCK_VOLUME");
        Assert.True(Interop.Kernel32.FSCTL_DISMOUNT_VOLUME == CtlCode(9, 8, 0, 0), "Interop.Kernel32.FSCTL_DISMOUNT_VOLUME");
        Assert.True(Interop.Kernel32.IOCTL_STORAGE_GET_DEVICE_NUMBER == CtlCode(0x2d, 0x420, 0, 0), "Interop.Kernel32.IOCTL_STORAGE_GET_DEVICE_NUMBER");
        Assert.True(Interop.Kernel32.IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS == CtlCode(0x56, 0, 0, 0), "Interop.Kernel32.IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS");
        Assert.True(Compat.Kernel32.FSCTL_LOCK_VOLUME == CtlCode(9, 6, 0, 0), "Compat.Kernel32.FSCTL_LOCK_VOLUME");
        Assert.True(Compat.Kernel32.FSCTL_UNLOCK_VOLUME == CtlCode(9, 7, 0, 0), "Compat.Kernel32.FSCTL_UNLOCK_VOLUME");
        Assert.True(Compat.Kernel32.FSCTL_DISMOUNT_VOLUME == CtlCode(9, 8, 0, 0), "Compat.Kernel32.FSCTL_DISMOUNT_VOLUME");
    }

    private static class CmRegistrationFilters
    {
        internal static Interop.CfgMgr32.CM_NOTIFY_FILTER Interface => DeviceNotify.Windows.CmRegistration.InterfaceFilter();
    }
}
