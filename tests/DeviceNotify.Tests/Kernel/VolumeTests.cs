using System.Text.Json;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Kernel;

[Collection(KernelCollection.Name)]
public class VolumeTests
{
    [Fact]
    public void A_mounted_loop_backed_ext4_is_a_volume_with_its_label_uuid_and_mount_point()
    {
        using var ext4 = new Ext4Volume("dnvolA");
        ext4.Mount();

        var v = VolumeEnumerator.GetVolumes().Single(x => x.DevNode == ext4.DevNode);
        Assert.Equal("ext4", v.FileSystemType);
        Assert.Equal("dnvolA", v.Label);
        Assert.Equal(ext4.BlkidValue("UUID"), v.Uuid);
        Assert.Null(v.ProbeError);
        var m = Assert.Single(v.MountPoints);
        Assert.Equal(ext4.MountPath, m.Path);
        Assert.Equal("ext4", m.FileSystemType);
        Assert.Equal(ext4.DevNode, m.Source);
        Assert.False(m.IsReadOnly);

        Shell.Check("mount", $"-o remount,ro {ext4.MountPath}");
        Assert.True(VolumeEnumerator.GetVolumes().Single(x => x.DevNode == ext4.DevNode).MountPoints.Single().IsReadOnly);

        ext4.Unmount();
        var unmounted = VolumeEnumerator.GetVolumes().Single(x => x.DevNode == ext4.DevNode);
        Assert.False(unmounted.IsMounted);
        Assert.Equal("dnvolA", unmounted.Label);
    }

    [Fact]
    public void An_empty_loop_device_is_a_volume_without_a_filesystem()
    {
        using var loop = new LoopDevice();
        var v = VolumeEnumerator.GetVolumes().Single(x => x.DevNode == loop.DevNode);
        Assert.Null(v.FileSystemType);
        Assert.Null(v.Label);
        Assert.Null(v.ProbeError);
        Assert.False(v.IsMounted);
    }

    [Fact]
    public void Volumes_verb_prints_json_for_the_volume()
    {
        using var ext4 = new Ext4Volume("dnvolB");
        ext4.Mount();
        var r = Shell.Run("dotnet", $"{Path.Combine(AppContext.BaseDirectory, "devnotify.dll")} volumes --json");
        Assert.Equal(0, r.ExitCode);
        var line = r.StdOut.Split('\n').Single(l => l.Contains($"\"devnode\":\"{ext4.DevNode}\"", StringComparison.Ordinal));
        var e = JsonDocument.Parse(line).RootElement;
        Assert.Equal("ext4", e.GetProperty("type").GetString());
        Assert.Equal("dnvolB", e.GetProperty("label").GetString());
        Assert.Equal(ext4.MountPath, e.GetProperty("mounts")[0].GetProperty("path").GetString());
    }
}
