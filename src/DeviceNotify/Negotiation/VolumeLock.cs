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
    // [broker] A lock the broker holds for this process (the handle is then in the broker).
    private readonly IDisposable? _remote;
    private int _released;

    internal VolumeLock(RemovalResult result, SafeFileHandle? handle, Action? onRelease)
    {
        Result = result;
        _handle = handle;
        _onRelease = onRelease;
    }

    /// <summary>[broker] A lock held by the broker on this process's behalf until disposed.</summary>
    internal VolumeLock(RemovalResult result, IDisposable remoteHold)
    {
        Result = result;
        _remote = remoteHold;
    }

    /// <summary>The negotiation's outcome.</summary>
    public RemovalResult Result { get; }

    /// <summary>True while the lock is held.</summary>
    public bool IsHeld => (_handle is not null || _remote is not null) && Volatile.Read(ref _released) == 0;

    /// <summary>
    /// The exclusive handle on the device node, for raw access while locked; null when the lock failed, or when the
    /// broker (<c>devnotify daemon</c>) holds it on this process's behalf.
    /// </summary>
    public SafeFileHandle? Handle => IsHeld ? _handle : null;

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        if ((_handle is null && _remote is null) || Interlocked.Exchange(ref _released, 1) != 0)
            return;
        _handle?.Dispose();
        _remote?.Dispose();
        _onRelease?.Invoke();
    }
}
