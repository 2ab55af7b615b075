namespace DeviceNotify.Tests.Support;

/// <summary>
/// An ext4 filesystem on a loop device backed by a sparse image, optionally mounted on a temp folder.
/// Dispose unmounts, detaches and deletes everything, whatever state the test left it in.
/// </summary>
internal sealed class Ext4Volume : IDisposable
{
    private readonly LoopDevice _loop;

    public Ext4Volume(string label)
    {
        _loop = new LoopDevice(32 << 20);
        try
        {
            Shell.Check("mkfs.ext4", $"-q -F -L {label} {_loop.DevNode}");
            MountPath = Directory.CreateTempSubdirectory("devnotify-mnt-").FullName;
        }
        catch
        {
            _loop.Dispose();
            throw;
        }
    }

    public string DevNode => _loop.DevNode;

    public string MountPath { get; }

    /// <summary>True while the volume is mounted on <see cref="MountPath"/> (the mount table says so).</summary>
    public bool IsMounted => File.ReadAllText("/proc/self/mountinfo").Contains(" " + MountPath + " ", StringComparison.Ordinal);

    public void Mount(string options = "rw") => Shell.Check("mount", $"-o {options} {DevNode} {MountPath}");

    public void Unmount() => Shell.Check("umount", MountPath);

    public string BlkidValue(string tag) => Shell.Check("blkid", $"-s {tag} -o value {DevNode}").Trim();

    public void Dispose()
    {
        // Unmount every mount of this device (the test may have mounted it more than once).
        for (int i = 0; i < 4 && IsMounted; i++)
            Shell.Run("umount", MountPath);
        _loop.Dispose();
        try
        {
            Directory.Delete(MountPath);
        }
        catch (IOException)
        {
        }
    }
}
