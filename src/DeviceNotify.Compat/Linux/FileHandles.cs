using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace DeviceNotify.Compat.Linux;

// Implementation notes:
// - A HANDLE from CreateFile is the file descriptor (so ported code may also pass
//   File.OpenHandle(...).DangerousGetHandle()). It is a real open: it holds the device, and a removal request finds
//   it as an outstanding open until CloseHandle, exactly as on Windows. The sharing mode maps to .NET's (advisory
//   locks on Unix).
// - A volume handle ("\\.\" + a device node or mount point: the stand-in for "\\.\E:") names the volume without
//   opening it. On Windows the handle that locks or dismounts a volume is not one of the handles that stop it; an
//   open of the device node here would be found by the holder scan and veto its own request. Its values start at
//   0x70000000, above any descriptor number.
[SupportedOSPlatform("linux")]
internal static class FileHandles
{
    internal const string VolumePrefix = @"\\.\";
    private static readonly Dictionary<nint, SafeFileHandle> s_files = [];
    private static readonly HandleTable<VolumeHandle> s_volumes = new(0x7000_0000);

    internal sealed class VolumeHandle(string path)
    {
        internal string Path { get; } = path;
        internal VolumeLock? Lock { get; set; }
    }

    internal static nint Open(string path, uint access, uint share, uint disposition, out uint error)
    {
        error = WinError.ERROR_SUCCESS;
        if (disposition != Kernel32.OPEN_EXISTING)
        {
            error = WinError.ERROR_NOT_SUPPORTED;   // the compatibility layer opens devices and existing files only
            return Kernel32.INVALID_HANDLE_VALUE;
        }
        if (path.StartsWith(VolumePrefix, StringComparison.Ordinal))
        {
            string target = path[VolumePrefix.Length..];
            if (!File.Exists(target) && !Directory.Exists(target))
            {
                error = WinError.ERROR_FILE_NOT_FOUND;
                return Kernel32.INVALID_HANDLE_VALUE;
            }
            return s_volumes.Add(new VolumeHandle(target));
        }
        var fileAccess = (access & (Kernel32.GENERIC_READ | Kernel32.GENERIC_WRITE)) switch
        {
            Kernel32.GENERIC_WRITE => FileAccess.Write,
            Kernel32.GENERIC_READ | Kernel32.GENERIC_WRITE => FileAccess.ReadWrite,
            _ => FileAccess.Read,   // GENERIC_READ, or 0: a handle to query and register with
        };
        var fileShare = FileShare.None;
        if ((share & Kernel32.FILE_SHARE_READ) != 0) fileShare |= FileShare.Read;
        if ((share & Kernel32.FILE_SHARE_WRITE) != 0) fileShare |= FileShare.Write;
        if ((share & Kernel32.FILE_SHARE_DELETE) != 0) fileShare |= FileShare.Delete;
        try
        {
            var handle = File.OpenHandle(path, FileMode.Open, fileAccess, fileShare);
            nint fd = handle.DangerousGetHandle();
            lock (s_files)
                s_files[fd] = handle;
            return fd;
        }
        catch (FileNotFoundException) { error = WinError.ERROR_FILE_NOT_FOUND; }
        catch (DirectoryNotFoundException) { error = WinError.ERROR_PATH_NOT_FOUND; }
        catch (UnauthorizedAccessException) { error = WinError.ERROR_ACCESS_DENIED; }
        catch (IOException ex) { error = ex.HResult == unchecked((int)0x80070020) ? WinError.ERROR_SHARING_VIOLATION : WinError.ERROR_GEN_FAILURE; }
        return Kernel32.INVALID_HANDLE_VALUE;
    }

    internal static bool Close(nint handle)
    {
        if (s_volumes.Remove(handle, out var volume))
        {
            volume.Lock?.Dispose();   // closing a volume handle releases its lock, as on Windows
            return true;
        }
        SafeFileHandle? file;
        lock (s_files)
            s_files.Remove(handle, out file);
        if (file is null)
            return false;
        file.Dispose();
        return true;
    }

    internal static VolumeHandle? Volume(nint handle) => s_volumes.TryGet(handle, out var v) ? v : null;

    /// <summary>The device a handle is bound to (by statx, or through the coordinator for a volume handle); null when it names none.</summary>
    internal static HandleIdentity? Identify(nint handle)
    {
        if (Volume(handle) is { } volume)
        {
            try
            {
                var device = CompatRuntime.TryGetCoordinator()?.Resolve(volume.Path);
                return device is { Major: int major, Minor: int minor } ? new HandleIdentity(major, minor, true, true) : null;
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
        if (handle <= 0 || handle > int.MaxValue)
            return null;
        try
        {
            using var borrowed = new SafeFileHandle(handle, ownsHandle: false);
            return HandleIdentity.Of(borrowed);
        }
        catch (Exception ex) when (ex is ArgumentException or DeviceNotifyException)
        {
            return null;
        }
    }
}
