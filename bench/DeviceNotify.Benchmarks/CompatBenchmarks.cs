using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Attributes;
using DeviceNotify.Compat;
using DeviceNotify.Windows;

namespace DeviceNotify.Benchmarks;

/// <summary>
/// What the Windows shapes cost per notification, against a DeviceNotify handler that takes the same interface path as
/// a new string (the baseline, measured in the same run: the same observable work, without the native shape). Every
/// case carries the same 8-character interface name:
/// - CmNotifyCallback: the compatibility layer on Linux builds the native CM_NOTIFY_EVENT_DATA (native memory, the
///   symbolic link copied in) and calls the PCM_NOTIFY_CALLBACK, which reads the link through the pointer as C does;
/// - WindowProcedure: the same with DEV_BROADCAST_DEVICEINTERFACE and a WNDPROC (plus the recipient's lock);
/// - TrampolineArrival: the Windows backend's side: cfgmgr32 calling the [UnmanagedCallersOnly] callback through its
///   function pointer with a GCHandle context and a native buffer, decoded and handed to a target (here a counter).
/// </summary>
[MemoryDiagnoser]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public unsafe class CompatBenchmarks
{
    private DeviceNotification _arrival = null!;
    private Action<DeviceNotification> _handler = null!;
    private Compat.Linux.CmNotification _cm = null!;
    private Compat.Linux.BroadcastNotification _broadcast = null!;
    private PCM_NOTIFY_CALLBACK _callback = null!;
    private WNDPROC _windowProcedure = null!;
    private GCHandle _target;
    private byte* _native;
    private uint _nativeSize;
    private nint _trampoline;
    private int _length;

    private sealed class CountingTarget : INotificationTarget
    {
        internal int Count;

        public uint OnNotification(nint notification, uint action, in NotifyEvent notifyEvent)
        {
            Count += notifyEvent.Text!.Length;   // the decoder made the string
            return 0;
        }

        public void OnMalformed(string error)
        {
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        var device = new Device("/devices/virtual/net/dnbench0", "net", [new("INTERFACE", "dnbench0"), new("IFINDEX", "42")]);
        _arrival = new DeviceNotification(NotificationAction.InterfaceArrival, device, new DeviceInterface(InterfaceClass.Net, device),
            DeviceAction.Add, NotificationOrigin.Kernel, Stopwatch.GetTimestamp());
        _handler = n => _length += new string(n.Interface!.Path.AsSpan()).Length;
        _callback = (h, context, action, data, size) =>
        {
            _length += new string(data->u.DeviceInterface.SymbolicLink).Length;
            return 0;
        };
        _cm = new Compat.Linux.CmNotification(_callback, 0, CM_NOTIFY_FILTER_TYPE.CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE);
        _windowProcedure = (hwnd, msg, wParam, lParam) =>
        {
            _length += new string(((DEV_BROADCAST_DEVICEINTERFACE*)lParam)->dbcc_name).Length;
            return 1;
        };
        _broadcast = new Compat.Linux.BroadcastNotification(Compat.Linux.Recipient.Find(Compat.Linux.Recipient.CreateWindow(_windowProcedure))!, 0);

        string link = "dnbench0";
        _nativeSize = (uint)Math.Max(36, 24 + 2 * (link.Length + 1));
        _native = (byte*)NativeMemory.AllocZeroed(_nativeSize);
        InterfaceClass.Net.Guid.TryWriteBytes(new Span<byte>(_native + 8, 16));
        Encoding.Unicode.GetBytes(link, new Span<byte>(_native + 24, 2 * link.Length));
        _target = GCHandle.Alloc(new CountingTarget());
        _trampoline = NotificationTrampoline.FunctionPointer;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _target.Free();
        NativeMemory.Free(_native);
    }

    [Benchmark(Baseline = true)]
    public void ManagedHandler() => _handler(_arrival);

    [Benchmark]
    public void CmNotifyCallback() => _cm.OnNotification(_arrival);

    [Benchmark]
    public void WindowProcedure() => _broadcast.OnNotification(_arrival);

    [Benchmark]
    public uint TrampolineArrival()
        => ((delegate* unmanaged[Stdcall]<nint, nint, uint, byte*, uint, uint>)_trampoline)(0x1000, GCHandle.ToIntPtr(_target), 0, _native, _nativeSize);
}
