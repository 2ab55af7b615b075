using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Kernel;

[Collection(KernelCollection.Name)]
public class NetInterfaceTests
{
    [Fact]
    public void Tap_and_veth_arrival_and_removal_are_reported_with_names_and_devpaths()
    {
        using var watcher = DeviceWatcher.StartNew();
        var rec = new NotificationRecorder();
        using var reg = watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.Net), rec.Record);
        string tap = NetDevices.UniqueName(), veth = NetDevices.UniqueName(), peer = NetDevices.UniqueName();
        try
        {
            NetDevices.CreateTap(tap);
            NetDevices.CreateVeth(veth, peer);
            Assert.True(rec.WaitUntil(a => a.Count(n => n.Action == NotificationAction.InterfaceArrival) >= 3, TestTimeouts.Expected));
            NetDevices.Delete(tap);
            NetDevices.Delete(veth); // takes the peer with it
            Assert.True(rec.WaitUntil(a => a.Count(n => n.Action == NotificationAction.InterfaceRemoval) >= 3, TestTimeouts.Expected));
        }
        finally
        {
            NetDevices.Delete(tap);
            NetDevices.Delete(veth);
        }

        var mine = rec.All.Where(n => n.Interface!.Path is var p && (p == tap || p == veth || p == peer)).ToList();
        foreach (var name in new[] { tap, veth, peer })
        {
            var events = mine.Where(n => n.Interface!.Path == name).ToList();
            Assert.Equal([NotificationAction.InterfaceArrival, NotificationAction.InterfaceRemoval], events.Select(n => n.Action));
            Assert.All(events, n =>
            {
                Assert.Equal($"/devices/virtual/net/{name}", n.Device!.DevPath);
                Assert.Equal("net", n.Device.Subsystem);
                Assert.Equal(InterfaceClass.Net, n.Interface!.Class);
                Assert.Equal(NotificationOrigin.Kernel, n.Origin);
                Assert.True(n.SequenceNumber > 0);
            });
        }
        Assert.Empty(rec.Violations);
        Assert.Equal(0, watcher.GetStatistics().Malformed);
    }

    [Fact]
    public void Include_existing_reports_every_entry_of_sys_class_net_exactly_once()
    {
        string extra = NetDevices.UniqueName();
        NetDevices.CreateTap(extra);
        try
        {
            using var watcher = DeviceWatcher.StartNew();
            var rec = new NotificationRecorder();
            using var reg = watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.Net), rec.Record, new RegistrationOptions { IncludeExisting = true });
            var expected = NetDevices.ClassNet();
            Assert.Contains(extra, expected);
            Assert.True(rec.WaitUntil(a => a.Count >= expected.Count, TestTimeouts.Expected));
            Thread.Sleep(TestTimeouts.MustNotHappen);
            var arrivals = rec.All.Where(n => n.Origin == NotificationOrigin.Enumeration).Select(n => n.Interface!.Path).ToList();
            Assert.Equal(expected, new SortedSet<string>(arrivals, StringComparer.Ordinal));
            Assert.Equal(arrivals.Count, arrivals.Distinct().Count());
            Assert.Equal(expected.ToList(), watcher.GetInterfaces(InterfaceClass.Net).Select(i => i.Path).Order(StringComparer.Ordinal).ToList());
        }
        finally
        {
            NetDevices.Delete(extra);
        }
    }

    [Fact]
    public void All_devices_filter_sees_net_queues_and_change_events_like_udevadm()
    {
        using var watcher = DeviceWatcher.StartNew();
        var rec = new NotificationRecorder();
        using var reg = watcher.Register(DeviceFilter.AllDevices, rec.Record);
        string tap = NetDevices.UniqueName();
        try
        {
            NetDevices.CreateTap(tap);
            File.WriteAllText($"/sys/class/net/{tap}/uevent", "change");
            NetDevices.Delete(tap);
            // 6 events per tap (net + rx/tx queues, add and remove) plus the change.
            Assert.True(rec.WaitUntil(a => a.Count(n => n.Device!.DevPath.Contains(tap, StringComparison.Ordinal)) >= 7, TestTimeouts.Expected));
        }
        finally
        {
            NetDevices.Delete(tap);
        }
        var mine = rec.All.Where(n => n.Device!.DevPath.Contains(tap, StringComparison.Ordinal)).ToList();
        Assert.Equal(3, mine.Count(n => n.KernelAction == DeviceAction.Add));
        Assert.Equal(3, mine.Count(n => n.KernelAction == DeviceAction.Remove));
        Assert.Single(mine, n => n.KernelAction == DeviceAction.Change && n.Action == NotificationAction.InstanceChanged);
        Assert.Contains(mine, n => n.Device!.Subsystem == "queues");
        var seqnums = mine.Select(n => n.SequenceNumber).ToList();
        Assert.Equal(seqnums.Order().ToList(), seqnums);
    }
}
