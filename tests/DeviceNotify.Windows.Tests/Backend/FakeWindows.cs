using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using DeviceNotify.Windows;
using Microsoft.Win32.SafeHandles;
using static DeviceNotify.Interop.CfgMgr32;
using static DeviceNotify.Interop.Kernel32;

namespace DeviceNotify.Windows.Tests.Backend;

/// <summary>
/// A stand-in for cfgmgr32 and kernel32 behind the backend's <see cref="INativeMethods"/>, with the documented
/// behaviour the backend depends on:
/// - callbacks come on threads of the fake's own (cfgmgr32 uses a thread pool), through the function pointer the
///   backend registered (the real [UnmanagedCallersOnly] trampoline), with the context it gave and a native
///   CM_NOTIFY_EVENT_DATA buffer of the documented layout and size;
/// - CM_Unregister_Notification waits for the registration's callbacks in progress; called from inside one of them
///   it would deadlock on Windows, so the fake records the violation (and fails the call instead of hanging);
/// - a query-remove goes to every handle registration of the device subtree; one ERROR_CANCELLED vetoes it, and then
///   everyone asked gets QUERYREMOVEFAILED; otherwise REMOVEPENDING, the interfaces' removal, REMOVECOMPLETE;
/// - an open handle blocks FSCTL_LOCK_VOLUME for everybody else (ERROR_ACCESS_DENIED).
/// Handles are real descriptors of /dev/null, so the fake sees when the backend closes one.
/// </summary>
internal sealed unsafe class FakeWindows : INativeMethods, IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<Guid, List<string>> _interfaces = [];
    private readonly Dictionary<string, Node> _links = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<uint, Node> _nodes = [];
    private readonly Dictionary<nint, Registration> _registrations = [];
    private readonly List<(SafeFileHandle Handle, string Path)> _opened = [];
    private readonly Dictionary<string, Storage> _storage = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string> _violations = new();
    private long _nextRegistration = 0x5000;
    private uint _nextNode = 1;

    internal sealed class Node(uint devInst, string instanceId, Node? parent)
    {
        internal uint DevInst { get; } = devInst;
        internal string InstanceId { get; } = instanceId;
        internal Node? Parent { get; } = parent;
        internal bool Removable { get; set; }

        /// <summary>Devices removed with this one though not its children (a disk's volumes, children of the volume manager).</summary>
        internal List<Node> RemovalRelations { get; } = [];
        internal bool Present { get; set; } = true;
    }

    internal sealed record Storage(uint DeviceType, uint Number, uint Partition, bool IsVolume, string? VolumeName);

    internal sealed class Registration(nint handle, CM_NOTIFY_FILTER filter, nint context, nint callback, string? target)
    {
        internal nint Handle { get; } = handle;
        internal CM_NOTIFY_FILTER Filter { get; } = filter;
        internal nint Context { get; } = context;
        internal nint Callback { get; } = callback;
        internal string? Target { get; } = target;
        internal int InFlight;
        internal readonly HashSet<int> CallbackThreads = [];
        internal bool Removed;
    }

    /// <summary>Calls into the backend that Windows would not survive (an unregister from inside its own callback).</summary>
    internal IReadOnlyCollection<string> Violations => _violations;

    /// <summary>Threads that ran CM_Unregister_Notification, and whether each was a callback thread of the fake.</summary>
    internal ConcurrentQueue<(nint Registration, bool OnCallbackThread)> Unregistrations { get; } = new();

    /// <summary>Every FSCTL/IOCTL the backend sent: (path, code).</summary>
    internal ConcurrentQueue<(string Path, uint Code)> Controls { get; } = new();

    /// <summary>CM_Query_And_Remove_SubTree / CM_Request_Device_Eject calls: (instance, which).</summary>
    internal ConcurrentQueue<(string InstanceId, string Call)> RemovalCalls { get; } = new();

    /// <summary>Runs between CM_Get_Device_Interface_List_Size and CM_Get_Device_Interface_List, once (an arrival in between).</summary>
    internal Action? BetweenSizeAndList { get; set; }

    internal Func<uint>? RemovalResultOverride { get; set; }

    [ThreadStatic]
    private static Registration? t_inside;

    // ---- building the fake system ----

    internal Node AddNode(string instanceId, Node? parent = null, bool removable = false)
    {
        lock (_gate)
        {
            var node = new Node(_nextNode++, instanceId, parent) { Removable = removable };
            _nodes[node.DevInst] = node;
            return node;
        }
    }

    internal void AddInterface(Guid cls, string link, Node node, Storage? storage = null)
    {
        lock (_gate)
        {
            if (!_interfaces.TryGetValue(cls, out var list))
                _interfaces[cls] = list = [];
            list.Add(link);
            _links[link] = node;
            if (storage is not null)
                _storage[link] = storage;
            if (storage?.VolumeName is { } v)
                _storage[StorageIdentity.VolumeOf(v)!] = storage;
        }
    }

    internal Dictionary<string, List<string>> MountPaths { get; } = new(StringComparer.OrdinalIgnoreCase);

    internal Dictionary<string, (string Label, string FileSystem)> VolumeInfo { get; } = new(StringComparer.OrdinalIgnoreCase);

    internal Dictionary<string, string> FinalPaths { get; } = new(StringComparer.OrdinalIgnoreCase);

    internal IReadOnlyList<Registration> LiveRegistrations
    {
        get { lock (_gate) return _registrations.Values.Where(r => !r.Removed).ToList(); }
    }

    internal int OpenHandles(string path)
    {
        lock (_gate)
            return _opened.Count(o => !o.Handle.IsClosed && string.Equals(o.Path, path, StringComparison.OrdinalIgnoreCase));
    }

    // ---- what Windows sends ----

    /// <summary>An interface arrives: added to the lists, then announced to every interface registration (on callback threads).</summary>
    internal void Arrive(Guid cls, string link, Node node, Storage? storage = null)
    {
        AddInterface(cls, link, node, storage);
        Announce(CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL, cls, link);
    }

    /// <summary>An interface goes (surprise removal): taken from the lists, then announced.</summary>
    internal void Depart(Guid cls, string link)
    {
        lock (_gate)
            _interfaces[cls].Remove(link);
        Announce(CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL, cls, link);
    }

    internal void Announce(uint action, Guid cls, string link)
    {
        foreach (var r in LiveRegistrations.Where(r => r.Filter.FilterType == CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE))
            Fire(r, action, InterfaceData(cls, link));
    }

    /// <summary>Sends raw bytes as a notification to every interface registration (a malformed buffer).</summary>
    internal List<uint> SendRaw(uint action, byte[] buffer)
        => LiveRegistrations.Where(r => r.Filter.FilterType == CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE).Select(r => Fire(r, action, buffer)).ToList();

    /// <summary>A custom event (GUID_IO_VOLUME_*) to every handle registration on the device behind <paramref name="link"/>.</summary>
    internal void CustomEvent(string link, Guid eventGuid)
    {
        var node = NodeOf(link);
        foreach (var r in HandleRegistrationsOn(n => n == node))
            Fire(r, CM_NOTIFY_ACTION_DEVICECUSTOMEVENT, CustomData(eventGuid));
    }

    /// <summary>
    /// Another program (or this one through the actuator) asks to remove the subtree at <paramref name="root"/>:
    /// QUERYREMOVE to every handle registration in it; a veto → QUERYREMOVEFAILED to those asked and the veto;
    /// otherwise REMOVEPENDING, interface removals, REMOVECOMPLETE. Open handles of the subtree veto too
    /// (PNP_VetoOutstandingOpen), as on Windows.
    /// </summary>
    internal (uint Result, int VetoType, string VetoName) RequestRemoval(Node root)
    {
        var inTree = (Node n) => InSubtree(root, n);
        var asked = HandleRegistrationsOn(inTree);
        foreach (var r in asked)
        {
            if (Fire(r, CM_NOTIFY_ACTION_DEVICEQUERYREMOVE, HandleData()) == ERROR_CANCELLED)
                return Failed(asked, 3, "TestHost.exe");
        }
        string[] links;
        lock (_gate)
            links = _links.Where(l => inTree(l.Value)).Select(l => l.Key).ToArray();
        var open = links.FirstOrDefault(l => OpenHandles(l) > 0);
        if (open is not null)
            return Failed(asked, 5, _links[open].InstanceId);
        foreach (var r in asked)
            Fire(r, CM_NOTIFY_ACTION_DEVICEREMOVEPENDING, HandleData());
        foreach (var (cls, list) in _interfaces.ToList())
        {
            foreach (var link in list.Where(links.Contains).ToList())
                Depart(cls, link);
        }
        lock (_gate)
        {
            foreach (var n in _nodes.Values.Where(inTree))
                n.Present = false;
        }
        foreach (var r in asked)
            Fire(r, CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE, HandleData());
        return (CR_SUCCESS, 0, "");
    }

    /// <summary>True when <paramref name="n"/> is <paramref name="root"/>, below it, or a removal relation of either.</summary>
    private bool InSubtree(Node root, Node n)
    {
        lock (_gate)
        {
            var subtree = _nodes.Values.Where(x => { for (var p = x; p is not null; p = p.Parent) if (p == root) return true; return false; }).ToList();
            return subtree.Contains(n) || subtree.Any(x => x.RemovalRelations.Contains(n));
        }
    }

    private (uint, int, string) Failed(List<Registration> asked, int vetoType, string name)
    {
        foreach (var r in asked)
            Fire(r, CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED, HandleData());
        return (CR_REMOVE_VETOED, vetoType, name);
    }

    private List<Registration> HandleRegistrationsOn(Func<Node, bool> which)
        => LiveRegistrations.Where(r => r.Filter.FilterType == CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE && r.Target is { } t && NodeOf(t) is { } n && which(n)).ToList();

    private Node? NodeOf(string path)
    {
        lock (_gate)
        {
            if (_links.TryGetValue(path, out var node))
                return node;
            var link = _storage.FirstOrDefault(s => s.Value.VolumeName is { } v && StorageIdentity.VolumeOf(v) == path).Key;
            return link is not null && _links.TryGetValue(link, out node) ? node : null;
        }
    }

    /// <summary>Calls the registration's callback on a new thread and waits for its answer, as cfgmgr32 does.</summary>
    internal uint Fire(Registration r, uint action, byte[] buffer)
    {
        lock (_gate)
        {
            if (r.Removed)
                return 0;
            r.InFlight++;
        }
        uint result = 0;
        var thread = new Thread(() =>
        {
            lock (_gate)
                r.CallbackThreads.Add(Environment.CurrentManagedThreadId);
            t_inside = r;
            try
            {
                fixed (byte* p = buffer)
                    result = ((delegate* unmanaged[Stdcall]<nint, nint, uint, byte*, uint, uint>)r.Callback)(r.Handle, r.Context, action, p, (uint)buffer.Length);
            }
            finally
            {
                t_inside = null;
                lock (_gate)
                {
                    r.InFlight--;
                    Monitor.PulseAll(_gate);
                }
            }
        }) { IsBackground = true, Name = "fake cfgmgr32 callback" };
        thread.Start();
        if (!thread.Join(TimeSpan.FromSeconds(60)))
            _violations.Enqueue($"a callback for action {action} did not return within 60 s");
        return result;
    }

    internal static byte[] InterfaceData(Guid cls, string link)
    {
        var b = new byte[Math.Max(36, 24 + 2 * (link.Length + 1))];
        BinaryPrimitives.WriteUInt32LittleEndian(b, CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE);
        cls.TryWriteBytes(b.AsSpan(8));
        Encoding.Unicode.GetBytes(link, b.AsSpan(24));
        return b;
    }

    private static byte[] HandleData()
    {
        var b = new byte[36];
        BinaryPrimitives.WriteUInt32LittleEndian(b, CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE);
        return b;
    }

    private static byte[] CustomData(Guid eventGuid)
    {
        var b = new byte[36];
        BinaryPrimitives.WriteUInt32LittleEndian(b, CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE);
        eventGuid.TryWriteBytes(b.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(24), -1);
        return b;
    }

    // ---- INativeMethods ----

    public uint RegisterNotification(in CM_NOTIFY_FILTER filter, nint context, nint callback, out nint notification)
    {
        notification = 0;
        if (filter.cbSize != 416 || callback == 0)
            return 0x1F;   // CR_INVALID_DATA
        string? target = null;
        if (filter.FilterType == CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE)
        {
            nint value = filter.hTarget;
            lock (_gate)
                target = _opened.FirstOrDefault(o => !o.Handle.IsClosed && o.Handle.DangerousGetHandle() == value).Path;
            if (target is null)
                return 0x1F;
        }
        lock (_gate)
        {
            var r = new Registration((nint)(_nextRegistration += 4), filter, context, callback, target);
            _registrations[r.Handle] = r;
            notification = r.Handle;
        }
        return CR_SUCCESS;
    }

    public uint UnregisterNotification(nint notification)
    {
        Registration? r;
        lock (_gate)
            _registrations.TryGetValue(notification, out r);
        if (r is null || r.Removed)
            return 0x03;   // CR_INVALID_POINTER
        bool inside = t_inside == r;
        Unregistrations.Enqueue((notification, t_inside is not null));
        if (inside)
        {
            _violations.Enqueue($"CM_Unregister_Notification({notification:x}) from inside its own callback: a deadlock on Windows");
            return CR_FAILURE;
        }
        lock (_gate)
        {
            while (r.InFlight > 0)
                Monitor.Wait(_gate);
            r.Removed = true;
        }
        return CR_SUCCESS;
    }

    public uint GetInterfaceListSize(Guid classGuid, out uint length)
    {
        lock (_gate)
            length = (uint)(_interfaces.GetValueOrDefault(classGuid, []).Sum(l => l.Length + 1) + 1);
        var between = BetweenSizeAndList;
        BetweenSizeAndList = null;
        between?.Invoke();
        return CR_SUCCESS;
    }

    public uint GetInterfaceList(Guid classGuid, Span<char> buffer)
    {
        List<string> links;
        lock (_gate)
            links = [.. _interfaces.GetValueOrDefault(classGuid, [])];
        if (links.Sum(l => l.Length + 1) + 1 > buffer.Length)
            return CR_BUFFER_SMALL;
        int at = 0;
        foreach (var l in links)
        {
            l.AsSpan().CopyTo(buffer[at..]);
            at += l.Length;
            buffer[at++] = '\0';
        }
        buffer[at] = '\0';
        return CR_SUCCESS;
    }

    public uint GetInterfaceInstanceId(string symbolicLink, out string? instanceId)
    {
        lock (_gate)
            instanceId = _links.TryGetValue(symbolicLink, out var n) ? n.InstanceId : null;
        return instanceId is null ? 0x37 : CR_SUCCESS;   // CR_NO_SUCH_DEVICE_INTERFACE
    }

    public uint LocateDevNode(string instanceId, out uint devInst)
    {
        lock (_gate)
            devInst = _nodes.Values.FirstOrDefault(n => n.Present && n.InstanceId == instanceId)?.DevInst ?? 0;
        return devInst == 0 ? 0x0D : CR_SUCCESS;   // CR_NO_SUCH_DEVNODE
    }

    public uint GetParent(uint devInst, out uint parent)
    {
        lock (_gate)
            parent = _nodes.TryGetValue(devInst, out var n) && n.Parent is { } p ? p.DevInst : 0;
        return parent == 0 ? 0x0D : CR_SUCCESS;
    }

    public uint GetDeviceId(uint devInst, out string? instanceId)
    {
        lock (_gate)
            instanceId = _nodes.TryGetValue(devInst, out var n) ? n.InstanceId : null;
        return instanceId is null ? 0x05 : CR_SUCCESS;
    }

    public uint GetDevNodeStatus(uint devInst, out uint status)
    {
        lock (_gate)
            status = _nodes.TryGetValue(devInst, out var n) && n.Removable ? DN_REMOVABLE : 0;
        return CR_SUCCESS;
    }

    public uint QueryAndRemoveSubTree(uint devInst, out int vetoType, out string vetoName) => Remove(devInst, "CM_Query_And_Remove_SubTree", out vetoType, out vetoName);

    public uint RequestDeviceEject(uint devInst, out int vetoType, out string vetoName) => Remove(devInst, "CM_Request_Device_Eject", out vetoType, out vetoName);

    private uint Remove(uint devInst, string call, out int vetoType, out string vetoName)
    {
        Node node;
        lock (_gate)
            node = _nodes[devInst];
        RemovalCalls.Enqueue((node.InstanceId, call));
        if (RemovalResultOverride is { } forced)
        {
            vetoType = 0;
            vetoName = "";
            return forced();
        }
        var (result, type, name) = RequestRemoval(node);
        vetoType = type;
        vetoName = name;
        return result;
    }

    public SafeFileHandle? Open(string path, uint access, out int error)
    {
        error = 0;
        bool known;
        lock (_gate)
            known = _links.ContainsKey(path) || _storage.ContainsKey(path) || FinalPaths.ContainsKey(path) || NodeOf(path) is not null;
        if (!known)
        {
            error = 2;   // ERROR_FILE_NOT_FOUND
            return null;
        }
        var handle = File.OpenHandle("/dev/null");
        lock (_gate)
            _opened.Add((handle, path));
        return handle;
    }

    public bool IoControl(SafeHandle handle, uint code, Span<byte> output, out int returned, out int error)
    {
        returned = 0;
        error = 0;
        string path;
        Storage? storage;
        lock (_gate)
        {
            path = _opened.First(o => o.Handle == handle).Path;
            storage = _storage.GetValueOrDefault(path);
        }
        Controls.Enqueue((path, code));
        switch (code)
        {
            case IOCTL_STORAGE_GET_DEVICE_NUMBER when storage is not null:
                BinaryPrimitives.WriteUInt32LittleEndian(output, storage.DeviceType);
                BinaryPrimitives.WriteUInt32LittleEndian(output[4..], storage.Number);
                BinaryPrimitives.WriteUInt32LittleEndian(output[8..], storage.Partition);
                returned = 12;
                return true;
            case IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS when storage is { IsVolume: true }:
                returned = output.Length;
                return true;
            case FSCTL_LOCK_VOLUME when storage is { IsVolume: true }:
                // The file system tells handle registrations first (GUID_IO_VOLUME_LOCK), then counts the open handles.
                string link = LinkOf(storage);
                CustomEvent(link, VolumeEvents.VolumeLock);
                int others;
                lock (_gate)
                    others = _opened.Count(o => !o.Handle.IsClosed && o.Handle != handle && SameVolume(o.Path, storage));
                if (others == 0)
                    return true;
                CustomEvent(link, VolumeEvents.VolumeLockFailed);
                error = ERROR_ACCESS_DENIED;
                return false;
            case FSCTL_DISMOUNT_VOLUME when storage is { IsVolume: true }:
                return true;
            default:
                error = 1;   // ERROR_INVALID_FUNCTION
                return false;
        }
    }

    private string LinkOf(Storage storage)
    {
        lock (_gate)
            return _storage.First(s => s.Value == storage && _links.ContainsKey(s.Key)).Key;
    }

    private bool SameVolume(string path, Storage volume) => _storage.TryGetValue(path, out var s) && s == volume;

    public bool GetVolumeInformation(string rootPath, out string label, out string fileSystem, out int error)
    {
        error = 0;
        if (VolumeInfo.TryGetValue(rootPath, out var info))
        {
            (label, fileSystem) = info;
            return true;
        }
        (label, fileSystem, error) = ("", "", 3);
        return false;
    }

    public string? GetVolumeName(string mountPoint)
    {
        lock (_gate)
            return _storage.GetValueOrDefault(mountPoint.TrimEnd('\\'))?.VolumeName;
    }

    public IReadOnlyList<string> GetVolumePathNames(string volumeName) => MountPaths.GetValueOrDefault(volumeName, []);

    public IReadOnlyList<string> ListVolumes()
    {
        lock (_gate)
            return _storage.Values.Select(s => s.VolumeName).OfType<string>().Distinct().ToList();
    }

    public string? GetFinalPathWithVolumeGuid(SafeHandle handle)
    {
        lock (_gate)
            return FinalPaths.GetValueOrDefault(_opened.First(o => o.Handle == handle).Path);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var (h, _) in _opened)
                h.Dispose();
        }
    }
}
