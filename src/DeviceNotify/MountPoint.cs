namespace DeviceNotify;

/// <summary>One line of <c>/proc/self/mountinfo</c> (proc(5)): where a filesystem is mounted and how.</summary>
public sealed record MountPoint
{
    /// <summary>The mount's unique id (field 1).</summary>
    public int MountId { get; init; }

    /// <summary>The parent mount's id (field 2).</summary>
    public int ParentId { get; init; }

    /// <summary>Major number of the device (st_dev) holding the filesystem (field 3).</summary>
    public int Major { get; init; }

    /// <summary>Minor number of the device (st_dev) holding the filesystem (field 3).</summary>
    public int Minor { get; init; }

    /// <summary>The directory of the filesystem that forms the root of this mount (field 4; "/" unless a bind mount).</summary>
    public required string Root { get; init; }

    /// <summary>Where it is mounted (field 5), with the kernel's octal escapes (\040 for a space) decoded.</summary>
    public required string Path { get; init; }

    /// <summary>Per-mount options (field 6): <c>rw,relatime</c>, ...</summary>
    public required string Options { get; init; }

    /// <summary>The filesystem type (after the "-" separator): <c>ext4</c>, <c>vfat</c>, ...</summary>
    public required string FileSystemType { get; init; }

    /// <summary>The mount source: usually the device node (<c>/dev/loop3</c>).</summary>
    public required string Source { get; init; }

    /// <summary>Per-superblock options.</summary>
    public required string SuperOptions { get; init; }

    /// <summary>The peer group this mount shares mount and unmount events with (<c>shared:N</c>); null when private.</summary>
    public int? SharedPeerGroup { get; init; }

    /// <summary>The peer group this mount receives mount and unmount events from (<c>master:N</c>); null when none.</summary>
    public int? MasterPeerGroup { get; init; }

    /// <summary>True when the mount or its superblock is read-only.</summary>
    public bool IsReadOnly => HasOption(Options, "ro") || HasOption(SuperOptions, "ro");

    private static bool HasOption(string options, string option)
    {
        foreach (var o in options.AsSpan().Split(','))
        {
            if (options.AsSpan()[o].SequenceEqual(option))
                return true;
        }
        return false;
    }
}
