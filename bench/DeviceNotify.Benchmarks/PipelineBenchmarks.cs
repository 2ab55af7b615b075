using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using DeviceNotify.Cli;
using DeviceNotify.Dispatch;
using DeviceNotify.Linux;
using DeviceNotify.Simulation;

namespace DeviceNotify.Benchmarks;

/// <summary>
/// The whole in-process path of `devnotify monitor --json` for one batch of kernel datagrams: acceptance and
/// parse (NetlinkUEventSocket.TryAccept on captured tap uevents with root credentials), dispatch to an all-devices
/// registration, delivery (inline on this thread, or handed to a dedicated thread as before), and JSON formatting
/// into a buffer flushed once per batch. Per operation: one batch of 6 events (a tap's add and remove, with its
/// two queues). Syscalls and the kernel are not in it: those are bench/run-e2e.sh's.
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private const int Events = 6;
    private readonly byte[][] _datagrams = new byte[Events][];
    private readonly byte[] _credentials = new byte[32];
    private readonly SourceCounters _counters = new();
    private readonly Device?[] _batch = new Device?[Events];
    private readonly MemoryStream _output = new(1 << 20);
    private DeviceWatcher _watcher = null!;
    private Dispatcher _dispatcher = null!;
    private DeviceRegistration _registration = null!;
    private ManualResetEventSlim _drained = null!;
    private int _delivered;

    /// <summary>How the registration delivers.</summary>
    public enum Mode { Inline, DedicatedThread }

    [Params(Mode.Inline, Mode.DedicatedThread)]
    public Mode Delivery { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "captures"), "*.bin").Order(StringComparer.Ordinal).ToArray();
        for (int i = 0; i < Events; i++)
            _datagrams[i] = File.ReadAllBytes(files[i]);
        System.Runtime.InteropServices.MemoryMarshal.Write(_credentials, 28UL);   // cmsghdr len
        System.Runtime.InteropServices.MemoryMarshal.Write(_credentials.AsSpan(8), 1);   // SOL_SOCKET
        System.Runtime.InteropServices.MemoryMarshal.Write(_credentials.AsSpan(12), 2);  // SCM_CREDENTIALS, uid 0
        _watcher = DeviceWatcher.StartNew(new DeviceWatcherOptions { Source = new SimulatedDeviceSource() });
        _dispatcher = _watcher.RunningDispatcher;
        var formatter = new NotificationFormatter(_output, json: true);
        _drained = new ManualResetEventSlim();
        _registration = _watcher.Register(DeviceFilter.AllDevices, n =>
        {
            formatter.Write(n);
            _delivered++;
        }, new RegistrationOptions
        {
            InlineDelivery = Delivery == Mode.Inline,
            DedicatedThread = Delivery == Mode.DedicatedThread,
            QueueDrained = () =>
            {
                formatter.Flush();
                _output.Position = 0;
                _drained.Set();
            },
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _registration.Dispose();
        _watcher.Dispose();
    }

    [Benchmark]
    public int OneBatch()
    {
        for (int i = 0; i < Events; i++)
            NetlinkUEventSocket.TryAccept(_datagrams[i], 0, 0, _credentials, "/sys", _counters, out _batch[i]);
        _drained.Reset();
        _dispatcher.OnEvents(_batch, Stopwatch.GetTimestamp());
        _drained.Wait();
        return _delivered;
    }
}
