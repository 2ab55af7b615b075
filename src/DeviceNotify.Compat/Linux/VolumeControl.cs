using System.Runtime.Versioning;

namespace DeviceNotify.Compat.Linux;

// Implementation notes (DeviceIoControl with FSCTL_* on a volume handle, driving the removal coordinator):
// - FSCTL_DISMOUNT_VOLUME → RemovalCoordinator.DismountAsync: GUID_IO_VOLUME_DISMOUNT goes to every handle
//   registration on the volume (a question: a veto stops it), holders are scanned, then the volume is unmounted. A
//   volume that is not mounted dismounts trivially (TRUE), as on Windows.
// - FSCTL_LOCK_VOLUME → RemovalCoordinator.LockAsync: GUID_IO_VOLUME_LOCK to the registrations, then an O_EXCL open
//   held by this handle. Linux cannot lock a mounted filesystem's device exclusively, so the mount itself is named
//   as a holder: dismount first, then lock (Windows code that locks, then dismounts, swaps the two calls).
// - FSCTL_UNLOCK_VOLUME releases the lock (GUID_IO_VOLUME_UNLOCK follows); CloseHandle does too. Without a lock:
//   ERROR_NOT_LOCKED.
// - Failures: FALSE with ERROR_ACCESS_DENIED (what Windows returns when other handles are open), for a veto as for a
//   refusal; who vetoed and why is in DeviceNotifyCompat.LastRemovalResult.
[SupportedOSPlatform("linux")]
internal static class VolumeControl
{
    internal static bool Control(nint handle, uint code, out uint error)
    {
        error = WinError.ERROR_SUCCESS;
        if (FileHandles.Volume(handle) is not { } volume)
        {
            error = FileHandles.Identify(handle) is null ? WinError.ERROR_INVALID_HANDLE : WinError.ERROR_INVALID_FUNCTION;
            return false;
        }
        if (code is not (Kernel32.FSCTL_LOCK_VOLUME or Kernel32.FSCTL_UNLOCK_VOLUME or Kernel32.FSCTL_DISMOUNT_VOLUME))
        {
            error = WinError.ERROR_INVALID_FUNCTION;
            return false;
        }
        if (code == Kernel32.FSCTL_UNLOCK_VOLUME)
        {
            if (volume.Lock is not { IsHeld: true } held)
            {
                error = WinError.ERROR_NOT_LOCKED;
                return false;
            }
            held.Dispose();
            volume.Lock = null;
            return true;
        }
        if (code == Kernel32.FSCTL_LOCK_VOLUME && volume.Lock is { IsHeld: true })
            return true;
        if (CompatRuntime.TryGetCoordinator() is not { } coordinator)
        {
            error = WinError.ERROR_GEN_FAILURE;
            return false;
        }
        RemovalResult result;
        try
        {
            if (code == Kernel32.FSCTL_LOCK_VOLUME)
            {
                var taken = CompatRuntime.Wait(coordinator.LockAsync(volume.Path));
                result = taken.Result;
                if (taken.IsHeld)
                    volume.Lock = taken;
            }
            else
            {
                result = CompatRuntime.Wait(coordinator.DismountAsync(volume.Path));
                if (result.Failure == RemovalFailure.NotMounted)
                    result = result with { Succeeded = true, Failure = RemovalFailure.None, Error = null };
            }
        }
        catch (ArgumentException)
        {
            error = WinError.ERROR_INVALID_FUNCTION;   // the path is not on a block device
            return false;
        }
        DeviceNotifyCompat.LastRemovalResult = result;
        if (result.Succeeded)
            return true;
        error = WinError.ERROR_ACCESS_DENIED;
        return false;
    }
}
