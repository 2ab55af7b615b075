using DeviceNotify.Tests.Kernel;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Broker;

/// <summary>A client in another language: Debian's python3-grpcio with stubs generated from protos/.</summary>
[Collection(KernelCollection.Name)]
public class BrokerPythonTests
{
    [Fact]
    public async Task A_Python_client_subscribes_and_answers_a_question()
    {
        using var broker = new BrokerProcess();
        using var ext4 = new Ext4Volume("dnbkpy");
        ext4.Mount();
        string tap = NetDevices.UniqueName();
        var python = new ProcessOutput(PythonClient.Start("client.py", broker.SocketPath, Path.Combine(ext4.MountPath, "py.bin"), tap));
        try
        {
            Assert.True(python.WaitFor(l => l.StartsWith("registered /dev/", StringComparison.Ordinal)) && python.WaitFor(l => l.StartsWith("enumerated ", StringComparison.Ordinal)), python.ToString());
            NetDevices.CreateTap(tap);
            Assert.True(python.WaitFor(l => l == $"saw {tap} ORIGIN_KERNEL"), python.ToString());

            using var watcher = DeviceWatcher.StartNew(new DeviceWatcherOptions { BrokerSocketPath = broker.SocketPath });
            var result = await new RemovalCoordinator(watcher).DismountAsync(ext4.MountPath, new RemovalOptions { Deadline = TimeSpan.FromSeconds(10) });

            Assert.False(result.Succeeded);
            var party = Assert.Single(result.Parties, p => p.WasAsked);
            Assert.Equal(python.Process.Id, party.ProcessId);
            Assert.Equal("python3", party.ProcessName);
            Assert.Equal("python client", party.Name);
            Assert.Equal(VetoType.ApplicationVeto, party.Veto);
            Assert.Equal("python says no", party.Reason);
            Assert.True(python.Process.WaitForExit(TestTimeouts.Expected));
            python.Process.WaitForExit();   // and its output read to the end
            var lines = python.Lines;
            Assert.Contains($"asked REMOVAL_OPERATION_DISMOUNT {VolumeEvents.VolumeDismount} by pid {Environment.ProcessId}", lines);
            Assert.Contains($"notice {VolumeEvents.VolumeDismountFailed}", lines);
            Assert.Contains("round ended succeeded=False", lines);
            Assert.True(ext4.IsMounted);
        }
        finally
        {
            if (!python.Process.HasExited)
                python.Process.Kill();
            python.Process.WaitForExit();
            python.Process.Dispose();
            NetDevices.Delete(tap);
        }
    }
}
