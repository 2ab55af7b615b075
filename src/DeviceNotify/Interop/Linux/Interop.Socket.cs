using System.Runtime.InteropServices;

namespace DeviceNotify;

internal static unsafe partial class Interop
{
    // <sys/socket.h>, <linux/netlink.h>
    internal const int AF_NETLINK = 16;
    internal const int SOCK_RAW = 3;
    internal const int SOCK_CLOEXEC = 0x80000;
    internal const int SOCK_NONBLOCK = 0x800;
    internal const int NETLINK_KOBJECT_UEVENT = 15;
    internal const int SOL_SOCKET = 1;
    internal const int SO_RCVBUF = 8;
    internal const int SO_PASSCRED = 16;
    internal const int SO_RCVBUFFORCE = 33;
    internal const int SCM_CREDENTIALS = 2;
    internal const int MSG_TRUNC = 0x20;
    internal const int MSG_CTRUNC = 0x08;
    internal const int MSG_DONTWAIT = 0x40;

    [StructLayout(LayoutKind.Sequential)]
    internal struct SockAddrNl
    {
        public ushort Family;
        public ushort Pad;
        public uint Pid;
        public uint Groups;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct CMsgHdr
    {
        public nuint Length;
        public int Level;
        public int Type;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct UCred
    {
        public int Pid;
        public uint Uid;
        public uint Gid;
    }

    [LibraryImport(Libc, EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Libc, EntryPoint = "bind", SetLastError = true)]
    internal static partial int Bind(SafeFdHandle fd, SockAddrNl* addr, uint addrLength);

    [LibraryImport(Libc, EntryPoint = "setsockopt", SetLastError = true)]
    internal static partial int SetSockOpt(SafeFdHandle fd, int level, int name, void* value, uint valueLength);

    [LibraryImport(Libc, EntryPoint = "getsockopt", SetLastError = true)]
    internal static partial int GetSockOpt(SafeFdHandle fd, int level, int name, void* value, uint* valueLength);

    [LibraryImport(Libc, EntryPoint = "recvmmsg", SetLastError = true)]
    internal static partial int RecvMMsg(SafeFdHandle fd, MMsgHdr* messages, uint count, int flags, void* timeout);

    [LibraryImport(Libc, EntryPoint = "sendto", SetLastError = true)]
    internal static partial nint SendTo(SafeFdHandle fd, byte* buffer, nuint length, int flags, SockAddrNl* addr, uint addrLength);

    internal static int SetSockOptInt(SafeFdHandle fd, int level, int name, int value)
        => SetSockOpt(fd, level, name, &value, sizeof(int));

    internal static int GetSockOptInt(SafeFdHandle fd, int level, int name, out int value)
    {
        int v = 0;
        uint len = sizeof(int);
        int rc = GetSockOpt(fd, level, name, &v, &len);
        value = v;
        return rc;
    }
}
