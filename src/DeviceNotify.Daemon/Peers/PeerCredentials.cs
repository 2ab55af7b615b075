using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace DeviceNotify.Daemon.Peers;

// Implementation notes:
// - SO_PEERCRED gives the pid, uid and gid the peer had when it connected; read once per connection, at accept.
// - A pid alone can be reused after the peer exits. SO_PEERPIDFD (Linux 6.5+) gives a pidfd: a handle on that very
//   process. Whenever the broker acts on what it read under /proc/PID (groups, holdings), it checks afterwards that
//   the pidfd still names a live process with that pid (/proc/self/fdinfo/FD "Pid:", -1 once it exited), so a
//   recycled pid is never trusted. On older kernels the check falls back to the process's start time.
// - Socket.GetRawSocketOption needs no P/Invoke.
/// <summary>Who is at the other end of a Unix-socket connection.</summary>
[SupportedOSPlatform("linux")]
internal sealed class PeerCredentials : IDisposable
{
    private const int SolSocket = 1, SoPeerCred = 17, SoPeerPidFd = 77;

    private PeerCredentials(int pid, uint uid, uint gid, SafeFileHandle? pidFd, ulong startTime)
    {
        ProcessId = pid;
        UserId = uid;
        GroupId = gid;
        PidFd = pidFd;
        StartTime = startTime;
    }

    internal int ProcessId { get; }

    internal uint UserId { get; }

    internal uint GroupId { get; }

    /// <summary>The peer's pidfd (null on kernels without SO_PEERPIDFD).</summary>
    internal SafeFileHandle? PidFd { get; }

    /// <summary>The peer's start time (/proc/PID/stat field 22) read at accept; 0 when unreadable.</summary>
    internal ulong StartTime { get; }

    internal bool IsRoot => UserId == 0;

    /// <summary>The credentials of a connected Unix socket; null for other sockets.</summary>
    internal static PeerCredentials? FromSocket(Socket socket)
    {
        if (socket.AddressFamily != AddressFamily.Unix)
            return null;
        Span<byte> ucred = stackalloc byte[12];   // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        if (socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred) != 12)
            return null;
        int pid = MemoryMarshal.Read<int>(ucred);
        SafeFileHandle? pidFd = null;
        try
        {
            Span<byte> fd = stackalloc byte[4];
            if (socket.GetRawSocketOption(SolSocket, SoPeerPidFd, fd) == 4)
                pidFd = new SafeFileHandle(MemoryMarshal.Read<int>(fd), ownsHandle: true);
        }
        catch (SocketException)
        {
            // ENOPROTOOPT before Linux 6.5: the start time stands in.
        }
        return new PeerCredentials(pid, MemoryMarshal.Read<uint>(ucred[4..]), MemoryMarshal.Read<uint>(ucred[8..]), pidFd, PeerProcess.StartTime(pid));
    }

    /// <summary>True while the peer process that connected is alive with the same pid (what was read under /proc/PID was its).</summary>
    internal bool StillTheSameProcess()
    {
        if (PidFd is { IsInvalid: false } fd)
        {
            string path = "/proc/self/fdinfo/" + fd.DangerousGetHandle().ToString(CultureInfo.InvariantCulture);
            try
            {
                foreach (var line in File.ReadLines(path))
                {
                    if (line.StartsWith("Pid:", StringComparison.Ordinal))
                        return int.TryParse(line.AsSpan(4).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int pid) && pid == ProcessId;
                }
            }
            catch (IOException)
            {
                return false;
            }
            return false;
        }
        return StartTime != 0 && PeerProcess.StartTime(ProcessId) == StartTime;
    }

    public void Dispose() => PidFd?.Dispose();

    /// <summary>For logs.</summary>
    public override string ToString() => $"pid {ProcessId} uid {UserId} gid {GroupId}";
}
