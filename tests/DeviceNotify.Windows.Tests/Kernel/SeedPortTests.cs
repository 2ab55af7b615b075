using System.Diagnostics;
using DeviceNotify.Tests.Kernel;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Windows.Tests.Kernel;

/// <summary>
/// The sample that ports the seed's steps 1-6 (samples/CmNotificationPort), run as a program against a real loop
/// device: it lists the disk, opens it, registers the handle, asks for its removal, and follows the seed's table
/// (close on QUERYREMOVE, unregister from a deferred routine on REMOVEPENDING), then unregisters (step 6).
/// </summary>
[Collection(KernelCollection.Name)]
public class SeedPortTests
{
    private static readonly string Sample = Path.Combine(AppContext.BaseDirectory, "CmNotificationPort.dll");

    [Fact]
    public void The_ported_seed_flow_runs_steps_1_to_6_and_the_removal_table_on_a_loop_device()
    {
        using var loop = new LoopDevice();
        var psi = new ProcessStartInfo("dotnet", $"{Sample} --class disk --interface {loop.DevNode} --eject --timeout 60")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TestTimeouts.Expected * 3))
        {
            p.Kill();
            Assert.Fail($"the sample did not finish: {stdout.Result}");
        }
        var lines = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(p.ExitCode == 0, $"exit {p.ExitCode}\n{stdout.Result}\n{stderr.Result}");

        string[] expected =
        [
            "step 1: registered for interface arrival",
            $"step 2: listed {loop.DevNode}",
            $"step 3: opened {loop.DevNode}",
            "step 4: CM_Register_Notification(handle): CR_SUCCESS",
            "handle callback: CM_NOTIFY_ACTION_DEVICEQUERYREMOVE",
            "closed the device handle",
            "handle callback: CM_NOTIFY_ACTION_DEVICEREMOVEPENDING",
            $"interface callback: CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL {loop.DevNode}",
            "step 6: CM_Unregister_Notification(interface): CR_SUCCESS",
        ];
        // In this order (other lines, such as the deferred unregistration, may come in between).
        int at = 0;
        foreach (var line in lines)
        {
            if (at < expected.Length && line == expected[at])
                at++;
        }
        Assert.True(at == expected.Length, $"missing or out of order: '{(at < expected.Length ? expected[at] : "")}'\n{stdout.Result}");
        Assert.Contains("deferred: CM_Unregister_Notification(handle): CR_SUCCESS", lines);
        Assert.Contains("eject: CR_SUCCESS", lines);   // returns when the removal is done; the interface removal may come first
        Assert.False(Directory.Exists("/sys/block/" + loop.Name), "the loop device is still there");
    }
}
