using System.Text;

namespace DeviceNotify.Linux;

/// <summary>
/// Small reads below one open <c>/proc/PID</c> directory: relative to the directory's fd, so each costs one openat
/// or statx, not a path walk from /proc. Buffers belong to the caller (one per scanning thread).
/// </summary>
internal static unsafe class ProcFiles
{
    internal static SafeFdHandle? OpenDirectory(string path)
    {
        int fd = Interop.Open(path, Interop.O_RDONLY | Interop.O_DIRECTORY | Interop.O_CLOEXEC);
        return fd < 0 ? null : new SafeFdHandle(fd);
    }

    internal static SafeFdHandle? OpenAt(SafeFdHandle dir, ReadOnlySpan<byte> name, int flags)
    {
        fixed (byte* p = name)
        {
            int fd = Interop.OpenAt(dir, p, flags | Interop.O_CLOEXEC);
            return fd < 0 ? null : new SafeFdHandle(fd);
        }
    }

    /// <summary>Reads the whole of a small proc file into <paramref name="buffer"/> (grown as needed); -1 when unreadable.</summary>
    internal static int Read(SafeFdHandle dir, ReadOnlySpan<byte> name, ref byte[] buffer)
    {
        using var fd = OpenAt(dir, name, Interop.O_RDONLY);
        if (fd is null)
            return -1;
        int total = 0;
        while (true)
        {
            if (total == buffer.Length)
                Array.Resize(ref buffer, buffer.Length * 2);
            nint n;
            fixed (byte* p = buffer)
            {
                do
                {
                    n = Interop.ReadFd(fd, p + total, (nuint)(buffer.Length - total));
                }
                while (Interop.ShouldRetry(n));
            }
            if (n < 0)
                return -1;
            if (n == 0)
                return total;
            total += (int)n;
        }
    }

    /// <summary>The target of a link below the directory (readlink does not touch the target's filesystem); null when unreadable.</summary>
    internal static string? ReadLink(SafeFdHandle dir, ReadOnlySpan<byte> name)
    {
        Span<byte> target = stackalloc byte[4096];
        nint n;
        fixed (byte* p = name)
        fixed (byte* t = target)
        {
            n = Interop.ReadLinkAt(dir, p, t, (nuint)target.Length);
        }
        return n <= 0 ? null : Encoding.UTF8.GetString(target[..(int)n]);
    }

    /// <summary>
    /// statx of a name below the directory, following a magic link (fd/N, cwd) to the open file, with the kernel's
    /// cached attributes only: no round trip to an NFS server or a FUSE daemon. Device numbers need nothing more.
    /// </summary>
    internal static bool Stat(SafeFdHandle dir, ReadOnlySpan<byte> name, out Interop.Statx st)
    {
        const int flags = Interop.AT_STATX_DONT_SYNC | Interop.AT_NO_AUTOMOUNT;
        fixed (byte* p = name)
        fixed (Interop.Statx* s = &st)
        {
            if (Interop.StatXAt(dir, p, flags, Interop.STATX_TYPE, s) == 0)
                return true;
            // A FUSE mount without allow_other refuses getattr even to root (EACCES); asking for no fields still
            // returns the device numbers, which is all a holder check needs.
            return Interop.LastErrno == Interop.EACCES && Interop.StatXAt(dir, p, flags, 0, s) == 0;
        }
    }
}
