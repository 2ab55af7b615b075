namespace DeviceNotify.Tests.Support;

/// <summary>A loop device attached to a sparse image in a temp folder; detached and deleted on Dispose.</summary>
internal sealed class LoopDevice : IDisposable
{
    private readonly string _image;
    private bool _detached;

    public LoopDevice(long sizeBytes = 16 << 20)
    {
        _image = Path.Combine(Path.GetTempPath(), $"devnotify-test-{Guid.NewGuid():N}.img");
        using (var f = File.Create(_image))
            f.SetLength(sizeBytes);
        try
        {
            DevNode = Shell.Check("losetup", $"--find --show {_image}").Trim();
        }
        catch
        {
            File.Delete(_image);
            throw;
        }
    }

    /// <summary>/dev/loopN.</summary>
    public string DevNode { get; }

    public string Name => Path.GetFileName(DevNode);

    public void Detach()
    {
        if (_detached)
            return;
        Shell.Check("losetup", $"-d {DevNode}");
        _detached = true;
    }

    public void Dispose()
    {
        if (!_detached)
            Shell.Run("losetup", $"-d {DevNode}");
        _detached = true;
        File.Delete(_image);
    }
}
