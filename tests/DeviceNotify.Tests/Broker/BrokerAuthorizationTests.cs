using System.Text.Json;
using DeviceNotify.Tests.Kernel;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Broker;

/// <summary>Who may do what through the broker (SO_PEERCRED): anyone subscribes; dismount needs root or the device node.</summary>
[Collection(KernelCollection.Name)]
public class BrokerAuthorizationTests
{
    [Fact]
    public void A_new_user_sees_a_tap_through_the_broker_but_cannot_dismount_a_root_owned_volume_until_the_device_node_is_theirs()
    {
        using var user = new TestUser();
        using var broker = new BrokerProcess();
        using var ext4 = new Ext4Volume("dnbkuser");
        ext4.Mount();
        string tap = NetDevices.UniqueName();
        var monitor = new ProcessOutput(user.StartDevnotify("monitor --broker --subsystem net --include-existing --json", broker.Environment));
        try
        {
            // The existing interfaces (lo at least) come first: then the subscription is live.
            Assert.True(monitor.WaitFor(_ => true), monitor.ToString());
            NetDevices.CreateTap(tap);
            bool saw = monitor.WaitFor(l => l.Contains($"\"path\":\"{tap}\"", StringComparison.Ordinal) && l.Contains("InterfaceArrival", StringComparison.Ordinal));
            monitor.Interrupt();
            Assert.True(saw, $"{monitor}\n{broker.Log}");
            Assert.Equal(0, monitor.Process.ExitCode);
        }
        finally
        {
            monitor.Interrupt();
            monitor.Process.Dispose();
            NetDevices.Delete(tap);
        }

        var denied = user.Devnotify($"dismount {ext4.MountPath} --json", broker.Environment);

        Assert.Equal(3, denied.ExitCode);
        Assert.Contains("needs root, or ownership of its device node, or write permission on it through its group", denied.StdErr, StringComparison.Ordinal);
        Assert.Contains($"uid {user.Uid}", denied.StdErr, StringComparison.Ordinal);
        Assert.Equal("NotPermitted", JsonDocument.Parse(denied.StdOut).RootElement.GetProperty("failure").GetString());
        Assert.True(ext4.IsMounted);
        var holders = user.Devnotify($"holders {ext4.MountPath}", broker.Environment);
        Assert.Equal(3, holders.ExitCode);
        Assert.Contains("holders of " + ext4.DevNode + " needs root", holders.StdErr, StringComparison.Ordinal);

        // The rule's second branch: the owner of the device node may.
        Shell.Check("chown", $"{user.Name} {ext4.DevNode}");
        var allowed = user.Devnotify($"dismount {ext4.MountPath}", broker.Environment);
        Assert.True(allowed.ExitCode == 0, allowed.StdErr + broker.Log);
        Assert.False(ext4.IsMounted);
    }
}
