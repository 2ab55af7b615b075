using System.Globalization;
using System.Runtime.Versioning;

namespace DeviceNotify.Linux;

// Implementation notes:
// - What fuser/lsof do, in process: every /proc/PID/fd/N, cwd and root is stat'ed through the link (statx follows
//   it to the open file), and /proc/PID/maps lists mapped files with their device as "MM:mm" in hex.
// - A holder of a volume is a process with a file on it (st_dev matches) or its device node open (st_rdev
//   matches, block type). Processes and descriptors vanish during the scan: every failure just skips.
// - Reading other processes' fd links needs root (ptrace access); without it only this user's processes are seen.
/// <summary>Finds the processes that hold a block device or a file on it open.</summary>
[SupportedOSPlatform("linux")]
internal static unsafe class HolderScanner
{
    internal sealed record Holder(int ProcessId, string ProcessName, string What);

    internal static List<Holder> Scan(int major, int minor, string procRoot = "/proc")
    {
        var holders = new List<Holder>();
        string[] pids;
        try
        {
            pids = Directory.GetDirectories(procRoot).Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).ToArray()!;
        }
        catch (IOException)
        {
            return holders;
        }
        foreach (var pidText in pids)
        {
            int pid = int.Parse(pidText, CultureInfo.InvariantCulture);
            string dir = Path.Combine(procRoot, pidText);
            string comm = ReadComm(dir);
            foreach (var link in new[] { "cwd", "root" })
            {
                if (Holds(Path.Combine(dir, link), major, minor, allowNode: false))
                    holders.Add(new Holder(pid, comm, link + " " + ReadLink(Path.Combine(dir, link))));
            }
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")))
                {
                    if (Holds(fd, major, minor, allowNode: true))
                        holders.Add(new Holder(pid, comm, "fd " + Path.GetFileName(fd) + " " + ReadLink(fd)));
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            foreach (var mapped in MappedFiles(dir, major, minor))
                holders.Add(new Holder(pid, comm, "maps " + mapped));
        }
        return holders;
    }

    private static bool Holds(string path, int major, int minor, bool allowNode)
    {
        Interop.Statx st;
        if (Interop.StatXPath(Interop.AT_FDCWD, path, 0, Interop.STATX_TYPE, &st) != 0)
            return false;
        if (allowNode && (st.Mode & Interop.S_IFMT) == Interop.S_IFBLK)
            return st.RDevMajor == major && st.RDevMinor == minor;
        return st.DevMajor == major && st.DevMinor == minor;
    }

    private static IEnumerable<string> MappedFiles(string dir, int major, int minor)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(Path.Combine(dir, "maps"));
        }
        catch (IOException) { yield break; }
        catch (UnauthorizedAccessException) { yield break; }
        string dev = $"{major:x2}:{minor:x2}";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            // address perms offset dev inode path
            var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 6 && parts[3] == dev && parts[4] != "0" && seen.Add(parts[5]))
                yield return parts[5];
        }
    }

    private static string ReadComm(string dir)
    {
        try
        {
            return File.ReadAllText(Path.Combine(dir, "comm")).Trim();
        }
        catch (IOException) { return "?"; }
        catch (UnauthorizedAccessException) { return "?"; }
    }

    private static string ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget ?? path;
        }
        catch (IOException) { return path; }
        catch (UnauthorizedAccessException) { return path; }
    }
}
