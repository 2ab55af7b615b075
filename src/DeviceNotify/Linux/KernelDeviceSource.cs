using System.Diagnostics;
using System.Runtime.Versioning;
using DeviceNotify.Dispatch;

namespace DeviceNotify.Linux;

// Implementation notes:
// - Threading: one named background thread ("DeviceNotify uevent reader") blocks in poll(2) on the netlink
//   socket and an eventfd used to stop it. It receives, checks and parses datagrams, reads the sysfs attributes
//   class membership needs (block size and partitions, input capabilities: in-memory sysfs, no device I/O), and
//   hands each batch to the dispatcher, which only queues notifications: no user code ever runs on this thread.
//   It starts under ExecutionContext.SuppressFlow. Blocking volume probes (libblkid) never run here: the
//   dispatcher calls ProbeVolume on probe threads of its own.
// - Ordering: the socket is opened (Open) before the sysfs walk (Enumerate), so nothing that happens during
//   the walk is missed; the dispatcher reconciles the buffered events against the walk.
// - Overflow: ENOBUFS from the socket → drain the queue to EAGAIN (the kernel reports no further drop until the
//   queue is empty: NETLINK_S_CONGESTED, cleared in netlink_rcv_wake), then sink.OnOverflow(), which walks sysfs
//   on this thread. Drops during the walk raise a new ENOBUFS and another resync. Events that arrive meanwhile
//   wait in the socket buffer, so order is kept.
// - Volumes: the same poll waits for POLLPRI on /proc/self/mountinfo (the mount table changed) and for
//   IN_CLOSE_WRITE on watched device nodes (udevd's "watch": a tool like e2label wrote the device, so its
//   label may have changed). Both are handed to the dispatcher like uevents.
// - Failure: an error from poll or recvmmsg, or an exception on this thread, is reported once (OnFailed) and the
//   thread ends; the watcher then ends every registration.
// - Stop: a write to the eventfd wakes poll; the thread exits and Stop joins it before closing the socket.
/// <summary>
/// The real Linux source: kernel uevents from a NETLINK_KOBJECT_UEVENT socket, device state from sysfs.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class KernelDeviceSource : DeviceSource
{
    private readonly KernelDeviceSourceOptions _options;
    private readonly ListedSubsystems _listed;
    private readonly ManualResetEventSlim _running = new(true);
    private NetlinkUEventSocket? _socket;
    private SafeFdHandle? _wake;
    private SafeFdHandle? _inotify;
    private Microsoft.Win32.SafeHandles.SafeFileHandle? _mountInfo;
    private readonly Dictionary<int, string> _watches = [];
    private Thread? _thread;
    private IDeviceSourceSink? _sink;
    private int _stopped;

    /// <summary>Creates a kernel source with default options.</summary>
    public KernelDeviceSource() : this(new KernelDeviceSourceOptions()) { }

    /// <summary>Creates a kernel source.</summary>
    public KernelDeviceSource(KernelDeviceSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ReceiveBufferSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.ReceiveBufferSize, "ReceiveBufferSize must be positive (bytes).");
        _options = options;
        _listed = new ListedSubsystems(options.SysfsRoot);
    }

    /// <summary>The sysfs root in use.</summary>
    public string SysfsRoot => _options.SysfsRoot;

    /// <summary>The effective receive buffer in bytes (0 before the watcher starts).</summary>
    public int ReceiveBufferBytes => _socket?.ReceiveBufferBytes ?? 0;

    /// <summary>True when the buffer was set with SO_RCVBUFFORCE (privileged); false when capped at rmem_max.</summary>
    public bool ReceiveBufferForced => _socket?.ReceiveBufferForced ?? false;

    internal override void Open()
    {
        _socket = NetlinkUEventSocket.Open(_options.ReceiveBufferSize);
        int efd = Interop.EventFd(0, Interop.EFD_CLOEXEC | Interop.EFD_NONBLOCK);
        if (efd < 0)
        {
            int errno = Interop.LastErrno;
            _socket.Dispose();
            throw new DeviceNotifyException($"Cannot create an eventfd: {Interop.StrError(errno)}.", errno);
        }
        _wake = new SafeFdHandle(efd);
        // Mount table changes show as POLLPRI|POLLERR on an open mountinfo (proc(5)); devnode writes via inotify.
        // Both are optional: without them, volume events are not reported but device events still are.
        try
        {
            _mountInfo = File.OpenHandle(_options.MountInfoPath);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        int ifd = Interop.InotifyInit1(Interop.IN_CLOEXEC | Interop.IN_NONBLOCK);
        if (ifd >= 0)
            _inotify = new SafeFdHandle(ifd);
    }

    internal override DeviceSnapshot Enumerate()
    {
        var devices = SysfsEnumerator.Enumerate(_options.SysfsRoot);
        // Read after the walk: every event with a higher number happened after the walk ended.
        ulong seqnum = SysfsEnumerator.ReadSequenceNumber(_options.SysfsRoot);
        return new DeviceSnapshot(devices, seqnum, ReadMounts());
    }

    internal override void WatchVolume(Device device)
    {
        if (device.DevNode is not { } devNode)
            return;
        lock (_watches)
        {
            if (_inotify is null || _watches.ContainsValue(devNode))
                return;
            int wd = Interop.InotifyAddWatch(_inotify, devNode, Interop.IN_CLOSE_WRITE);
            if (wd >= 0)
                _watches[wd] = devNode;
        }
    }

    private List<MountPoint> ReadMounts() => MountTable.Read(_options.MountInfoPath);

    internal override bool StillExists(Device device) => Directory.Exists(device.SysPath);

    internal override VolumeProbeResult ProbeVolume(Device device) => FileSystemProbe.Probe(device.DevNode ?? "/dev/" + device.SysName);

    internal override void Start(IDeviceSourceSink sink)
    {
        if (_socket is null)
            throw new InvalidOperationException("Open the source before starting it.");
        _sink = sink;
        _thread = new Thread(ReadLoop) { IsBackground = true, Name = "DeviceNotify uevent reader" };
        using (ExecutionContext.SuppressFlow())
            _thread.Start();
    }

    /// <summary>Test seam: holds the reader thread so the kernel buffer fills (as SIGSTOP does in the bench).</summary>
    internal void PauseReading() => _running.Reset();

    /// <summary>Test seam: lets a paused reader thread go on.</summary>
    internal void ResumeReading() => _running.Set();

    internal override void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        if (_wake is not null)
            Wake();
        _running.Set();
        if (_thread is not null && _thread != Thread.CurrentThread)
            _thread.Join();
        _socket?.Dispose();
        _wake?.Dispose();
        _inotify?.Dispose();
        _mountInfo?.Dispose();
    }

    private unsafe void DrainInotify(IDeviceSourceSink sink, byte[] buffer)
    {
        while (true)
        {
            nint n;
            fixed (byte* p = buffer)
            {
                do
                {
                    n = Interop.Read(_inotify!, p, (nuint)buffer.Length);
                }
                while (Interop.ShouldRetry(n));
            }
            if (n <= 0)
                return;
            int offset = 0;
            while (offset + sizeof(Interop.InotifyEvent) <= n)
            {
                var e = System.Runtime.InteropServices.MemoryMarshal.Read<Interop.InotifyEvent>(buffer.AsSpan(offset));
                offset += sizeof(Interop.InotifyEvent) + (int)e.Length;
                string? devNode;
                lock (_watches)
                {
                    _watches.TryGetValue(e.Wd, out devNode);
                    if ((e.Mask & Interop.IN_IGNORED) != 0)
                        _watches.Remove(e.Wd);
                }
                if (devNode is not null && (e.Mask & Interop.IN_CLOSE_WRITE) != 0)
                    sink.OnVolumeWritten(devNode);
            }
        }
    }

    /// <summary>
    /// Reads what routing needs beyond the uevent, once per event, before routing: the sysfs attributes class
    /// membership needs (a removed device has none left), and whether any listing can show the device.
    /// </summary>
    private void AddFacts(Span<Device?> batch)
    {
        foreach (var d in batch)
        {
            if (d is null)
                continue;
            if (d.Action != DeviceAction.Remove && d.Subsystem is "block" or "input")
                d.SetAttributes(SysfsAttributes.Read(d));
            if (!_listed.IsListed(d.Subsystem))
                d.SetUnlisted();
        }
    }

    private unsafe void Wake()
    {
        ulong one = 1;
        Interop.Write(_wake!, &one, sizeof(ulong));
    }

    private unsafe void ReadLoop()
    {
        var socket = _socket!;
        var sink = _sink!;
        var batch = new Device?[NetlinkUEventSocket.BatchSize];
        var fds = stackalloc Interop.PollFd[4];
        var inotifyBuffer = new byte[4096];
        bool socketAddRef = false, wakeAddRef = false;
        bool overflowPending = false;
        try
        {
            socket.Handle.DangerousAddRef(ref socketAddRef);
            _wake!.DangerousAddRef(ref wakeAddRef);
            int socketFd = socket.Handle.Fd;
            int wakeFd = _wake.Fd;
            // -1 entries are ignored by poll(2).
            int mountFd = _mountInfo is null ? -1 : (int)_mountInfo.DangerousGetHandle();
            int inotifyFd = _inotify is null ? -1 : _inotify.Fd;
            while (Volatile.Read(ref _stopped) == 0)
            {
                _running.Wait();
                fds[0] = new Interop.PollFd { Fd = socketFd, Events = Interop.POLLIN };
                fds[1] = new Interop.PollFd { Fd = wakeFd, Events = Interop.POLLIN };
                fds[2] = new Interop.PollFd { Fd = mountFd, Events = Interop.POLLPRI };
                fds[3] = new Interop.PollFd { Fd = inotifyFd, Events = Interop.POLLIN };
                int rc;
                do
                {
                    rc = Interop.Poll(fds, 4, -1);
                }
                while (Interop.ShouldRetry(rc));
                if (rc < 0)
                {
                    int errno = Interop.LastErrno;
                    sink.OnFailed(new DeviceNotifyException($"poll on the uevent socket failed: {Interop.StrError(errno)}", errno));
                    return;
                }
                if (fds[1].REvents != 0 || Volatile.Read(ref _stopped) != 0)
                    return;
                if (fds[2].REvents != 0)
                    sink.OnMountTable(ReadMounts());
                if (fds[3].REvents != 0)
                    DrainInotify(sink, inotifyBuffer);
                if (fds[0].REvents == 0)
                    continue;

                // Drain: keep receiving full batches without going back to poll.
                while (Volatile.Read(ref _stopped) == 0)
                {
                    int n = socket.Receive(batch, _options.SysfsRoot, Counters, out int datagrams);
                    long timestamp = Stopwatch.GetTimestamp();
                    if (n == -Interop.EAGAIN)
                    {
                        if (overflowPending)
                        {
                            // The queue is empty now, so the kernel has cleared NETLINK_S_CONGESTED and will report
                            // any further drop as a new ENOBUFS: only now is a sysfs walk sure to miss nothing.
                            overflowPending = false;
                            sink.OnOverflow();
                            continue;
                        }
                        break;
                    }
                    if (n == -Interop.ENOBUFS)
                    {
                        // After ENOBUFS the kernel stays "congested" and reports no further drops until our queue is
                        // drained (netlink_rcv_wake). Walking sysfs before draining would lose drops made during the
                        // walk without a trace, so drain first (routing what is there), then resynchronise.
                        Interlocked.Increment(ref Counters.Overflows);
                        overflowPending = true;
                        continue;
                    }
                    if (n < 0)
                    {
                        sink.OnFailed(new DeviceNotifyException($"Receiving from the uevent socket failed: {Interop.StrError(-n)}", -n));
                        return;
                    }
                    if (n > 0)
                    {
                        AddFacts(batch.AsSpan(0, n));
                        sink.OnEvents(batch.AsSpan(0, n), timestamp);
                    }
                    Array.Clear(batch, 0, n);
                    if (datagrams < NetlinkUEventSocket.BatchSize && !overflowPending)
                        break;
                }
            }
        }
        catch (Exception ex)
        {
            // Never let an exception escape a background thread: report it in-band (the watcher ends its registrations).
            sink.OnFailed(ex);
        }
        finally
        {
            if (socketAddRef)
                socket.Handle.DangerousRelease();
            if (wakeAddRef)
                _wake!.DangerousRelease();
        }
    }
}
