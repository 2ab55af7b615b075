using System.Runtime.InteropServices;
using DeviceNotify.Dispatch;
using DeviceNotify.Parsing;

namespace DeviceNotify.Linux;

// Implementation notes:
// - NETLINK_KOBJECT_UEVENT, multicast group 1 is where the kernel itself broadcasts uevents
//   (lib/kobject_uevent.c, uevent_net_broadcast); group 2 is udevd's re-broadcast, which we never read.
// - Trust: only the kernel may speak (CVE-2009-1185 was udev accepting user-space senders). A message is
//   accepted only when the sender's netlink port id is 0 (the kernel) and the SCM_CREDENTIALS from
//   SO_PASSCRED say uid 0. systemd's sd-device applies the same two tests. MSG_TRUNC means the datagram did
//   not fit our slot: it is dropped, never parsed half.
// - Buffer: SO_RCVBUFFORCE (needs CAP_NET_ADMIN) ignores net.core.rmem_max; otherwise SO_RCVBUF is capped
//   at rmem_max. The kernel doubles the value for bookkeeping; we report what getsockopt says.
// - Batching: recvmmsg takes up to BatchSize datagrams per syscall, so a storm costs one syscall per batch
//   instead of one per event. Slots are native memory, allocated once, freed on Dispose.
// - ENOBUFS: the kernel dropped messages because the buffer was full; recvmmsg reports it once and clears it.
//   The caller resynchronises against sysfs.
internal sealed unsafe class NetlinkUEventSocket : IDisposable
{
    internal const int BatchSize = 64;
    internal const int SlotSize = 8192;
    private const int ControlSize = 64;

    private readonly SafeFdHandle _fd;
    private readonly byte* _memory;
    private readonly Interop.MMsgHdr* _messages;
    private readonly Interop.IoVec* _iovs;
    private readonly Interop.SockAddrNl* _addresses;
    private readonly byte* _controls;
    private readonly byte* _slots;
    private bool _disposed;
    // Entries whose headers the kernel wrote in the last call (the others still hold what was set up).
    private int _dirty = BatchSize;

    private NetlinkUEventSocket(SafeFdHandle fd, int receiveBufferBytes, bool forced)
    {
        _fd = fd;
        ReceiveBufferBytes = receiveBufferBytes;
        ReceiveBufferForced = forced;
        nuint total = (nuint)(BatchSize * (sizeof(Interop.MMsgHdr) + sizeof(Interop.IoVec) + sizeof(Interop.SockAddrNl) + ControlSize + SlotSize));
        _memory = (byte*)NativeMemory.AllocZeroed(total);
        _messages = (Interop.MMsgHdr*)_memory;
        _iovs = (Interop.IoVec*)(_messages + BatchSize);
        _addresses = (Interop.SockAddrNl*)(_iovs + BatchSize);
        _controls = (byte*)(_addresses + BatchSize);
        _slots = _controls + (BatchSize * ControlSize);
    }

    /// <summary>Effective receive buffer (getsockopt SO_RCVBUF, which is twice what was asked).</summary>
    internal int ReceiveBufferBytes { get; }

    /// <summary>True when SO_RCVBUFFORCE worked (root/CAP_NET_ADMIN); false when capped by rmem_max.</summary>
    internal bool ReceiveBufferForced { get; }

    internal SafeFdHandle Handle => _fd;

    /// <summary>Opens, configures and binds the socket. Throws <see cref="DeviceNotifyException"/> with what to do.</summary>
    internal static NetlinkUEventSocket Open(int requestedReceiveBuffer)
    {
        int raw = Interop.Socket(Interop.AF_NETLINK, Interop.SOCK_RAW | Interop.SOCK_CLOEXEC | Interop.SOCK_NONBLOCK, Interop.NETLINK_KOBJECT_UEVENT);
        if (raw < 0)
        {
            int errno = Interop.LastErrno;
            throw new DeviceNotifyException(
                $"Cannot open a NETLINK_KOBJECT_UEVENT socket: {Interop.StrError(errno)}. " +
                "The kernel needs CONFIG_NET and netlink support; in a container, the network namespace must allow it.", errno);
        }
        var fd = new SafeFdHandle(raw);
        try
        {
            bool forced = Interop.SetSockOptInt(fd, Interop.SOL_SOCKET, Interop.SO_RCVBUFFORCE, requestedReceiveBuffer) == 0;
            if (!forced)
                Interop.SetSockOptInt(fd, Interop.SOL_SOCKET, Interop.SO_RCVBUF, requestedReceiveBuffer);
            Interop.GetSockOptInt(fd, Interop.SOL_SOCKET, Interop.SO_RCVBUF, out int effective);

            if (Interop.SetSockOptInt(fd, Interop.SOL_SOCKET, Interop.SO_PASSCRED, 1) != 0)
            {
                int errno = Interop.LastErrno;
                throw new DeviceNotifyException($"Cannot enable SO_PASSCRED on the uevent socket: {Interop.StrError(errno)}.", errno);
            }

            var addr = new Interop.SockAddrNl { Family = Interop.AF_NETLINK, Pid = 0, Groups = 1 };
            if (Interop.Bind(fd, &addr, (uint)sizeof(Interop.SockAddrNl)) != 0)
            {
                int errno = Interop.LastErrno;
                throw new DeviceNotifyException(
                    $"Cannot join the kernel uevent multicast group: {Interop.StrError(errno)}. " +
                    "Reading uevents needs no privilege on a normal system; check seccomp or container restrictions.", errno);
            }
            return new NetlinkUEventSocket(fd, effective, forced);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Receives up to <see cref="BatchSize"/> datagrams without blocking and parses the ones the kernel sent.
    /// Returns the number of devices written to <paramref name="output"/> (0 is possible when every datagram was
    /// dropped), or -errno (EAGAIN when nothing was queued, ENOBUFS after an overflow). <paramref name="datagrams"/>
    /// is how many datagrams the call took from the socket; <paramref name="receivedAt"/> the Stopwatch time right
    /// after the receive call returned (before parsing, so it is the moment of receipt, as DeviceNotification says).
    /// </summary>
    internal int Receive(Span<Device?> output, string sysfsRoot, SourceCounters counters, out int datagrams, out long receivedAt)
    {
        datagrams = 0;
        int max = Math.Min(output.Length, BatchSize);
        // Only the entries the kernel wrote last time need setting up again: the fewer pages a wake-up touches
        // before the receipt, the sooner the receipt (measured: on an idle VM CPU every page is a cold miss).
        int reset = Math.Min(max, _dirty);
        for (int i = 0; i < reset; i++)
        {
            _iovs[i].Base = _slots + (i * SlotSize);
            _iovs[i].Length = SlotSize;
            ref var h = ref _messages[i].Header;
            h.Name = _addresses + i;
            h.NameLength = (uint)sizeof(Interop.SockAddrNl);
            h.Iov = _iovs + i;
            h.IovLength = 1;
            h.Control = _controls + (i * ControlSize);
            h.ControlLength = ControlSize;
            h.Flags = 0;
            _messages[i].Length = 0;
        }

        int n;
        do
        {
            n = Interop.RecvMMsg(_fd, _messages, (uint)max, Interop.MSG_DONTWAIT, null);
        }
        while (Interop.ShouldRetry(n));
        receivedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        // The kernel writes back the headers of the n entries it filled; set up one more than that again, to be safe
        // about the entry where it stopped.
        _dirty = n < 0 ? 1 : n + 1;
        if (n < 0)
            return -Interop.LastErrno;

        datagrams = n;
        int produced = 0;
        for (int i = 0; i < n; i++)
        {
            ref var h = ref _messages[i].Header;
            var payload = new ReadOnlySpan<byte>(_slots + (i * SlotSize), (int)_messages[i].Length);
            var control = new ReadOnlySpan<byte>(h.Control, (int)h.ControlLength);
            if (TryAccept(payload, h.Flags, _addresses[i].Pid, control, sysfsRoot, counters, out var device))
                output[produced++] = device;
        }
        Interlocked.Add(ref counters.Received, produced);
        return produced;
    }

    /// <summary>
    /// Decides on one datagram and counts a drop: accepted only when it is whole (no MSG_TRUNC/MSG_CTRUNC), comes
    /// from the kernel (sender port 0), carries SCM_CREDENTIALS with uid 0, and parses as a uevent. Pure apart from
    /// the counters, so crafted datagrams and control messages can be tested.
    /// </summary>
    internal static bool TryAccept(ReadOnlySpan<byte> payload, int flags, uint senderPort, ReadOnlySpan<byte> control, string sysfsRoot,
        SourceCounters counters, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Device? device)
    {
        device = null;
        if ((flags & (Interop.MSG_TRUNC | Interop.MSG_CTRUNC)) != 0)
        {
            Interlocked.Increment(ref counters.Truncated);
            return false;
        }
        if (senderPort != 0)
        {
            Interlocked.Increment(ref counters.RejectedSender);
            return false;
        }
        if (SenderUid(control) != 0)
        {
            Interlocked.Increment(ref counters.RejectedCredentials);
            return false;
        }
        if (!UEventParser.TryParse(payload, sysfsRoot, out device))
        {
            Interlocked.Increment(ref counters.Malformed);
            return false;
        }
        return true;
    }

    /// <summary>
    /// The uid in the SCM_CREDENTIALS control message (the CMSG_FIRSTHDR / CMSG_NXTHDR walk); -1 when there is none
    /// or the control data is malformed.
    /// </summary>
    internal static long SenderUid(ReadOnlySpan<byte> control)
    {
        int header = sizeof(Interop.CMsgHdr);
        int offset = 0;
        while (offset + header <= control.Length)
        {
            var c = MemoryMarshal.Read<Interop.CMsgHdr>(control[offset..]);
            if (c.Length < (nuint)header || c.Length > (nuint)(control.Length - offset))
                return -1;
            if (c.Level == Interop.SOL_SOCKET && c.Type == Interop.SCM_CREDENTIALS && c.Length >= (nuint)(header + sizeof(Interop.UCred)))
                return MemoryMarshal.Read<Interop.UCred>(control[(offset + header)..]).Uid;
            offset += (int)((c.Length + (nuint)sizeof(nuint) - 1) & ~((nuint)sizeof(nuint) - 1));
        }
        return -1;
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _fd.Dispose();
        NativeMemory.Free(_memory);
    }
}
