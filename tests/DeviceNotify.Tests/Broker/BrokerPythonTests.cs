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
        var lines = new List<string>();
        using var python = PythonClient.Start("client.py", broker.SocketPath, Path.Combine(ext4.MountPath, "py.bin"), tap);
        var reader = Task.Run(() =>
        {
            while (python.StandardOutput.ReadLine() is { } line)
            {
                lock (lines)
                    lines.Add(line);
            }
        });
        var errors = python.StandardError.ReadToEndAsync();
        List<string> Lines()
        {
            lock (lines)
                return [.. lines];
        }
        bool Saw(string prefix) => Lines().Any(l => l.StartsWith(prefix, StringComparison.Ordinal));
        try
        {
            Assert.True(SpinWait.SpinUntil(() => Saw("registered /dev/") && Saw("enumerated "), TestTimeouts.Expected), string.Join(" | ", Lines()));
            NetDevices.CreateTap(tap);
            Assert.True(SpinWait.SpinUntil(() => Saw($"saw {tap} ORIGIN_KERNEL"), TestTimeouts.Expected), string.Join(" | ", Lines()));

            using var watcher = DeviceWatcher.StartNew(new DeviceWatcherOptions { BrokerSocketPath = broker.SocketPath });
            var result = await new RemovalCoordinator(watcher).DismountAsync(ext4.MountPath, new RemovalOptions { Deadline = TimeSpan.FromSeconds(10) });

            Assert.False(result.Succeeded);
            var party = Assert.Single(result.Parties, p => p.WasAsked);
            Assert.Equal(python.Id, party.ProcessId);
            Assert.Equal("python3", party.ProcessName);
            Assert.Equal("python client", party.Name);
            Assert.Equal(VetoType.ApplicationVeto, party.Veto);
            Assert.Equal("python says no", party.Reason);
            Assert.True(python.WaitForExit(TestTimeouts.Expected));
            await reader;
            Assert.Contains($"asked REMOVAL_OPERATION_DISMOUNT {VolumeEvents.VolumeDismount} by pid {Environment.ProcessId}", lines);
            Assert.Contains($"notice {VolumeEvents.VolumeDismountFailed}", lines);
            Assert.Contains("round ended succeeded=False", lines);
            Assert.True(ext4.IsMounted);
        }
        finally
        {
            if (!python.HasExited)
                python.Kill();
            python.WaitForExit();
            NetDevices.Delete(tap);
            _ = errors;
        }
    }
}
