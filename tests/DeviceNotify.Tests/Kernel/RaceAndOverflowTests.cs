using System.Text;
using DeviceNotify.Linux;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Kernel;

[Collection(KernelCollection.Name)]
public class RaceAndOverflowTests
{
    private static readonly DeviceFilter NetFilter = DeviceFilter.ForInterfaces(InterfaceClass.Net);

    [Fact]
    public void Registrations_starting_while_interfaces_churn_each_see_every_interface_exactly_once()
    {
        string prefix = NetDevices.UniqueName() + "r";
        int group = 41000 + Random.Shared.Next(1000);
        const int Rounds = 240;
        // One ip process: create taps in a tight loop, delete two of every three at once, keep the third.
        var batch = new StringBuilder();
        for (int i = 0; i < Rounds; i++)
        {
            batch.Append($"tuntap add dev {prefix}{i} mode tap\n");
            if (i % 3 == 2)
                batch.Append($"link set dev {prefix}{i} group {group}\n");
            else
                batch.Append($"link del {prefix}{i}\n");
        }

        var watchers = new List<DeviceWatcher>();
        var registrations = new List<(NotificationRecorder Rec, DeviceRegistration Reg)>();
        try
        {
            var churn = Task.Run(() => Shell.Check("ip", "-batch -", batch.ToString()));
            // New watchers (fresh socket + sysfs walk each) and new registrations on them, while the churn runs.
            while (!churn.IsCompleted && watchers.Count < 12)
            {
                var w = DeviceWatcher.StartNew();
                watchers.Add(w);
                for (int k = 0; k < 2; k++)
                {
                    var rec = new NotificationRecorder();
                    registrations.Add((rec, w.Register(NetFilter, rec.Record, new RegistrationOptions { IncludeExisting = true })));
                }
                Thread.Sleep(20);
            }
            churn.Wait(TestTimeouts.Expected);
            Assert.True(churn.IsCompletedSuccessfully);
            Assert.True(watchers.Count >= 2, "the churn ended before a second watcher started: make it longer");

            var final = NetDevices.ClassNet();
            Assert.Equal(Rounds / 3, final.Count(n => n.StartsWith(prefix, StringComparison.Ordinal)));
            foreach (var (rec, _) in registrations)
            {
                Assert.True(rec.WaitUntil(_ => rec.ViewPaths.SetEquals(final), TestTimeouts.Expected),
                    $"view differs from /sys/class/net: missing [{string.Join(',', final.Except(rec.ViewPaths))}], extra [{string.Join(',', rec.ViewPaths.Except(final))}]");
                Assert.Empty(rec.Violations);
                foreach (var name in final)
                    Assert.Equal(1, rec.ArrivalCount(name));
                // Interfaces that came and went: seen as a pair or not at all, never doubled.
                for (int i = 0; i < Rounds; i++)
                    Assert.InRange(rec.ArrivalCount(prefix + i), 0, 1);
            }
        }
        finally
        {
            foreach (var (_, reg) in registrations)
                reg.Dispose();
            foreach (var w in watchers)
                w.Dispose();
            NetDevices.DeleteGroup(group);
            foreach (var n in NetDevices.ClassNet().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
                NetDevices.Delete(n);
        }
    }

    private static string Diff(SortedSet<string> expected, NotificationRecorder rec)
    {
        var view = rec.ViewPaths;
        var missing = expected.Except(view).ToList();
        var extra = view.Except(expected).ToList();
        return $"{missing.Count} missing (e.g. {string.Join(',', missing.Take(3))}), {extra.Count} extra (e.g. {string.Join(',', extra.Take(3))}), {rec.All.Count} notifications";
    }

    [Fact]
    public void A_tap_storm_overflowing_a_tiny_buffer_is_reported_and_the_view_is_resynchronised()
    {
        string prefixA = NetDevices.UniqueName() + "a";
        string prefixB = NetDevices.UniqueName() + "b";
        int groupA = 43000 + Random.Shared.Next(1000), groupB = groupA + 1000;
        var source = new KernelDeviceSource(new KernelDeviceSourceOptions { ReceiveBufferSize = 4096 });
        using var watcher = DeviceWatcher.StartNew(new DeviceWatcherOptions { Source = source });
        Assert.True(source.ReceiveBufferBytes < 64 * 1024, $"buffer is {source.ReceiveBufferBytes} bytes, not tiny");
        var rec = new NotificationRecorder();
        using var reg = watcher.Register(NetFilter, rec.Record, new RegistrationOptions { IncludeExisting = true });
        try
        {
            // Hold the reader (as the bench's SIGSTOP does) so the storm must overflow the 4 KiB buffer.
            source.PauseReading();
            NetDevices.CreateTapStorm(prefixA, 500, groupA);
            NetDevices.CreateTapStorm(prefixB, 500, groupB);
            NetDevices.DeleteGroup(groupA);
            source.ResumeReading();

            var withB = NetDevices.ClassNet();
            Assert.Equal(500, withB.Count(n => n.StartsWith(prefixB, StringComparison.Ordinal)));
            Assert.True(rec.WaitUntil(_ => rec.ViewPaths.SetEquals(withB), TestTimeouts.Expected),
                $"view not resynchronised after the storm: {Diff(withB, rec)}; stats {watcher.GetStatistics()}");
            Assert.Contains(rec.All, n => n.Action == NotificationAction.Overflow && n.Overflow!.Kind == OverflowKind.KernelBuffer);

            // Then a live removal storm with the reader running: whatever it loses, it recovers.
            NetDevices.DeleteGroup(groupB);
            var final = NetDevices.ClassNet();
            Assert.True(rec.WaitUntil(_ => rec.ViewPaths.SetEquals(final), TestTimeouts.Expected),
                $"view not equal to /sys/class/net after the removal storm: {Diff(final, rec)}; stats {watcher.GetStatistics()}");
            Assert.Empty(rec.Violations);
            var stats = watcher.GetStatistics();
            Assert.True(stats.KernelOverflows >= 1);
            Assert.True(stats.Resynchronizations >= 1);
            Assert.Contains(rec.All, n => n.Origin == NotificationOrigin.Resynchronization && n.Action == NotificationAction.InterfaceArrival);
        }
        finally
        {
            source.ResumeReading();
            NetDevices.DeleteGroup(groupA);
            NetDevices.DeleteGroup(groupB);
        }
    }
}
