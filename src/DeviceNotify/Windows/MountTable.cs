namespace DeviceNotify.Windows;

// Implementation notes:
// - Windows has no mountinfo: a volume is "mounted" where it has a drive letter or a folder mount point
//   (GetVolumePathNamesForVolumeName over FindFirstVolume/FindNextVolume). Each (volume, path) pair becomes a
//   MountPoint with the volume's storage numbers, so the coordinator finds a volume's mounts as on Linux.
// - Mount ids are handed out per (volume, path) and kept for the process, so the same mount has the same id in every
//   reading (the handle registrations compare readings by id).
// - A volume that answers no storage number (a spanned or network volume) is left out: nothing can be bound to it.
internal static class MountTable
{
    private static readonly Dictionary<string, int> s_ids = new(StringComparer.OrdinalIgnoreCase);

    internal static List<MountPoint> Read(INativeMethods native)
    {
        var mounts = new List<MountPoint>();
        foreach (var volume in native.ListVolumes())
        {
            var paths = native.GetVolumePathNames(volume);
            if (paths.Count == 0 || StorageIdentity.VolumeOf(volume) is not { } device)
                continue;
            HandleIdentity? id;
            using (var handle = native.Open(device, 0, out _))
                id = handle is null ? null : StorageIdentity.Read(native, handle);
            if (id is not { } number)
                continue;
            native.GetVolumeInformation(volume, out _, out string fileSystem, out _);
            foreach (var path in paths)
            {
                mounts.Add(new MountPoint
                {
                    MountId = IdOf(volume, path),
                    ParentId = 0,
                    Major = number.Major,
                    Minor = number.Minor,
                    Root = @"\",
                    Path = path,
                    Options = "rw",
                    FileSystemType = fileSystem,
                    Source = volume,
                    SuperOptions = "",
                });
            }
        }
        return mounts;
    }

    private static int IdOf(string volume, string path)
    {
        lock (s_ids)
        {
            string key = volume + "|" + path;
            if (!s_ids.TryGetValue(key, out int id))
                s_ids[key] = id = s_ids.Count + 1;
            return id;
        }
    }
}
