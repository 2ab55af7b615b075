using DeviceNotify.Windows;

namespace DeviceNotify.Windows.Tests.Backend;

/// <summary>
/// A small Windows machine in the fake: a USB stick (removable USB device → USBSTOR disk → one volume mounted at E:,
/// the volume a child of the volume manager as on Windows) and a network adapter; and a DeviceWatcher on the real
/// Windows source over it.
/// </summary>
internal sealed class FakeSystem : IDisposable
{
    internal const string DiskLink = @"\\?\USBSTOR#Disk&Ven_Fake&Prod_Stick#0001#{53f56307-b6bf-11d0-94f2-00a0c91efb8b}";
    internal const string VolumeLink = @"\\?\STORAGE#Volume#{7d1a2b3c-0000-0000-0000-100000000000}#{53f5630d-b6bf-11d0-94f2-00a0c91efb8b}";
    internal const string VolumeName = @"\\?\Volume{aaaaaaaa-0000-0000-0000-000000000001}\";
    internal const string NetLink = @"\\?\PCI#VEN_8086&DEV_100E#3&11583659&0&18#{cac88484-7515-4c03-82e6-71a87abac361}";
    internal static readonly FakeWindows.Storage DiskStorage = new(7, 1, 0, false, null);
    internal static readonly FakeWindows.Storage VolumeStorage = new(7, 1, 1, true, VolumeName);

    internal FakeSystem(Action<FakeWindows>? beforeStart = null)
    {
        Native = new FakeWindows();
        var pci = Native.AddNode(@"PCI\VEN_8086&DEV_A36D&SUBSYS_00000000&REV_10\3&11583659&0&A0");
        UsbDevice = Native.AddNode(@"USB\VID_0781&PID_5583\4C530001", pci, removable: true);
        DiskNode = Native.AddNode(@"USBSTOR\DISK&VEN_FAKE&PROD_STICK\0001", UsbDevice);
        var volmgr = Native.AddNode(@"ROOT\VOLMGR\0000");
        VolumeNode = Native.AddNode(@"STORAGE\VOLUME\{7D1A2B3C-0000-0000-0000-100000000000}", volmgr);
        DiskNode.RemovalRelations.Add(VolumeNode);
        NetNode = Native.AddNode(@"PCI\VEN_8086&DEV_100E\3&11583659&0&18", pci);
        Native.AddInterface(InterfaceClass.Disk.Guid, DiskLink, DiskNode, DiskStorage);
        Native.AddInterface(InterfaceClass.Volume.Guid, VolumeLink, VolumeNode, VolumeStorage);
        Native.AddInterface(InterfaceClass.Net.Guid, NetLink, NetNode);
        Native.MountPaths[VolumeName] = [@"E:\"];
        Native.VolumeInfo[VolumeName] = ("FAKESTICK", "NTFS");
        Native.FinalPaths[@"E:\notes.txt"] = VolumeName + "notes.txt";
        Native.FinalPaths[@"E:\"] = VolumeName;
        beforeStart?.Invoke(Native);
        Watcher = new DeviceWatcher(new DeviceWatcherOptions { Source = new KernelDeviceSource(new KernelDeviceSourceOptions { QueryDeadline = TimeSpan.FromSeconds(20) }, Native) });
        Watcher.Start();
    }

    internal FakeWindows Native { get; }
    internal FakeWindows.Node UsbDevice { get; }
    internal FakeWindows.Node DiskNode { get; }
    internal FakeWindows.Node VolumeNode { get; }
    internal FakeWindows.Node NetNode { get; }
    internal DeviceWatcher Watcher { get; }

    /// <summary>The volume's identity as a handle registration on Windows would carry it (storage numbers, volume bit).</summary>
    internal static HandleIdentity VolumeIdentity => new((7 << 16) | 1, StorageIdentity.VolumeBit | 1, true, true);

    internal RemovalCoordinator Coordinator() => new(Watcher, new RemovalActuator(Native), new HolderFinder());

    public void Dispose()
    {
        Watcher.Dispose();
        Native.Dispose();
    }
}
