using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using DeviceNotify.Reactive;
using DeviceNotify.Simulation;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Simulation;

/// <summary>The IObservable adapter keeps the registration guarantees and ends the Rx way.</summary>
public class ObservableTests
{
    private sealed class Observer : IObserver<DeviceNotification>
    {
        public NotificationRecorder Recorder { get; } = new();
        public TaskCompletionSource<Exception?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Calls;
        public Action<DeviceNotification>? OnEach { get; set; }

        public void OnNext(DeviceNotification value)
        {
            Interlocked.Increment(ref Calls);
            Recorder.Record(value);
            OnEach?.Invoke(value);
        }

        public void OnCompleted() => Done.TrySetResult(null);

        public void OnError(Exception error) => Done.TrySetResult(error);
    }

    [Fact]
    public async Task Existing_then_live_in_order_then_OnCompleted_when_the_watcher_is_disposed()
    {
        var (sim, watcher) = Sim.Start(Sim.Net("o0"));
        var observer = new Observer();
        using var subscription = watcher.Observe(DeviceFilter.ForInterfaces(InterfaceClass.Net), new RegistrationOptions { IncludeExisting = true }).Subscribe(observer);
        sim.Add(Sim.Net("o1"));
        sim.Remove("/devices/virtual/net/o0");
        Assert.True(observer.Recorder.WaitUntil(a => a.Count == 3, TestTimeouts.Expected));
        Assert.Equal(["InterfaceArrival o0", "InterfaceArrival o1", "InterfaceRemoval o0"],
            observer.Recorder.All.Select(n => $"{n.Action} {n.Interface!.Path}"));
        Assert.True(observer.Recorder.All[0].IsSynthesized);
        Assert.Empty(observer.Recorder.Violations);

        await watcher.DisposeAsync();
        Assert.Null(await observer.Done.Task.WaitAsync(TestTimeouts.Expected));
        Assert.Equal(3, observer.Calls);   // the Ended notice is not an OnNext
    }

    [Fact]
    public async Task A_source_failure_is_OnError_and_a_subscription_to_a_stopped_watcher_fails_at_once()
    {
        var (sim, watcher) = Sim.Start();
        var observer = new Observer();
        using var subscription = watcher.Observe(DeviceFilter.AllDevices).Subscribe(observer);
        sim.SimulateFailure(new IOException("socket broke"));
        var error = await observer.Done.Task.WaitAsync(TestTimeouts.Expected);
        var dn = Assert.IsType<DeviceNotifyException>(error);
        Assert.Equal("socket broke", dn.InnerException!.Message);

        var late = new Observer();
        using var none = watcher.Observe(DeviceFilter.AllDevices).Subscribe(late);
        Assert.IsType<DeviceNotifyException>(await late.Done.Task.WaitAsync(TestTimeouts.Expected));

        using var unstarted = new DeviceWatcher(new DeviceWatcherOptions { Source = new SimulatedDeviceSource() });
        var early = new Observer();
        using var none2 = unstarted.Observe(DeviceFilter.AllDevices).Subscribe(early);
        Assert.IsType<InvalidOperationException>(await early.Done.Task.WaitAsync(TestTimeouts.Expected));
        watcher.Dispose();
    }

    [Fact]
    public void Disposing_the_subscription_inside_OnNext_returns_at_once_and_stops_the_sequence()
    {
        var (sim, watcher) = Sim.Start();
        using (watcher)
        {
            var observer = new Observer();
            IDisposable? subscription = null;
            var disposedInside = new ManualResetEventSlim();
            observer.OnEach = _ =>
            {
                subscription!.Dispose();           // guarantee 5: does not wait for itself
                disposedInside.Set();
            };
            subscription = watcher.Observe(DeviceFilter.ForInterfaces(InterfaceClass.Net)).Subscribe(observer);
            sim.Add(Sim.Net("d0"));
            Assert.True(disposedInside.Wait(TestTimeouts.Expected));
            sim.Add(Sim.Net("d1"));
            Thread.Sleep(TestTimeouts.MustNotHappen);
            Assert.Equal(1, observer.Calls);
        }
    }

    [Fact]
    public async Task It_composes_with_System_Reactive_operators()
    {
        var (sim, watcher) = Sim.Start();
        using (watcher)
        {
            var firstTwoArrivals = watcher.Observe(DeviceFilter.ForInterfaces(InterfaceClass.Net))
                .Where(n => n.Action == NotificationAction.InterfaceArrival)
                .Select(n => n.Interface!.Path)
                .Take(2)
                .ToList()
                .ToTask();
            sim.Add(Sim.Net("rx0"));
            sim.Remove("/devices/virtual/net/rx0");
            sim.Add(Sim.Net("rx1"));
            Assert.Equal(["rx0", "rx1"], await firstTwoArrivals.WaitAsync(TestTimeouts.Expected));
            Assert.True(SpinWait.SpinUntil(() => watcher.GetStatistics().Registrations == 0, TestTimeouts.Expected));   // Take(2) unsubscribed
        }
    }
}
