using Microsoft.Win32.SafeHandles;

namespace DeviceNotify;

/// <summary>
/// An exclusive lock on a volume: an <c>O_EXCL</c> open of its device node, so nobody can mount or claim it.
/// Dispose to release it; registrations on the volume then get VolumeUnlock.
/// </summary>
public sealed class VolumeLock : IDisposable
{
    private readonly SafeFileHandle? _handle;
    private readonly Action? _onRelease;
    private int _released;

    internal VolumeLock(RemovalResult result, SafeFileHandle? handle, Action? onRelease)
    {
        Result = result;
        _handle = handle;
        _onRelease = onRelease;
    }

    /// <summary>The negotiation's outcome.</summary>
    public RemovalResult Result { get; }

    /// <summary>True while the lock is held.</summary>
    public bool IsHeld => _handle is not null && Volatile.Read(ref _released) == 0;

    /// <summary>The exclusive handle on the device node (null when the lock failed), for raw access while locked.</summary>
    public SafeFileHandle? Handle => IsHeld ? _handle : null;

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        if (_handle is null || Interlocked.Exchange(ref _released, 1) != 0)
            return;
        _handle.Dispose();
        _onRelease?.Invoke();
    }
}
