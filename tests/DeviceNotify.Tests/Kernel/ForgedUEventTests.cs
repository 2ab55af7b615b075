using System.Text;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Kernel;

[Collection(KernelCollection.Name)]
public class ForgedUEventTests
{
    [Fact]
    public unsafe void A_uevent_forged_from_user_space_is_dropped_and_counted()
    {
        using var watcher = DeviceWatcher.StartNew();
        var all = new NotificationRecorder();
        var nets = new NotificationRecorder();
        using var r1 = watcher.Register(DeviceFilter.AllDevices, all.Record);
        using var r2 = watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.Net), nets.Record);

        string name = NetDevices.UniqueName();
        // A perfectly well-formed message: only its sender (a user-space port, not the kernel) gives it away.
        var payload = Encoding.ASCII.GetBytes(
            $"add@/devices/virtual/net/{name}\0ACTION=add\0DEVPATH=/devices/virtual/net/{name}\0SUBSYSTEM=net\0INTERFACE={name}\0IFINDEX=999\0SEQNUM=999999999\0");

        int raw = Interop.Socket(Interop.AF_NETLINK, Interop.SOCK_RAW | Interop.SOCK_CLOEXEC, Interop.NETLINK_KOBJECT_UEVENT);
        Assert.True(raw >= 0, "cannot open a netlink socket");
        using var fd = new SafeFdHandle(raw);
        var local = new Interop.SockAddrNl { Family = Interop.AF_NETLINK };
        Assert.Equal(0, Interop.Bind(fd, &local, (uint)sizeof(Interop.SockAddrNl)));
        var dest = new Interop.SockAddrNl { Family = Interop.AF_NETLINK, Pid = 0, Groups = 1 };
        fixed (byte* p = payload)
        {
            var sent = Interop.SendTo(fd, p, (nuint)payload.Length, 0, &dest, (uint)sizeof(Interop.SockAddrNl));
            Assert.True(sent == payload.Length, $"sendto failed: {Interop.StrError(Interop.LastErrno)} (the test needs root)");
        }

        // It did reach our socket (counted as rejected) ...
        Assert.True(SpinWait.SpinUntil(() => watcher.GetStatistics().RejectedSender >= 1, TestTimeouts.Expected), "the forged message never reached the socket");
        // ... and nothing was delivered, while a real event afterwards still is.
        string real = NetDevices.UniqueName();
        try
        {
            NetDevices.CreateTap(real);
            Assert.True(nets.WaitUntil(a => a.Any(n => n.Interface!.Path == real), TestTimeouts.Expected));
        }
        finally
        {
            NetDevices.Delete(real);
        }
        Assert.DoesNotContain(all.All, n => n.Device?.DevPath.EndsWith(name, StringComparison.Ordinal) == true);
        Assert.DoesNotContain(nets.All, n => n.Interface!.Path == name);
    }
}
