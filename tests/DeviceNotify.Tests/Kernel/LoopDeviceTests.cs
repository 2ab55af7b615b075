using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Kernel;

[Collection(KernelCollection.Name)]
public class LoopDeviceTests
{
    [Fact]
    public void Attaching_and_detaching_a_loop_device_is_seen_and_its_volume_comes_and_goes()
    {
        using var watcher = DeviceWatcher.StartNew();
        var blockEvents = new NotificationRecorder();
        var volumes = new NotificationRecorder();
        using var r1 = watcher.Register(DeviceFilter.ForDevices(new DeviceMatch { Subsystem = "block" }), blockEvents.Record);
        using var r2 = watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.Volume), volumes.Record);

        string node;
        using (var loop = new LoopDevice())
        {
            node = loop.DevNode;
            Assert.True(volumes.WaitUntil(a => a.Any(n => n.Action == NotificationAction.InterfaceArrival && n.Interface!.Path == node), TestTimeouts.Expected),
                "no Volume arrival after losetup");
            loop.Detach();
            Assert.True(volumes.WaitUntil(a => a.Any(n => n.Action == NotificationAction.InterfaceRemoval && n.Interface!.Path == node), TestTimeouts.Expected),
                "no Volume removal after losetup -d");
        }

        var mine = blockEvents.All.Where(n => n.Device!.DevNode == node).ToList();
        Assert.NotEmpty(mine);
        Assert.All(mine, n =>
        {
            Assert.Equal("block", n.Device!.Subsystem);
            Assert.Equal("disk", n.Device.DevType);
            Assert.Equal(7, n.Device.Major);
        });
        Assert.Contains(mine, n => n.KernelAction == DeviceAction.Change);
        Assert.Empty(volumes.Violations);
    }
}
